namespace Oms.LoadHarness.Load;

/// <summary>One run's shape.</summary>
/// <param name="Kind">Which run.</param>
/// <param name="Seconds">How long to issue (steady, flat-out, warm-up).</param>
/// <param name="Rate">Cancels per second offered (steady).</param>
/// <param name="Count">Intents published at once (mass).</param>
/// <param name="Concurrency">Requests in flight at most (the connections' stream limit).</param>
/// <param name="Capacity">The most tags the run may issue.</param>
internal sealed record PhaseSpec(PhaseKind Kind, double Seconds, double Rate, int Count, int Concurrency, int Capacity)
{
    /// <summary>The run's name in reports.</summary>
    public string Name => Kind switch
    {
        PhaseKind.Warmup => "warm-up",
        PhaseKind.Steady => "steady",
        PhaseKind.FlatOut => "flat-out",
        _ => "mass",
    };
}
