using Oms.Engine;
using Oms.Engine.Metrics;

namespace Oms.Cli.Load;

/// <summary>What a load run did: counters, latencies, costs.</summary>
internal sealed class LoadResult
{
    public required EngineCountersSnapshot Counters { get; init; }

    public required TallyListener Outcomes { get; init; }

    public required TimeSpan Elapsed { get; init; }

    public required LatencyHistogram TickToWire { get; init; }

    public required LatencyHistogram RoundTrip { get; init; }

    public required TimeSpan ProcessCpu { get; init; }

    public required long ProcessAllocatedBytes { get; init; }

    public required long Published { get; init; }

    public required bool Interrupted { get; init; }

    public required ProcessSample Start { get; init; }

    public required ProcessSample End { get; init; }

    public double CancelsPerSecond => Elapsed.TotalSeconds > 0 ? Outcomes.Decided / Elapsed.TotalSeconds : 0;
}
