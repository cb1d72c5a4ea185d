using Oms.Engine;
using Oms.Engine.Diagnostics;

namespace Oms.Load.Tests;

/// <summary>Load results built by hand for the report tests.</summary>
internal static class Results
{
    public static LoadResult Of(TallyListener tally, bool confirming, LatencyHistogram confirm, EngineCountersSnapshot counters, LatencyHistogram? own = null, LatencyHistogram? venueWait = null) => new()
    {
        TickToWireOwn = own ?? new LatencyHistogram(),
        VenueWait = venueWait ?? new LatencyHistogram(),
        Counters = counters,
        Outcomes = tally,
        Elapsed = TimeSpan.FromSeconds(1),
        TickToWire = new LatencyHistogram(),
        RoundTrip = new LatencyHistogram(),
        Confirming = confirming,
        ConfirmLatency = confirm,
        ProcessCpu = TimeSpan.Zero,
        EngineCpu = null,
        EngineThreads = 0,
        WaitStrategy = Oms.Engine.Sequencing.WaitStrategyKind.Blocking,
        ProcessAllocatedBytes = 0,
        Orders = (int)counters.Intents,
        Published = counters.Intents,
        Refusals = new RefusalTally(),
        Interrupted = false,
        Start = ProcessSample.Take(),
        End = ProcessSample.Take(),
    };
}
