namespace Oms.Engine.Venues;

/// <summary>The <c>status</c> field of a v1 cancel response (top level for errors, <c>data.status</c> for an Ack).</summary>
internal enum VenueStatus
{
    /// <summary>No <c>status</c> field, as in v2 responses and errors that are not about the order.</summary>
    None = 0,

    /// <summary><c>"Ack"</c>: the venue received the cancel.</summary>
    Ack,

    /// <summary><c>"Err"</c>: the venue refused the cancel.</summary>
    Err,

    /// <summary>Any other string.</summary>
    Other,
}
