namespace Oms.Engine.Venues;

/// <summary>What the engine does with a venue answer: the "what the engine does" column of the code table.</summary>
internal enum VenueErrorClass
{
    /// <summary>The body carried no business verdict (empty, not JSON, truncated, unknown shape): decide from the HTTP status and the retry policy.</summary>
    Undetermined = 0,

    /// <summary>Code 0: the cancel was acknowledged.</summary>
    Acked,

    /// <summary>A terminal refusal of this cancel (300006, 100001, 100004, 100008, 150001 and any code not in the table).</summary>
    Rejected,

    /// <summary>Transient (510001, 100014): retry with back-off within the venue window, never spin.</summary>
    RetryWithBackoff,

    /// <summary>100011: re-sign with a fresh timestamp once and raise the clock-skew alarm.</summary>
    ReSign,

    /// <summary>200001: credentials or signing are wrong; fail the cancel, stop sending, alarm loudly.</summary>
    AuthenticationFailed,

    /// <summary>200015: the key lacks the Trade permission; fail the cancel and alarm.</summary>
    PermissionDenied,
}
