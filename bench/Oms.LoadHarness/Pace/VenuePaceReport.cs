using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Oms.Engine.Sequencing;
using Oms.Load;
using Oms.LoadHarness.Reporting;

namespace Oms.LoadHarness.Pace;

/// <summary>The venue-pace scenario's figures: per offered rate, both clients side by side; then the idle engine.</summary>
internal sealed record VenuePaceReport(HarnessOptions Options, IReadOnlyList<PhaseResult> Engine, IReadOnlyList<PhaseResult> HttpClient, IReadOnlyList<IdleResult> Idle)
{
    // The goals the issue sets (#16), shown beside the figures they judge.
    private const double CpuRatioGoal = 5;
    private const double EngineThreadsGoalMicros = 10;
    private const double OwnP99GoalMicros = 50;
    private const double IdleGoalPercent = 1;

    public bool Verified => Engine.Concat(HttpClient).All(r => r.Verified);

    public string Table()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Venue pace: the venue (a separate process) answers after {Options.VenueLatencyMs} ms plus a uniform jitter below {Options.VenueJitterMs} ms. Each client runs steady open-loop loads (1 ms ticks) of {Number(Options.PaceSeconds, 1)} s, each after an uncounted warm-up of {Number(Options.WarmupSeconds, 1)} s at its rate (and one at the highest rate first); the engine with wait strategy {WaitStrategyFactory.GetName(Options.PaceWaitStrategy)} (spin {Options.WaitSpinMicroseconds} µs), no rate limit, {Options.Connections} connections; HttpClient: SocketsHttpHandler HTTP/2, {Options.Connections} connections. \"advantage\" = how many times better the engine is; goals from issue #16.");
        text.AppendLine();
        text.AppendLine("| rate | metric | engine | httpclient | advantage | goal |");
        text.AppendLine("|---:|---|---:|---:|---:|---|");
        for (int i = 0; i < Engine.Count; i++)
        {
            PhaseResult e = Engine[i];
            PhaseResult h = HttpClient[i];
            string rate = Number(e.Spec.Rate) + "/s";
            double cpuRatio = e.CpuMicrosPerCancel > 0 ? h.CpuMicrosPerCancel / e.CpuMicrosPerCancel : 0;
            Row(text, rate, "cancels/s achieved", Number(e.CancelsPerSecond), Number(h.CancelsPerSecond), "", "");
            Row(text, rate, "process CPU µs/cancel", Number(e.CpuMicrosPerCancel, 2), Number(h.CpuMicrosPerCancel, 2), Times(cpuRatio), Verdict($"≥ {CpuRatioGoal}x", cpuRatio >= CpuRatioGoal));
            Row(text, rate, "engine threads CPU µs/cancel (consumer, readers)", e.EngineThreadsCpuMicrosPerCancel is { } ec ? Number(ec, 2) : "-", "n/a", "", e.EngineThreadsCpuMicrosPerCancel is { } ev ? Verdict($"≤ {EngineThreadsGoalMicros} µs", ev <= EngineThreadsGoalMicros) : "");
            Row(text, rate, "process CPU by thread", e.CpuByThreadText(5), h.CpuByThreadText(5), "", "");
            Row(text, rate, "process CPU in the kernel", Share(e.KernelCpuShare), Share(h.KernelCpuShare), "", "");
            Row(text, rate, "context switches per cancel (by thread)", e.SwitchesText(), h.SwitchesText(), e.SwitchesPerCancel is { } es && h.SwitchesPerCancel is { } hs ? Times(hs / es) : "", "");
            Row(text, rate, "allocated B/cancel", Number(e.AllocatedBytesPerCancel, 1), Number(h.AllocatedBytesPerCancel, 1), "", "");
            Row(text, rate, "round trip p50 / p99 / p99.9 µs", e.RoundTrip?.ToString() ?? "-", h.RoundTrip?.ToString() ?? "-", "", "");
            Row(text, rate, "tick-to-wire p50 / p99 / p99.9 µs", e.TickToWire?.ToString() ?? "-", "n/a", "", "");
            Row(text, rate, "tick-to-wire, engine's own p50 / p99 / p99.9 µs", e.TickToWireOwn?.ToString() ?? "-", "n/a", "", e.TickToWireOwn is { } own ? Verdict($"p99 ≤ {OwnP99GoalMicros} µs", own.P99 <= OwnP99GoalMicros) : "");
            Row(text, rate, "tick-to-wire, waited for the venue: cancels, p50 / p99 / p99.9 µs", $"{Number(e.VenueWaits)}{(e.VenueWait is { } w ? ", " + w : "")}", "n/a", "", "");
            Row(text, rate, "counts reconciled", e.Verified ? "yes" : "NO", h.Verified ? "yes" : "NO", "", "");
        }

        foreach (IdleResult idle in Idle)
        {
            bool isDefault = idle.Strategy == Options.PaceWaitStrategy;
            Row(text, "idle", $"engine connected, nothing to send, {WaitStrategyFactory.GetName(idle.Strategy)}: % of a core (process / engine threads), engine wake-ups/s",
                $"{Number(idle.ProcessCorePercent, 2)} / {(idle.EngineCorePercent is { } e ? Number(e, 2) : "-")}, {(idle.EngineSwitchesPerSecond is { } s ? Number(s) : "-")}",
                "n/a", "", isDefault ? Verdict($"≤ {IdleGoalPercent} %", (idle.EngineCorePercent ?? idle.ProcessCorePercent) <= IdleGoalPercent) : "");
        }

        foreach ((string name, IReadOnlyList<PhaseResult> runs) in new[] { ("engine", Engine), ("httpclient", HttpClient) })
        {
            foreach (PhaseResult run in runs.Where(r => !r.Verified))
            {
                foreach (string problem in run.Problems)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"- FAILED {name} {run.Spec.Name} {Number(run.Spec.Rate)}/s: {problem}");
                }
            }
        }

        return text.ToString();
    }

    public string Json()
    {
        var rates = new JsonArray();
        for (int i = 0; i < Engine.Count; i++)
        {
            PhaseResult e = Engine[i];
            PhaseResult h = HttpClient[i];
            rates.Add(new JsonObject
            {
                ["offeredPerSecond"] = e.Spec.Rate,
                ["cpuAdvantage"] = e.CpuMicrosPerCancel > 0 ? Math.Round(h.CpuMicrosPerCancel / e.CpuMicrosPerCancel, 2) : null,
                ["engine"] = e.ToJson(),
                ["httpclient"] = h.ToJson(),
            });
        }

        var idle = new JsonArray([.. Idle.Select(i => (JsonNode)new JsonObject
        {
            ["waitStrategy"] = WaitStrategyFactory.GetName(i.Strategy),
            ["seconds"] = Math.Round(i.Wall.TotalSeconds, 2),
            ["processCorePercent"] = Math.Round(i.ProcessCorePercent, 3),
            ["engineCorePercent"] = i.EngineCorePercent is { } e ? Math.Round(e, 3) : null,
            ["engineWakeUpsPerSecond"] = i.EngineSwitchesPerSecond is { } s ? Math.Round(s, 1) : null,
        })]);
        return new JsonObject
        {
            ["venuePace"] = new JsonObject
            {
                ["venueLatencyMs"] = Options.VenueLatencyMs,
                ["venueJitterMs"] = Options.VenueJitterMs,
                ["waitStrategy"] = WaitStrategyFactory.GetName(Options.PaceWaitStrategy),
                ["waitSpinMicroseconds"] = Options.WaitSpinMicroseconds,
                ["rates"] = rates,
                ["idle"] = idle,
                ["verified"] = Verified,
            },
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static void Row(StringBuilder text, string rate, string metric, string engine, string httpClient, string advantage, string goal) =>
        text.AppendLine(CultureInfo.InvariantCulture, $"| {rate} | {metric} | {engine} | {httpClient} | {advantage} | {goal} |");

    private static string Verdict(string goal, bool met) => $"{goal}: {(met ? "met" : "not met")}";

    private static string Times(double ratio) =>
        ratio <= 0 ? "-" : ratio.ToString(ratio >= 10 ? "#,0" : "0.0", CultureInfo.InvariantCulture) + "x";

    private static string Share(double? share) => ComparisonReport.Share(share);

    private static string Number(double value, int decimals = 0) => ComparisonReport.Number(value, decimals);
}
