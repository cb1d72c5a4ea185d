namespace Oms.Engine.Consumer;

/// <summary>Why a cancel could not go out when the consumer took it: what it then waited for.</summary>
/// <remarks>
/// Each is the venue's capacity or a rule that protects it, never the engine's own work: the time spent waiting is
/// reported apart from the engine's own tick-to-wire (see <c>docs/architecture.md</c>, "Tick-to-wire, split").
/// </remarks>
internal enum VenueWaitCause
{
    /// <summary>Other cancels were already waiting: it queued behind them.</summary>
    Queue,

    /// <summary>The engine's rate limiter (the venue's rate limit) had no token.</summary>
    RateLimit,

    /// <summary>Every connection was at its stream limit or out of send window, or every in-flight entry was taken.</summary>
    Streams,

    /// <summary>No connection was open (connecting or reconnecting with back-off).</summary>
    Connection,

    /// <summary>Sends were held: a <c>retry-after</c>, or the in-flight cap until the venue has accepted the key.</summary>
    Hold,
}
