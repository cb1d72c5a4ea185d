namespace Oms.LoadHarness.Load;

/// <summary>The kinds of run a client goes through (the harness decides the order and which runs a client gets).</summary>
internal enum PhaseKind
{
    /// <summary>Uncounted flat-out load: JIT tiers, connections, pools and caches settle.</summary>
    Warmup,

    /// <summary>An open-loop offered load at a fixed rate, issued in 1 ms ticks.</summary>
    Steady,

    /// <summary>As fast as the client goes, with the in-flight limit of its connections.</summary>
    FlatOut,

    /// <summary>A burst of intents published at once; timed until the last outcome.</summary>
    Mass,

    /// <summary>
    /// Strictly one cancel in flight: each is issued once the previous one has its outcome, so a round trip is the
    /// client's own latency with nothing queued ahead of it. A lead-in of cancels comes first and is not measured.
    /// </summary>
    OneInFlight,
}
