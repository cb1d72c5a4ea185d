namespace Oms.LoadHarness.Load;

/// <summary>The terminal outcome a cancel got, as the harness records it per tag.</summary>
internal enum OutcomeKind
{
    /// <summary>No outcome yet.</summary>
    None = 0,

    /// <summary>The venue acknowledged the cancel.</summary>
    Acked,

    /// <summary>The venue refused it (code 300006 for an order canceled before).</summary>
    Rejected,

    /// <summary>No answer: transport, bad response, or stopped.</summary>
    Failed,

    /// <summary>Never sent: older than the venue's window.</summary>
    Expired,
}
