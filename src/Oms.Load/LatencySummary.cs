using System.Globalization;
using System.Text.Json.Nodes;
using Oms.Engine.Diagnostics;

namespace Oms.Load;

/// <summary>A latency histogram's percentiles and maximum, in microseconds: what every load report shows of one.</summary>
internal sealed record LatencySummary(double P50, double P90, double P99, double P999, double Max, long Count)
{
    /// <summary>The summary of <paramref name="histogram"/> (nanoseconds); null when it is missing or empty.</summary>
    public static LatencySummary? From(LatencyHistogram? histogram) =>
        histogram is null || histogram.TotalCount == 0
            ? null
            : new LatencySummary(
                histogram.GetValueAtPercentile(50) / 1000.0,
                histogram.GetValueAtPercentile(90) / 1000.0,
                histogram.GetValueAtPercentile(99) / 1000.0,
                histogram.GetValueAtPercentile(99.9) / 1000.0,
                histogram.Max / 1000.0,
                histogram.TotalCount);

    /// <summary>p50, p99 and p99.9, rounded to 0.1 µs: the harness's form.</summary>
    public JsonObject ToJson() => new()
    {
        ["p50"] = Math.Round(P50, 1),
        ["p99"] = Math.Round(P99, 1),
        ["p999"] = Math.Round(P999, 1),
    };

    /// <summary>"p50 / p99 / p99.9", one decimal below 100 µs.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Format(P50)} / {Format(P99)} / {Format(P999)}");

    private static string Format(double micros) => micros < 100
        ? micros.ToString("0.0", CultureInfo.InvariantCulture)
        : micros.ToString("#,0", CultureInfo.InvariantCulture);
}
