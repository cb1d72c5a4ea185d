namespace Oms.Engine.Tests.Diagnostics;

/// <summary>A reader snapshotting a histogram while its owner records: racy by design, never inconsistent.</summary>
[Collection(TestThreads.Collection)]
public class LatencyHistogramConcurrencyTests
{
    [Fact]
    public void CopyTo_WhileTheOwnerRecords_EverySnapshotAgreesWithItself()
    {
        // Arrange
        var histogram = new LatencyHistogram();
        var snapshot = new LatencyHistogram();
        bool writerDone = false;
        long snapshots = 0;

        // Act: the owner records a rising sequence; a reader snapshots meanwhile.
        TestThreads.TestThread writer = TestThreads.StartNew("histogram-writer", () =>
        {
            try
            {
                for (long value = 1; value <= 3_000_000; value++)
                {
                    histogram.Record(value % 1_000_000 * 1_000);
                }
            }
            finally
            {
                Volatile.Write(ref writerDone, true);
            }
        });

        while (!Volatile.Read(ref writerDone) || snapshots < 10)
        {
            histogram.CopyTo(snapshot);
            snapshots++;

            // Assert: count, min, max, mean and percentiles are mutually consistent in every snapshot.
            long count = snapshot.TotalCount;
            if (count == 0)
            {
                continue;
            }

            long min = snapshot.Min;
            long max = snapshot.Max;
            long p50 = snapshot.GetValueAtPercentile(50);
            Assert.True(min <= p50 && p50 <= max, $"min {min}, p50 {p50}, max {max}");
            Assert.Equal(min, snapshot.GetValueAtPercentile(0));
            Assert.Equal(max, snapshot.GetValueAtPercentile(100));
            Assert.InRange(snapshot.Mean, min, max);
        }

        TestThreads.Join(writer);

        // Assert
        histogram.CopyTo(snapshot);
        Assert.Equal(3_000_000, snapshot.TotalCount);
    }
}
