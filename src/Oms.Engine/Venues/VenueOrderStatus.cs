namespace Oms.Engine.Venues;

/// <summary>An order's own status as the venue reports it, by the status query or the order stream.</summary>
/// <remarks>
/// Venue-neutral: each venue's parser maps its own words onto these (AscendEX: <c>PendingNew</c>, <c>New</c>,
/// <c>PartiallyFilled</c>, <c>Filled</c>, <c>Canceled</c>, <c>Rejected</c>). Not the cancel's outcome: an Acked cancel
/// may still read <see cref="New"/> until the venue has acted on it.
/// </remarks>
internal enum VenueOrderStatus : byte
{
    /// <summary>A word the parser does not know; never settles a fate.</summary>
    Unknown = 0,

    /// <summary>An untriggered stop order: still live.</summary>
    PendingNew,

    /// <summary>Resting, nothing filled.</summary>
    New,

    /// <summary>Resting, partly filled.</summary>
    PartiallyFilled,

    /// <summary>Final: wholly filled.</summary>
    Filled,

    /// <summary>Final: canceled (possibly after partial fills).</summary>
    Canceled,

    /// <summary>Final: refused by the venue, never rested.</summary>
    Rejected,
}
