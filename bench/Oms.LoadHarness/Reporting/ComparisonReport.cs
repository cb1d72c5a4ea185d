using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Oms.Engine.Sequencing;
using Oms.Load;

namespace Oms.LoadHarness.Reporting;

/// <summary>Renders the comparison of the two clients: a Markdown table (stdout and the results file) or one JSON object.</summary>
/// <remarks>One run's own report (<c>oms load</c>'s) is <see cref="ReportWriter"/>; the latency figures of both are <see cref="LatencySummary"/>.</remarks>
internal static class ComparisonReport
{
    public static string Json(ClientReport engine, ClientReport httpClient) =>
        new JsonObject { ["engine"] = engine.ToJson(yardstick: httpClient), ["httpclient"] = httpClient.ToJson() }
            .ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    public static string Table(HarnessOptions options, ClientReport engine, ClientReport httpClient, string? isolation = null)
    {
        var rows = new List<(string Label, string Engine, string HttpClient, string Advantage)>();
        AddLoadRows(rows, engine.Steady, httpClient.Steady);
        if (engine.SteadyLatencyConfig is { } steadySpinning)
        {
            AddSteadyLatencyConfigRows(rows, steadySpinning, httpClient.Steady);
        }

        AddLoadRows(rows, engine.FlatOut, httpClient.FlatOut);
        AddLoadRows(rows, engine.Mass, httpClient.Mass);
        AddOneInFlightRows(rows, engine, httpClient);
        rows.Add(("counts reconciled (all runs incl. warm-up and lead-in)", engine.Verified ? "yes" : "NO", httpClient.Verified ? "yes" : "NO", ""));

        var text = new StringBuilder();
        string latencyStrategy = WaitStrategyFactory.GetName(options.LatencyWaitStrategy);
        text.AppendLine(CultureInfo.InvariantCulture, $"Engine: wait strategy {WaitStrategyFactory.GetName(options.WaitStrategy)} (the 1-in-flight run and a second steady run: {latencyStrategy}, the latency configuration{(isolation is null ? "" : "; " + isolation)}; CPU per cancel with a spinning consumer is not meaningful), {options.Connections} connections, no rate limit, order-state capacity {Number(options.OrderStateCapacity)} (final states kept 1 s); HttpClient: SocketsHttpHandler HTTP/2, {options.Connections} connections, {options.Concurrency} requests in flight in flat-out; venue: separate process, {options.VenueStreams} streams per connection.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Runs per client: warm-up {Number(options.WarmupSeconds, 1)} s (uncounted), steady {Number(options.Rate)}/s for {Number(options.DurationSeconds, 1)} s, flat-out {Number(options.DurationSeconds, 1)} s, mass {Number(options.MassCount)} at once, 1 in flight {Number(options.OneInFlightCancels)} after {Number(options.OneInFlightLeadIn)} unmeasured (lead-in), and for the engine steady again with {latencyStrategy}. \"advantage\" = how many times better the engine is.");
        text.AppendLine();
        text.AppendLine("| metric | engine | httpclient | advantage |");
        text.AppendLine("|---|---:|---:|---:|");
        foreach ((string label, string e, string h, string advantage) in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {e} | {h} | {advantage} |");
        }

        foreach (ClientReport client in new[] { engine, httpClient })
        {
            foreach (PhaseResult run in client.Runs.Where(r => !r.Verified))
            {
                foreach (string problem in run.Problems)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"- FAILED {client.Name} {run.Spec.Name}: {problem}");
                }
            }
        }

        return text.ToString();
    }

    public static string Markdown(HarnessOptions options, string table, IReadOnlyList<string> machine, string venueDescription) =>
        new StringBuilder()
            .AppendLine("# Load harness: engine vs HttpClient")
            .AppendLine()
            .AppendLine("Machine:")
            .AppendLine()
            .AppendJoin(Environment.NewLine, machine.Select(m => "- " + m)).AppendLine()
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Command: `dotnet bench/Oms.LoadHarness/bin/Release/net10.0/Oms.LoadHarness.dll{(options.CommandLine.Length > 0 ? " " + options.CommandLine : "")}`")
            .AppendLine()
            .AppendLine(venueDescription)
            .AppendLine()
            .Append(table)
            .ToString();

    private static string PhaseLabel(PhaseResult run) => run.Spec.Kind switch
    {
        Load.PhaseKind.Steady => $"steady {Number(run.Spec.Rate)}/s",
        Load.PhaseKind.Mass => $"mass {Number(run.Spec.Count)}",
        _ => "flat-out",
    };

    private static void AddLoadRows(List<(string, string, string, string)> rows, PhaseResult e, PhaseResult h)
    {
        string phase = PhaseLabel(e);
        if (e.Spec.Kind == Load.PhaseKind.Mass)
        {
            rows.Add(($"{phase}: ms to last outcome", Number(e.Seconds * 1000, 1), Number(h.Seconds * 1000, 1), Times(h.Seconds, e.Seconds)));
        }

        rows.Add(($"{phase}: cancels/s", Number(e.CancelsPerSecond), Number(h.CancelsPerSecond), Times(e.CancelsPerSecond, h.CancelsPerSecond)));
        rows.Add(($"{phase}: client CPU µs/cancel", Cpu(e, e.CpuMicrosPerCancel), Cpu(h, h.CpuMicrosPerCancel), CpuTimes(e, h, e.CpuMicrosPerCancel, h.CpuMicrosPerCancel)));
        rows.Add(($"{phase}: client CPU µs/cancel without the JIT thread", Cpu(e, e.CpuMicrosPerCancelExcludingJit), Cpu(h, h.CpuMicrosPerCancelExcludingJit), CpuTimes(e, h, e.CpuMicrosPerCancelExcludingJit, h.CpuMicrosPerCancelExcludingJit)));
        rows.Add(($"{phase}: allocated B/cancel", Number(e.AllocatedBytesPerCancel, 1), Number(h.AllocatedBytesPerCancel, 1), Times(h.AllocatedBytesPerCancel, e.AllocatedBytesPerCancel)));
        rows.Add(($"{phase}: round trip p50 / p99 / p99.9 µs", e.RoundTrip?.ToString() ?? "-", h.RoundTrip?.ToString() ?? "-", LatencyTimes(e.RoundTrip, h.RoundTrip)));
        rows.Add(($"{phase}: tick-to-wire p50 / p99 / p99.9 µs", e.TickToWire?.ToString() ?? "-", "n/a", ""));
        rows.Add(($"{phase}: engine wire round trip p50 / p99 / p99.9 µs", e.WireRoundTrip?.ToString() ?? "-", "n/a", ""));
        rows.Add(($"{phase}: client CPU by thread", e.CpuByThreadText(), h.CpuByThreadText(), ""));
        rows.Add(($"{phase}: client CPU in the kernel", Share(e.KernelCpuShare), Share(h.KernelCpuShare), ""));
        rows.Add(($"{phase}: context switches per cancel (by thread)", e.SwitchesText(), h.SwitchesText(), ""));
        rows.Add(($"{phase}: GCs gen0/1/2", Gcs(e), Gcs(h), ""));
        rows.Add(($"{phase}: acked / rejected (pool reused)", $"{Number(e.Acked)} / {Number(e.Rejected)}", $"{Number(h.Acked)} / {Number(h.Rejected)}", ""));
    }

    // The steady load again with the engine in its latency configuration. HttpClient has no wait strategy, so it
    // has no such run: where a comparison helps, its column repeats its one steady run, saying so.
    private static void AddSteadyLatencyConfigRows(List<(string, string, string, string)> rows, PhaseResult e, PhaseResult hSteady)
    {
        string phase = $"{PhaseLabel(e)}, engine {StrategyName(e)}";
        const string noStrategy = "n/a (no wait strategy)";
        string HttpSteady(string? figure) => figure is null ? "-" : figure + " (its steady run)";
        rows.Add(($"{phase}: cancels/s", Number(e.CancelsPerSecond), HttpSteady(Number(hSteady.CancelsPerSecond)), Times(e.CancelsPerSecond, hSteady.CancelsPerSecond)));
        rows.Add(($"{phase}: client CPU µs/cancel", Cpu(e, e.CpuMicrosPerCancel), noStrategy, ""));
        rows.Add(($"{phase}: allocated B/cancel", Number(e.AllocatedBytesPerCancel, 1), HttpSteady(Number(hSteady.AllocatedBytesPerCancel, 1)), Times(hSteady.AllocatedBytesPerCancel, e.AllocatedBytesPerCancel)));
        rows.Add(($"{phase}: round trip p50 / p99 / p99.9 µs", e.RoundTrip?.ToString() ?? "-", HttpSteady(hSteady.RoundTrip?.ToString()), LatencyTimes(e.RoundTrip, hSteady.RoundTrip)));
        rows.Add(($"{phase}: tick-to-wire p50 / p99 / p99.9 µs", e.TickToWire?.ToString() ?? "-", "n/a", "target (#7): p50 < 5, p99 < 25"));
        rows.Add(($"{phase}: engine wire round trip p50 / p99 / p99.9 µs", e.WireRoundTrip?.ToString() ?? "-", "n/a", ""));
        rows.Add(($"{phase}: client CPU by thread", e.CpuByThreadText(), noStrategy, ""));
        rows.Add(($"{phase}: context switches per cancel (by thread)", e.SwitchesText(), noStrategy, ""));
        rows.Add(($"{phase}: acked / rejected (pool reused)", $"{Number(e.Acked)} / {Number(e.Rejected)}", noStrategy, ""));
    }

    // No cancels/s row: one at a time, the rate is set by how soon the issuing thread wakes after each outcome,
    // which is the harness's waiting (a blocked thread for the engine, an inline await continuation for HttpClient),
    // not the client's work.
    private static void AddOneInFlightRows(List<(string, string, string, string)> rows, ClientReport engine, ClientReport httpClient)
    {
        PhaseResult e = engine.OneInFlight;
        PhaseResult h = httpClient.OneInFlight;
        string phase = $"1 in flight, engine {StrategyName(e)}";
        string ratio = engine.RoundTripP50Ratio(httpClient) is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "-";
        rows.Add(($"{phase}: cancels measured (after a lead-in of)", $"{Number(e.Cancels)} ({Number(e.LeadIn)})", $"{Number(h.Cancels)} ({Number(h.LeadIn)})", ""));
        rows.Add(($"{phase}: round trip p50 / p99 / p99.9 µs", e.RoundTrip?.ToString() ?? "-", h.RoundTrip?.ToString() ?? "-", LatencyTimes(e.RoundTrip, h.RoundTrip)));
        rows.Add(($"{phase}: round trip p50 ratio engine / httpclient (lower is better)", ratio, "1.00", "target (#7): at most 0.65"));
        rows.Add(($"{phase}: client CPU µs/cancel (lead-in included)", Cpu(e, e.CpuMicrosPerCancel), Cpu(h, h.CpuMicrosPerCancel), CpuTimes(e, h, e.CpuMicrosPerCancel, h.CpuMicrosPerCancel)));
        rows.Add(($"{phase}: allocated B/cancel (lead-in included)", Number(e.AllocatedBytesPerCancel, 1), Number(h.AllocatedBytesPerCancel, 1), Times(h.AllocatedBytesPerCancel, e.AllocatedBytesPerCancel)));

        // The engine's histograms cover its whole life, and this run's engine lives through the lead-in too.
        rows.Add(($"{phase}: tick-to-wire p50 / p99 / p99.9 µs (lead-in included)", e.TickToWire?.ToString() ?? "-", "n/a", ""));
        rows.Add(($"{phase}: engine wire round trip p50 / p99 / p99.9 µs (lead-in included)", e.WireRoundTrip?.ToString() ?? "-", "n/a", ""));
        rows.Add(($"{phase}: acked / rejected (pool reused; lead-in included)", $"{Number(e.Acked)} / {Number(e.Rejected)}", $"{Number(h.Acked)} / {Number(h.Rejected)}", ""));
    }

    private static string StrategyName(PhaseResult run) => run.WaitStrategy is { } strategy ? WaitStrategyFactory.GetName(strategy) : "-";

    // A spinning consumer burns its core whatever the load: its CPU per cancel is shown, but flagged, never compared.
    private static string Cpu(PhaseResult run, double micros) =>
        run.CpuMeaningful ? Number(micros, 2) : $"{Number(micros, 2)} (not meaningful: the consumer spins)";

    private static string CpuTimes(PhaseResult e, PhaseResult h, double engineMicros, double httpClientMicros) =>
        e.CpuMeaningful && h.CpuMeaningful ? Times(httpClientMicros, engineMicros) : "";

    private static string Gcs(PhaseResult run) => $"{run.Collections.Gen0}/{run.Collections.Gen1}/{run.Collections.Gen2}";

    // The engine's advantage: callers put the better figure on top (engine/httpclient for throughput,
    // httpclient/engine for costs and latencies).
    private static string Times(double numerator, double denominator)
    {
        if (denominator <= 0)
        {
            return numerator > 0 ? "∞" : "-";
        }

        double ratio = numerator / denominator;
        return ratio.ToString(ratio >= 10 ? "#,0" : "0.0", CultureInfo.InvariantCulture) + "x";
    }

    private static string LatencyTimes(LatencySummary? engine, LatencySummary? httpClient) =>
        engine is null || httpClient is null
            ? ""
            : $"p50 {Times(httpClient.P50, engine.P50)}, p99 {Times(httpClient.P99, engine.P99)}";

    internal static string Share(double? share) =>
        share is { } value ? value.ToString("P0", CultureInfo.InvariantCulture) : "-";

    internal static string Number(double value, int decimals = 0) =>
        value.ToString(decimals == 0 ? "#,0" : "#,0." + new string('0', decimals), CultureInfo.InvariantCulture);
}
