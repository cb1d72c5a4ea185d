using System.Globalization;
using Oms.Engine.Diagnostics;

namespace Oms.Load;

/// <summary>
/// Writes a latency histogram as a percentile distribution in the plain-text layout HdrHistogram's tools print and
/// read (<c>.hgrm</c>): a header, one row per percentile step (value, percentile as a fraction, count at or below,
/// 1/(1-percentile)), finer as the tail approaches 100 %, and three <c>#[...]</c> summary lines.
/// </summary>
/// <remarks>Values are written in microseconds (the histogram records nanoseconds), with three decimals.</remarks>
internal static class PercentileDistribution
{
    /// <summary>Rows per halving of the distance to 100 %: five, as HdrHistogram's own tools print by default.</summary>
    public const int StepsPerHalfDistance = 5;

    private const double NanosecondsPerMicrosecond = 1000.0;

    /// <summary>The percentiles (0 to 1) the rows show for <paramref name="totalCount"/> values: 0 up to the last one a count can tell apart, then 1.</summary>
    public static IEnumerable<double> Steps(long totalCount)
    {
        for (int step = 0; ; step++)
        {
            // Each halving of the distance to 100 % gets the same number of rows.
            double percentile = 1 - Math.Pow(2, -step / (double)StepsPerHalfDistance);
            if (step > 0 && 1 / (1 - percentile) > totalCount)
            {
                break;
            }

            yield return percentile;
        }

        yield return 1;
    }

    /// <summary>Writes <paramref name="histogram"/>'s distribution; an empty histogram gets the header and a zero summary.</summary>
    public static void Write(LatencyHistogram histogram, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        ArgumentNullException.ThrowIfNull(output);
        var snapshot = new LatencyHistogram();
        histogram.CopyTo(snapshot);
        long total = snapshot.TotalCount;
        output.WriteLine("       Value     Percentile TotalCount 1/(1-Percentile)");
        output.WriteLine();
        if (total > 0)
        {
            foreach (double percentile in Steps(total))
            {
                double value = snapshot.GetValueAtPercentile(percentile * 100) / NanosecondsPerMicrosecond;
                long atOrBelow = Math.Max(1, (long)Math.Ceiling(percentile * total));
                string inverse = percentile < 1 ? (1 / (1 - percentile)).ToString("F2", CultureInfo.InvariantCulture) : "inf";
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{value,12:F3} {percentile,14:F12} {atOrBelow,10} {inverse,14}"));
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"#[Mean    = {snapshot.Mean / NanosecondsPerMicrosecond,12:F3}, StdDeviation   = {snapshot.StandardDeviation / NanosecondsPerMicrosecond,12:F3}]"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"#[Max     = {snapshot.Max / NanosecondsPerMicrosecond,12:F3}, Total count    = {total,12}]"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"#[Buckets = {LatencyHistogram.ValueBits - LatencyHistogram.SubBucketBits,12}, SubBuckets     = {1 << (LatencyHistogram.SubBucketBits + 1),12}]"));
    }
}
