namespace Oms.Engine;

/// <summary>When the engine packs cancels into the venue's batch cancel (up to 10 orders a request, signed once).</summary>
public enum BatchCancelMode
{
    /// <summary>
    /// Only when cancels are already queued behind the rate limiter or the transport's stream limit: a lone cancel goes
    /// out by itself at once, a backlog leaves ten at a time. The default.
    /// </summary>
    Auto = 0,

    /// <summary>Never: one request per cancel.</summary>
    Off = 1,
}
