using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Oms.Engine.Sequencing;

namespace Oms.LoadHarness.Reporting;

/// <summary>Renders the comparison: a Markdown table (stdout and the results file) or one JSON object.</summary>
internal static class ReportWriter
{
    public static string Json(ClientReport engine, ClientReport httpClient) =>
        new JsonObject { ["engine"] = engine.ToJson(), ["httpclient"] = httpClient.ToJson() }
            .ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    public static string Table(HarnessOptions options, ClientReport engine, ClientReport httpClient)
    {
        var rows = new List<(string Label, string Engine, string HttpClient, string Advantage)>();
        foreach ((PhaseResult e, PhaseResult h) in new[] { (engine.Steady, httpClient.Steady), (engine.FlatOut, httpClient.FlatOut), (engine.Mass, httpClient.Mass) })
        {
            string phase = e.Spec.Kind switch
            {
                Load.PhaseKind.Steady => $"steady {Number(e.Spec.Rate)}/s",
                Load.PhaseKind.Mass => $"mass {Number(e.Spec.Count)}",
                _ => "flat-out",
            };
            if (e.Spec.Kind == Load.PhaseKind.Mass)
            {
                rows.Add(($"{phase}: ms to last outcome", Number(e.Seconds * 1000, 1), Number(h.Seconds * 1000, 1), Times(h.Seconds, e.Seconds)));
            }

            rows.Add(($"{phase}: cancels/s", Number(e.CancelsPerSecond), Number(h.CancelsPerSecond), Times(e.CancelsPerSecond, h.CancelsPerSecond)));
            rows.Add(($"{phase}: client CPU µs/cancel", Number(e.CpuMicrosPerCancel, 2), Number(h.CpuMicrosPerCancel, 2), Times(h.CpuMicrosPerCancel, e.CpuMicrosPerCancel)));
            rows.Add(($"{phase}: client CPU µs/cancel without the JIT thread", Number(e.CpuMicrosPerCancelExcludingJit, 2), Number(h.CpuMicrosPerCancelExcludingJit, 2), Times(h.CpuMicrosPerCancelExcludingJit, e.CpuMicrosPerCancelExcludingJit)));
            rows.Add(($"{phase}: allocated B/cancel", Number(e.AllocatedBytesPerCancel, 1), Number(h.AllocatedBytesPerCancel, 1), Times(h.AllocatedBytesPerCancel, e.AllocatedBytesPerCancel)));
            rows.Add(($"{phase}: round trip p50 / p99 / p99.9 µs", e.RoundTrip?.ToString() ?? "-", h.RoundTrip?.ToString() ?? "-", LatencyTimes(e.RoundTrip, h.RoundTrip)));
            rows.Add(($"{phase}: tick-to-wire p50 / p99 / p99.9 µs", e.TickToWire?.ToString() ?? "-", "n/a", ""));
            rows.Add(($"{phase}: engine wire round trip p50 / p99 / p99.9 µs", e.WireRoundTrip?.ToString() ?? "-", "n/a", ""));
            rows.Add(($"{phase}: client CPU by thread", e.CpuByThreadText(), h.CpuByThreadText(), ""));
            rows.Add(($"{phase}: GCs gen0/1/2", Gcs(e), Gcs(h), ""));
            rows.Add(($"{phase}: acked / rejected (pool reused)", $"{Number(e.Acked)} / {Number(e.Rejected)}", $"{Number(h.Acked)} / {Number(h.Rejected)}", ""));
        }

        rows.Add(("counts reconciled (all runs incl. warm-up)", engine.Verified ? "yes" : "NO", httpClient.Verified ? "yes" : "NO", ""));

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Engine: wait strategy {WaitStrategyFactory.GetName(options.WaitStrategy)}, {options.Connections} connections, no rate limit, order-state capacity {Number(options.OrderStateCapacity)} (final states kept 1 s); HttpClient: SocketsHttpHandler HTTP/2, {options.Connections} connections, {options.Concurrency} requests in flight in flat-out; venue: separate process, {options.VenueStreams} streams per connection.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Runs per client: warm-up {Number(options.WarmupSeconds, 1)} s (uncounted), steady {Number(options.Rate)}/s for {Number(options.DurationSeconds, 1)} s, flat-out {Number(options.DurationSeconds, 1)} s, mass {Number(options.MassCount)} at once. \"advantage\" = how many times better the engine is.");
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

    private static string Number(double value, int decimals = 0) =>
        value.ToString(decimals == 0 ? "#,0" : "#,0." + new string('0', decimals), CultureInfo.InvariantCulture);
}
