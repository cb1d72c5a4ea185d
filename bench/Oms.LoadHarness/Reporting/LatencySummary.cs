using System.Globalization;
using System.Text.Json.Nodes;
using Oms.Engine.Metrics;

namespace Oms.LoadHarness.Reporting;

/// <summary>The three percentiles the harness reports, in microseconds.</summary>
internal sealed record LatencySummary(double P50, double P99, double P999, long Count)
{
    public static LatencySummary? From(LatencyHistogram? histogram) =>
        histogram is null || histogram.TotalCount == 0
            ? null
            : new LatencySummary(
                histogram.GetValueAtPercentile(50) / 1000.0,
                histogram.GetValueAtPercentile(99) / 1000.0,
                histogram.GetValueAtPercentile(99.9) / 1000.0,
                histogram.TotalCount);

    public JsonObject ToJson() => new()
    {
        ["p50"] = Math.Round(P50, 1),
        ["p99"] = Math.Round(P99, 1),
        ["p999"] = Math.Round(P999, 1),
    };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Format(P50)} / {Format(P99)} / {Format(P999)}");

    private static string Format(double micros) => micros < 100
        ? micros.ToString("0.0", CultureInfo.InvariantCulture)
        : micros.ToString("#,0", CultureInfo.InvariantCulture);
}
