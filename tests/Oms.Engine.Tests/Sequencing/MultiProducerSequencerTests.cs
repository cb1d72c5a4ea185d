namespace Oms.Engine.Tests.Sequencing;

[Collection(TestThreads.Collection)]
public class MultiProducerSequencerTests
{
    private static MultiProducerSequencer<YieldingWaitStrategy> NewSequencer(int size) => new(size, new YieldingWaitStrategy());

    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    public void MultiProducerSequencer_BufferSizeNotPowerOfTwo_Throws(int size)
    {
        // Arrange / Act
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => NewSequencer(size));

        // Assert
        Assert.Equal("bufferSize", exception.ParamName);
    }

    [Fact]
    public void TryNext_UntilFull_ClaimsConsecutiveSequencesThenReturnsFalse()
    {
        // Arrange
        var sequencer = NewSequencer(4);
        var claimed = new List<long>();

        // Act
        while (sequencer.TryNext(out long sequence))
        {
            claimed.Add(sequence);
            Assert.True(claimed.Count <= 4, "claimed more slots than the ring has");
        }

        // Assert
        Assert.Equal([0, 1, 2, 3], claimed);
        Assert.Equal(3, sequencer.Cursor.Value);
        Assert.Equal(0, sequencer.RemainingCapacity);
        Assert.Equal(4, sequencer.Occupancy);
    }

    [Fact]
    public void TryNext_WhenFull_ClaimsNothing()
    {
        // Arrange
        var sequencer = NewSequencer(2);
        Assert.True(sequencer.TryNext(2, out _));

        // Act
        bool claimed = sequencer.TryNext(out _);

        // Assert
        Assert.False(claimed);
        Assert.Equal(1, sequencer.Cursor.Value);
    }

    [Fact]
    public void TryNext_AfterConsumerAdvances_ReusesFreedSlots()
    {
        // Arrange
        var sequencer = NewSequencer(4);
        Assert.True(sequencer.TryNext(4, out _));
        Assert.False(sequencer.TryNext(out _));

        // Act: the consumer finishes sequences 0 and 1.
        sequencer.GatingSequence.SetValue(1);
        bool first = sequencer.TryNext(out long fifth);
        bool second = sequencer.TryNext(out long sixth);
        bool third = sequencer.TryNext(out _);

        // Assert
        Assert.True(first);
        Assert.True(second);
        Assert.False(third);
        Assert.Equal(4, fifth);
        Assert.Equal(5, sixth);
        Assert.Equal(0, sequencer.RemainingCapacity);
    }

    [Fact]
    public void TryNext_WhenCachedGatingSuffices_DoesNotReadConsumerSequence()
    {
        // Arrange: filling the ring never needed the consumer's sequence, so the cache still holds -1.
        var sequencer = NewSequencer(4);
        Assert.True(sequencer.TryNext(4, out _));
        long cachedWhenFilled = sequencer.CachedGatingSequence;
        sequencer.GatingSequence.SetValue(2);

        // Act: sequence 4 reuses sequence 0's slot, which the stale cache cannot vouch for: read and cache 2.
        Assert.True(sequencer.TryNext(out _));
        long cachedAfterRefresh = sequencer.CachedGatingSequence;
        sequencer.GatingSequence.SetValue(3);

        // Sequence 5 reuses sequence 1's slot, which the cached 2 already covers: no read of the consumer.
        Assert.True(sequencer.TryNext(out _));
        long cachedAfterCoveredClaim = sequencer.CachedGatingSequence;

        // Assert
        Assert.Equal(-1, cachedWhenFilled);
        Assert.Equal(2, cachedAfterRefresh);
        Assert.Equal(2, cachedAfterCoveredClaim);
    }

    [Fact]
    public void TryNext_Batch_ClaimsAllOrNothing()
    {
        // Arrange
        var sequencer = NewSequencer(8);

        // Act
        bool firstBatch = sequencer.TryNext(5, out long firstHi);
        bool tooBig = sequencer.TryNext(4, out _);
        bool fits = sequencer.TryNext(3, out long secondHi);

        // Assert
        Assert.True(firstBatch);
        Assert.Equal(4, firstHi);
        Assert.False(tooBig);
        Assert.True(fits);
        Assert.Equal(7, secondHi);
        Assert.Equal(7, sequencer.Cursor.Value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(9)]
    public void TryNext_BatchSizeOutsideOneToBufferSize_Throws(int n)
    {
        // Arrange
        var sequencer = NewSequencer(8);

        // Act / Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => sequencer.TryNext(n, out _));
    }

    [Fact]
    public void Publish_OutOfOrder_ExposesOnlyTheContiguousPrefix()
    {
        // Arrange: three producers claimed 0, 1 and 2; the one holding 1 is slow.
        var sequencer = NewSequencer(8);
        Assert.True(sequencer.TryNext(3, out long hi));

        // Act
        sequencer.Publish(2);
        sequencer.Publish(0);
        long beforeGapFilled = sequencer.GetHighestPublishedSequence(0, hi);
        sequencer.Publish(1);
        long afterGapFilled = sequencer.GetHighestPublishedSequence(0, hi);

        // Assert
        Assert.Equal(0, beforeGapFilled);
        Assert.Equal(2, afterGapFilled);
        Assert.True(sequencer.IsAvailable(2));
    }

    [Fact]
    public void GetHighestPublishedSequence_WhenLowerBoundUnpublished_ReturnsLowerBoundMinusOne()
    {
        // Arrange
        var sequencer = NewSequencer(8);
        Assert.True(sequencer.TryNext(2, out _));
        sequencer.Publish(1);

        // Act
        long highest = sequencer.GetHighestPublishedSequence(0, 1);

        // Assert
        Assert.Equal(-1, highest);
    }

    [Fact]
    public void IsAvailable_AfterWrap_DistinguishesLaps()
    {
        // Arrange: publish sequence 1 in lap 0, consume, then claim the same slot in lap 1 (sequence 5).
        var sequencer = NewSequencer(4);
        Assert.True(sequencer.TryNext(4, out long hi));
        sequencer.Publish(0, hi);
        sequencer.GatingSequence.SetValue(hi);
        Assert.True(sequencer.TryNext(2, out long nextHi));

        // Act
        bool firstLapBeforeRepublish = sequencer.IsAvailable(1);
        bool secondLapBeforePublish = sequencer.IsAvailable(5);
        sequencer.Publish(4, nextHi);
        bool secondLapAfterPublish = sequencer.IsAvailable(5);
        bool firstLapAfterRepublish = sequencer.IsAvailable(1);

        // Assert: slot 1 holds sequence 1 (lap 0), then sequence 5 (lap 1); only the current lap counts.
        Assert.True(firstLapBeforeRepublish);
        Assert.False(secondLapBeforePublish);
        Assert.True(secondLapAfterPublish);
        Assert.False(firstLapAfterRepublish);
    }

    [Fact]
    public void Occupancy_TracksClaimsAndConsumption()
    {
        // Arrange
        var sequencer = NewSequencer(16);

        // Act
        Assert.True(sequencer.TryNext(10, out _));
        long afterClaim = sequencer.Occupancy;
        sequencer.GatingSequence.SetValue(6);
        long afterConsume = sequencer.Occupancy;

        // Assert
        Assert.Equal(10, afterClaim);
        Assert.Equal(3, afterConsume);
        Assert.Equal(13, sequencer.RemainingCapacity);
    }

    [Fact]
    public void TryNextWithTimeout_OnFullRing_ReturnsFalseAfterDeadline()
    {
        // Arrange
        var sequencer = NewSequencer(4);
        Assert.True(sequencer.TryNext(4, out _));
        var timeout = TimeSpan.FromMilliseconds(50);
        long start = Stopwatch.GetTimestamp();

        // Act
        bool claimed = sequencer.TryNext(timeout, out _);

        // Assert: a lower bound only; how late the wait ends depends on the machine.
        Assert.False(claimed);
        Assert.True(Stopwatch.GetElapsedTime(start) >= timeout, "gave up before the deadline");
        Assert.Equal(3, sequencer.Cursor.Value);
    }

    [Fact]
    public void TryNextWithTimeout_WhenConsumerFreesSpace_Claims()
    {
        // Arrange
        var sequencer = NewSequencer(4);
        Assert.True(sequencer.TryNext(4, out _));
        long claimedSequence = -1;
        bool claimed = false;
        var producer = TestThreads.StartNew("producer", () => claimed = sequencer.TryNext(Timeout.InfiniteTimeSpan, out claimedSequence));

        // Act
        sequencer.GatingSequence.SetValue(0);
        TestThreads.Join(producer);

        // Assert
        Assert.True(claimed);
        Assert.Equal(4, claimedSequence);
    }

    [Fact]
    public void TryNextWithTimeout_NegativeTimeout_Throws()
    {
        // Arrange
        var sequencer = NewSequencer(4);

        // Act / Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => sequencer.TryNext(TimeSpan.FromMilliseconds(-5), out _));
    }

    [Fact]
    public void TryNext_ConcurrentProducers_ClaimEachSequenceOnce()
    {
        // Arrange: a ring larger than all claims, so only the CAS decides who gets what.
        const int producers = 4;
        const int claimsPerProducer = 25_000;
        var sequencer = NewSequencer(1 << 17);
        var claims = new long[producers][];

        void Claim(int producer)
        {
            var mine = new long[claimsPerProducer];
            for (int i = 0; i < claimsPerProducer; i++)
            {
                if (!sequencer.TryNext(out mine[i]))
                {
                    throw new InvalidOperationException("A ring larger than every claim reported full.");
                }
            }

            claims[producer] = mine;
        }

        // Act
        TestThreads.TestThread[] threads =
            [.. Enumerable.Range(0, producers).Select(p => TestThreads.StartNew($"claimer-{p}", () => Claim(p)))];
        foreach (TestThreads.TestThread thread in threads)
        {
            TestThreads.Join(thread);
        }

        // Assert: every sequence 0..N-1 was handed out exactly once, and each producer's claims increase.
        long[] all = [.. claims.SelectMany(c => c).Order()];
        Assert.Equal(Enumerable.Range(0, producers * claimsPerProducer).Select(i => (long)i), all);
        Assert.All(claims, c => Assert.True(c.Zip(c.Skip(1)).All(pair => pair.First < pair.Second)));
    }
}
