using System.Globalization;
using Oms.Engine.Diagnostics;

namespace Oms.Load.Tests;

/// <summary>The <c>.hgrm</c> percentile distribution: rows plotting tools read, and the summary lines.</summary>
public sealed class PercentileDistributionTests
{
    [Fact]
    public void Write_OneToAThousandMicroseconds_RowsRiseToTheMaxAndTheSummaryAddsUp()
    {
        var histogram = new LatencyHistogram();
        for (int micros = 1; micros <= 1000; micros++)
        {
            histogram.Record(micros * 1000L);
        }

        using var output = new StringWriter();
        PercentileDistribution.Write(histogram, output);
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Assert.Equal("Value     Percentile TotalCount 1/(1-Percentile)", lines[0]);
        var rows = lines.Skip(1).Where(l => !l.StartsWith('#')).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var values = rows.Select(r => double.Parse(r[0], CultureInfo.InvariantCulture)).ToList();
        var percentiles = rows.Select(r => double.Parse(r[1], CultureInfo.InvariantCulture)).ToList();
        var counts = rows.Select(r => long.Parse(r[2], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(1.0, values[0], 3);
        Assert.Equal(1000.0, values[^1], 3);
        Assert.Equal(1.0, percentiles[^1]);
        Assert.Equal("inf", rows[^1][3]);
        Assert.Equal(1000, counts[^1]);
        Assert.True(percentiles.Zip(percentiles.Skip(1)).All(p => p.First < p.Second), "percentiles must rise");
        Assert.True(values.Zip(values.Skip(1)).All(v => v.First <= v.Second), "values must not fall");
        Assert.True(counts.Zip(counts.Skip(1)).All(c => c.First <= c.Second), "counts must not fall");

        // The median row: 500 µs within the histogram's 1/256.
        int median = percentiles.IndexOf(0.5);
        Assert.True(median > 0, "a row at exactly 50 % (five steps per halving)");
        Assert.InRange(values[median], 500, 500 * (1 + LatencyHistogram.RelativePrecision));
        Assert.Contains(lines, l => l.StartsWith("#[Mean    =", StringComparison.Ordinal) && l.Contains("500.500", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("#[Max     =", StringComparison.Ordinal) && l.EndsWith("1000]", StringComparison.Ordinal));
    }

    [Fact]
    public void Write_Empty_HeaderAndAZeroSummaryOnly()
    {
        using var output = new StringWriter();
        PercentileDistribution.Write(new LatencyHistogram(), output);
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Assert.Equal(4, lines.Length);
        Assert.EndsWith("0]", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Steps_StopWhereTheCountCanNoLongerTellPercentilesApart()
    {
        var steps = PercentileDistribution.Steps(100).ToList();

        Assert.Equal(0, steps[0]);
        Assert.Equal(1, steps[^1]);
        Assert.True(1 / (1 - steps[^2]) <= 100);
    }
}
