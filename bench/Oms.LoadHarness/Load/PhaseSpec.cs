using Oms.Engine.Sequencing;

namespace Oms.LoadHarness.Load;

/// <summary>One run's shape.</summary>
/// <param name="Kind">Which run.</param>
/// <param name="Seconds">How long to issue (steady, flat-out, warm-up).</param>
/// <param name="Rate">Cancels per second offered (steady).</param>
/// <param name="Count">Intents published at once (mass); cancels measured one at a time (one in flight).</param>
/// <param name="Concurrency">Requests in flight at most (the connections' stream limit).</param>
/// <param name="Capacity">The most tags the run may issue.</param>
internal sealed record PhaseSpec(PhaseKind Kind, double Seconds, double Rate, int Count, int Concurrency, int Capacity)
{
    /// <summary>
    /// Cancels issued before the measured ones in a one-in-flight run, one at a time like them: they settle the
    /// code this run's configuration reaches first (a wait strategy's specialised consumer loop) and are reconciled
    /// with the rest but left out of the round trips.
    /// </summary>
    public int LeadIn { get; init; }

    /// <summary>The engine's wait strategy for this run when it is not the harness's <c>--wait-strategy</c>; null for HttpClient.</summary>
    public WaitStrategyKind? WaitStrategy { get; init; }

    /// <summary>Whether the engine's consumer gets a core of its own (the latency configuration, when the machine allows it).</summary>
    public bool IsolateConsumer { get; init; }

    /// <summary>The cancels a steady run issues: the rate for the run's length, at most the capacity.</summary>
    public int SteadyCount => (int)Math.Min(Capacity, Math.Round(Rate * Seconds));

    /// <summary>Every cancel the run issues when it runs to the end: the lead-in and the measured ones.</summary>
    public int OneInFlightTotal => LeadIn + Count;

    /// <summary>The run's name in reports.</summary>
    public string Name
    {
        get
        {
            string name = Kind switch
            {
                PhaseKind.Warmup => "warm-up",
                PhaseKind.Steady => "steady",
                PhaseKind.FlatOut => "flat-out",
                PhaseKind.OneInFlight => "1-in-flight",
                _ => "mass",
            };
            return WaitStrategy is { } strategy ? $"{name} ({WaitStrategyFactory.GetName(strategy)})" : name;
        }
    }
}
