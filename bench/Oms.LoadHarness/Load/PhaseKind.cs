namespace Oms.LoadHarness.Load;

/// <summary>The runs each client goes through, in this order.</summary>
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
}
