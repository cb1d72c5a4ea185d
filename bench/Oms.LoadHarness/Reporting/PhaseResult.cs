using System.Text.Json.Nodes;
using Oms.Engine.Sequencing;
using Oms.Load;
using Oms.LoadHarness.Load;

namespace Oms.LoadHarness.Reporting;

/// <summary>One client's figures for one run, and whether its counts reconciled.</summary>
internal sealed record PhaseResult
{
    public required PhaseSpec Spec { get; init; }

    /// <summary>The engine's wait strategy in this run; null for a client without one.</summary>
    public WaitStrategyKind? WaitStrategy { get; init; }

    /// <summary>Cancels the figures describe: every one, except a one-in-flight run's lead-in.</summary>
    public required long Cancels { get; init; }

    /// <summary>A one-in-flight run's lead-in cancels: reconciled, in the CPU and allocation figures, not in the round trips or the rate.</summary>
    public long LeadIn { get; init; }

    public required double Seconds { get; init; }

    public required double CpuMicrosPerCancel { get; init; }

    public required double AllocatedBytesPerCancel { get; init; }

    public required LatencySummary? RoundTrip { get; init; }

    public LatencySummary? TickToWire { get; init; }

    public LatencySummary? WireRoundTrip { get; init; }

    /// <summary>The engine's own part of tick-to-wire (without the time waited for the venue's capacity); null for HttpClient.</summary>
    public LatencySummary? TickToWireOwn { get; init; }

    /// <summary>How long the cancels that had to wait waited for the venue's capacity; null when none waited or for HttpClient.</summary>
    public LatencySummary? VenueWait { get; init; }

    /// <summary>The engine's cancels whose first send waited for the venue's capacity.</summary>
    public long VenueWaits { get; init; }

    public required long Acked { get; init; }

    public required long Rejected { get; init; }

    public required long Retries { get; init; }

    public required long VenueConnectionsOpened { get; init; }

    public required (int Gen0, int Gen1, int Gen2) Collections { get; init; }

    public required IReadOnlyList<string> Problems { get; init; }

    /// <summary>Which threads the run's CPU went to, as shares (Linux; empty elsewhere).</summary>
    public IReadOnlyList<(string Name, double Share)> CpuByThread { get; init; } = [];

    /// <summary>The share of the run's CPU spent in the kernel (Linux; null elsewhere).</summary>
    public double? KernelCpuShare { get; init; }

    /// <summary>Context switches per thread group during the run (Linux; empty elsewhere): each wake-up of a parked thread is one.</summary>
    public IReadOnlyList<(string Name, long Switches)> SwitchesByThread { get; init; } = [];

    /// <summary>Context switches of all the process's threads per cancel; null when not measured.</summary>
    public double? SwitchesPerCancel =>
        SwitchesByThread.Count == 0 || Cancels + LeadIn == 0 ? null : SwitchesByThread.Sum(t => t.Switches) / (double)(Cancels + LeadIn);

    /// <summary>The context switches per cancel of the busiest groups, as text.</summary>
    public string SwitchesText(int top = 4) =>
        SwitchesPerCancel is not { } total
            ? "-"
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{total:0.00}: ")
                + string.Join(", ", SwitchesByThread.Take(top).Select(t => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{t.Name} {t.Switches / (double)(Cancels + LeadIn):0.00}")));

    /// <summary>
    /// CPU per cancel without the tiered JIT's background thread: what a long-running process pays once its code
    /// has settled (the JIT's share shrinks with longer warm-ups, and it is a one-time cost).
    /// </summary>
    public double CpuMicrosPerCancelExcludingJit =>
        CpuMicrosPerCancel * (1 - CpuByThread.Where(t => t.Name == Load.ThreadCpuProfile.JitThreads).Sum(t => t.Share));

    /// <summary>The largest shares of <see cref="CpuByThread"/>, as text.</summary>
    public string CpuByThreadText(int top = 4) =>
        CpuByThread.Count == 0
            ? "-"
            : string.Join(", ", CpuByThread.Take(top).Select(t => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{t.Name} {t.Share:P0}")));

    /// <summary>The thread groups that are the engine's own: its consumer and its connection readers.</summary>
    public static readonly string[] EngineThreadGroups = ["oms-consumer", "oms-h2-reader (connections)"];

    /// <summary>CPU of the engine's own threads over the run, from their clock ticks (Linux); null where not read.</summary>
    public TimeSpan? EngineThreadsCpu { get; init; }

    /// <summary>CPU of the engine's own threads per cancel (Linux); null where per-thread CPU is not read or for a client without them.</summary>
    public double? EngineThreadsCpuMicrosPerCancel =>
        EngineThreadsCpu is not { } cpu || cpu == TimeSpan.Zero || Cancels + LeadIn == 0 ? null : cpu.TotalMicroseconds / (Cancels + LeadIn);

    public bool Verified => Problems.Count == 0;

    /// <summary>
    /// Whether CPU per cancel means anything: not with a consumer that spins (busy-spin, or yielding, which spins
    /// through its yields), whose thread burns its core whether cancels come or not.
    /// </summary>
    public bool CpuMeaningful => WaitStrategy is not (WaitStrategyKind.BusySpin or WaitStrategyKind.Yielding);

    public double CancelsPerSecond => Seconds > 0 ? Cancels / Seconds : 0;

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["cancels"] = Cancels,
            ["seconds"] = Math.Round(Seconds, 3),
        };
        if (Spec.Kind == PhaseKind.Steady)
        {
            json["offeredPerSecond"] = Spec.Rate;
        }

        if (Spec.Kind == PhaseKind.Mass)
        {
            json["millisToLastOutcome"] = Math.Round(Seconds * 1000, 1);
        }

        if (Spec.Kind == PhaseKind.OneInFlight)
        {
            json["inFlight"] = 1;
            json["leadInCancels"] = LeadIn;
        }

        if (WaitStrategy is { } strategy)
        {
            json["waitStrategy"] = WaitStrategyFactory.GetName(strategy);
        }

        json["cancelsPerSecond"] = Math.Round(CancelsPerSecond, 0);
        json["cpuMicrosPerCancel"] = Math.Round(CpuMicrosPerCancel, 2);
        json["cpuMicrosPerCancelExcludingJit"] = Math.Round(CpuMicrosPerCancelExcludingJit, 2);
        json["cpuMeaningful"] = CpuMeaningful;
        json["allocatedBytesPerCancel"] = Math.Round(AllocatedBytesPerCancel, 1);
        json["rttMicros"] = RoundTrip?.ToJson();
        json["tickToWireMicros"] = TickToWire?.ToJson();
        json["tickToWireOwnMicros"] = TickToWireOwn?.ToJson();
        json["venueWaitMicros"] = VenueWait?.ToJson();
        json["venueWaits"] = VenueWaits;
        json["engineThreadsCpuMicrosPerCancel"] = EngineThreadsCpuMicrosPerCancel is { } engineCpu ? Math.Round(engineCpu, 2) : null;
        json["wireRttMicros"] = WireRoundTrip?.ToJson();
        json["acked"] = Acked;
        json["rejected"] = Rejected;
        json["retries"] = Retries;
        json["venueConnectionsOpened"] = VenueConnectionsOpened;
        json["gcCollections"] = new JsonObject { ["gen0"] = Collections.Gen0, ["gen1"] = Collections.Gen1, ["gen2"] = Collections.Gen2 };
        json["kernelCpuShare"] = KernelCpuShare is { } kernel ? Math.Round(kernel, 3) : null;
        json["contextSwitchesPerCancel"] = SwitchesPerCancel is { } perCancel ? Math.Round(perCancel, 3) : null;
        json["cpuByThread"] = new JsonObject([.. CpuByThread.Select(t => KeyValuePair.Create(t.Name, (JsonNode?)JsonValue.Create(Math.Round(t.Share, 3))))]);
        json["verified"] = Verified;
        json["problems"] = new JsonArray([.. Problems.Select(p => (JsonNode?)JsonValue.Create(p))]);
        return json;
    }
}
