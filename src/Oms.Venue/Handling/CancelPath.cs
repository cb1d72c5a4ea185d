namespace Oms.Venue.Handling;

/// <summary>Which endpoint accepted a cancel, so the counters can tell the paths apart.</summary>
internal enum CancelPath
{
    /// <summary>The single cancel, v1 or v2.</summary>
    Single,

    /// <summary>A batch cancel, v1 or v2.</summary>
    Batch,

    /// <summary>A cancel-all, v1 or v2.</summary>
    CancelAll,
}
