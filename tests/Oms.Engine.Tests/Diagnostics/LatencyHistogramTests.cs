namespace Oms.Engine.Tests.Diagnostics;

public class LatencyHistogramTests
{
    private static readonly double[] s_percentiles = [0, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100];

    [Fact]
    public void Buckets_EveryIndex_CoversAContiguousRangeThatMapsBackToIt()
    {
        // Arrange / Act / Assert: the buckets tile [0, HighestTrackableValue] with no gap and no overlap.
        Assert.Equal(0, LatencyHistogram.GetLowestValue(0));
        for (int index = 0; index < LatencyHistogram.BucketCount; index++)
        {
            long lowest = LatencyHistogram.GetLowestValue(index);
            long highest = LatencyHistogram.GetHighestValue(index);
            Assert.Equal(index, LatencyHistogram.GetBucketIndex(lowest));
            Assert.Equal(index, LatencyHistogram.GetBucketIndex(highest));
            if (index + 1 < LatencyHistogram.BucketCount)
            {
                Assert.Equal(highest + 1, LatencyHistogram.GetLowestValue(index + 1));
            }

            // The precision promise: a bucket is never wider than 1/256 of its lowest value.
            Assert.True(
                (highest - lowest + 1) <= Math.Max(1, lowest * LatencyHistogram.RelativePrecision),
                $"bucket {index} [{lowest}, {highest}] is too wide");
        }

        Assert.Equal(LatencyHistogram.HighestTrackableValue, LatencyHistogram.GetHighestValue(LatencyHistogram.BucketCount - 1));
        Assert.True(LatencyHistogram.HighestTrackableValue > 60_000_000_000L);
    }

    [Fact]
    public void Buckets_ValuesBelow512_AreExact()
    {
        // Arrange / Act / Assert
        for (long value = 0; value < 512; value++)
        {
            int index = LatencyHistogram.GetBucketIndex(value);
            Assert.Equal(value, LatencyHistogram.GetLowestValue(index));
            Assert.Equal(value, LatencyHistogram.GetHighestValue(index));
        }
    }

    [Fact]
    public void Queries_EmptyHistogram_ReportZeros()
    {
        // Arrange
        var histogram = new LatencyHistogram();

        // Act / Assert
        AssertSummary(histogram, count: 0, min: 0, max: 0, mean: 0);
        Assert.Equal(0, histogram.ClampedCount);
        Assert.All(s_percentiles, p => Assert.Equal(0, histogram.GetValueAtPercentile(p)));
    }

    [Theory]
    [InlineData(-0.001)]
    [InlineData(100.001)]
    [InlineData(double.NaN)]
    public void GetValueAtPercentile_OutOfRange_Throws(double percentile)
    {
        // Arrange
        var histogram = new LatencyHistogram();

        // Act / Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => histogram.GetValueAtPercentile(percentile));
    }

    [Fact]
    public void Percentiles_UniformOneToHundredThousand_WithinPrecision()
    {
        // Arrange
        var histogram = new LatencyHistogram();
        for (long value = 1; value <= 100_000; value++)
        {
            histogram.Record(value);
        }

        // Act / Assert: the true p-th value is p × 1000; the report never understates and stays within 1/256.
        foreach (double p in new[] { 50, 90, 99, 99.9 })
        {
            long exact = (long)Math.Round(p * 1_000);
            AssertWithinPrecision(exact, histogram.GetValueAtPercentile(p));
        }

        Assert.Equal(1, histogram.GetValueAtPercentile(0));
        Assert.Equal(100_000, histogram.GetValueAtPercentile(100));
        AssertSummary(histogram, count: 100_000, min: 1, max: 100_000, mean: 50_000.5);
    }

    [Fact]
    public void Percentiles_ThreeNinesOfAThousand_IsTheNineHundredNinetyNinthValue()
    {
        // Arrange: 99.9 × 1000 / 100 computes as 999.0000000000001 in binary floating point.
        var histogram = new LatencyHistogram();
        for (long value = 1; value <= 1_000; value++)
        {
            histogram.Record(value);
        }

        // Act
        long p999 = histogram.GetValueAtPercentile(99.9);

        // Assert: 999 and 1000 share no bucket (width 2 from 512), so a rank off by one would show.
        Assert.Equal(999, p999);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Percentiles_SkewedRandomLatencies_MatchASortedOracleWithinPrecision(int seed)
    {
        // Arrange: a latency-like spread from 100 ns to about 60 s, log-uniform with a heavy tail.
        var random = new Random(seed);
        long[] values = new long[200_000];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (long)Math.Pow(10, 2 + (random.NextDouble() * random.NextDouble() * 8.77));
        }

        var histogram = new LatencyHistogram();
        foreach (long value in values)
        {
            histogram.Record(value);
        }

        Array.Sort(values);

        // Act / Assert
        foreach (double p in s_percentiles)
        {
            // Decimal arithmetic, so the oracle's rank is exact (99.99 % of 200,000 is rank 199,980).
            long rank = Math.Max(1, (long)Math.Ceiling((decimal)p / 100 * values.Length));
            AssertWithinPrecision(values[rank - 1], histogram.GetValueAtPercentile(p));
        }

        Assert.Equal(values[0], histogram.Min);
        Assert.Equal(values[^1], histogram.Max);
        Assert.Equal(values.Average(v => (double)v), histogram.Mean, 1e-9 * histogram.Mean);
        Assert.Equal(0, histogram.ClampedCount);
    }

    [Fact]
    public void Record_ValuesAboveTheRange_ClampToTheTopBucketAndAreCounted()
    {
        // Arrange
        var histogram = new LatencyHistogram();
        histogram.Record(1_000);

        // Act
        histogram.Record(LatencyHistogram.HighestTrackableValue + 1);
        histogram.Record(long.MaxValue);
        histogram.Record(LatencyHistogram.HighestTrackableValue);

        // Assert
        Assert.Equal(2, histogram.ClampedCount);
        Assert.Equal(4, histogram.TotalCount);
        Assert.Equal(LatencyHistogram.HighestTrackableValue, histogram.Max);
        Assert.Equal(LatencyHistogram.HighestTrackableValue, histogram.GetValueAtPercentile(100));
        Assert.Equal(LatencyHistogram.HighestTrackableValue, histogram.GetValueAtPercentile(50));
        Assert.Equal(1_000, histogram.GetValueAtPercentile(25));
    }

    [Fact]
    public void Record_NegativeValue_RecordsZeroAndIsCounted()
    {
        // Arrange
        var histogram = new LatencyHistogram();

        // Act
        histogram.Record(-5);
        histogram.Record(700);

        // Assert
        Assert.Equal(1, histogram.ClampedCount);
        Assert.Equal(0, histogram.Min);
        Assert.Equal(0, histogram.GetValueAtPercentile(50));
        Assert.Equal(350, histogram.Mean);
    }

    [Fact]
    public void Merge_TwoHalves_EqualsOneHistogramOfEverything()
    {
        // Arrange
        var low = new LatencyHistogram();
        var high = new LatencyHistogram();
        var all = new LatencyHistogram();
        var random = new Random(11);
        for (int i = 0; i < 50_000; i++)
        {
            long a = random.Next(100, 5_000);
            long b = random.Next(5_000, 50_000_000);
            low.Record(a);
            high.Record(b);
            all.Record(a);
            all.Record(b);
        }

        high.Record(long.MaxValue);
        all.Record(long.MaxValue);

        // Act
        low.Merge(high);

        // Assert
        AssertSame(all, low);
        Assert.Equal(1, low.ClampedCount);
    }

    [Fact]
    public void Merge_EmptyHistogram_ChangesNothing()
    {
        // Arrange
        var histogram = new LatencyHistogram();
        histogram.Record(1_234);
        histogram.Record(5_678);

        // Act
        histogram.Merge(new LatencyHistogram());

        // Assert
        AssertSummary(histogram, count: 2, min: 1_234, max: 5_678, mean: 3_456);
    }

    [Fact]
    public void CopyTo_Snapshot_EqualsTheSourceAndIsIndependentOfIt()
    {
        // Arrange
        var source = new LatencyHistogram();
        var snapshot = new LatencyHistogram();
        snapshot.Record(42);
        for (long value = 300; value < 900_000; value += 7)
        {
            source.Record(value);
        }

        // Act
        source.CopyTo(snapshot);
        var expected = new LatencyHistogram();
        source.CopyTo(expected);
        source.Record(10_000_000_000);

        // Assert: the snapshot's old content is gone and later records do not reach it.
        AssertSame(expected, snapshot);
        Assert.Equal(300, snapshot.Min);
        Assert.True(snapshot.Max < 900_000);
        Assert.Equal(source.TotalCount - 1, snapshot.TotalCount);
    }

    [Fact]
    public void CopyTo_Itself_Throws()
    {
        // Arrange
        var histogram = new LatencyHistogram();

        // Act / Assert
        Assert.Throws<ArgumentException>(() => histogram.CopyTo(histogram));
    }

    [Fact]
    public void Reset_RecordedHistogram_IsEmptyAgain()
    {
        // Arrange
        var histogram = new LatencyHistogram();
        histogram.Record(5_000);
        histogram.Record(long.MaxValue);

        // Act
        histogram.Reset();
        histogram.Record(800);

        // Assert
        Assert.Equal(1, histogram.TotalCount);
        Assert.Equal(0, histogram.ClampedCount);
        Assert.Equal(800, histogram.Min);
        Assert.Equal(800, histogram.Max);
        Assert.Equal(800, histogram.GetValueAtPercentile(100));
    }

    [Fact]
    public void RecordStopwatchTicks_OneSecondOfTicks_RecordsOneSecondInNanoseconds()
    {
        // Arrange
        var histogram = new LatencyHistogram();

        // Act
        histogram.RecordStopwatchTicks(Stopwatch.Frequency);

        // Assert
        Assert.Equal(1_000_000_000, histogram.Max);
        Assert.Equal(1_000_000_000, LatencyHistogram.StopwatchTicksToNanoseconds(Stopwatch.Frequency));
    }

    [Fact]
    public void RecordAndQueries_AfterWarmUp_DoNotAllocate()
    {
        // Arrange
        var histogram = new LatencyHistogram();
        var snapshot = new LatencyHistogram();
        histogram.Record(1);
        histogram.GetValueAtPercentile(50);
        histogram.CopyTo(snapshot);
        long p99 = 0;

        // Act
        long allocated = AllocationMeter.LeastAllocatedBytes(() =>
        {
            for (long value = 0; value < 200_000; value++)
            {
                histogram.Record(value * 997);
            }

            histogram.RecordStopwatchTicks(12_345);
            p99 = histogram.GetValueAtPercentile(99);
            histogram.CopyTo(snapshot);
            snapshot.Merge(histogram);
        });

        // Assert
        Assert.Equal(0, allocated);
        Assert.True(p99 > 0);
    }

    private static void AssertSummary(LatencyHistogram histogram, long count, long min, long max, double mean)
    {
        Assert.Equal(count, histogram.TotalCount);
        Assert.Equal(min, histogram.Min);
        Assert.Equal(max, histogram.Max);
        Assert.Equal(mean, histogram.Mean);
    }

    private static void AssertWithinPrecision(long exact, long reported)
    {
        // Below 512 every value is exact; above, the reported value is its bucket's top (or the exact max).
        long slack = exact < 512 ? 0 : (long)(exact * LatencyHistogram.RelativePrecision);
        Assert.InRange(reported, exact, exact + slack);
    }

    private static void AssertSame(LatencyHistogram expected, LatencyHistogram actual)
    {
        Assert.Equal(expected.TotalCount, actual.TotalCount);
        Assert.Equal(expected.Min, actual.Min);
        Assert.Equal(expected.Max, actual.Max);
        Assert.Equal(expected.Mean, actual.Mean, 1e-9 * Math.Max(1, expected.Mean));
        Assert.Equal(expected.ClampedCount, actual.ClampedCount);
        Assert.All(s_percentiles, p => Assert.Equal(expected.GetValueAtPercentile(p), actual.GetValueAtPercentile(p)));
    }
}
