namespace Oms.Engine.Tests.Sequencing;

/// <summary>
/// Several producers against one consumer through a small ring, with a deterministic end state: every event
/// seen exactly once, in order per producer, and a checksum over all of them.
/// </summary>
[Collection(TestThreads.Collection)]
public class MultiProducerStressTests
{
    [Fact]
    public void Yielding_FourProducersSingleClaims_EveryEventOnceInProducerOrder()
    {
        // Arrange / Act / Assert
        RunStress(new YieldingWaitStrategy(), producers: 4, eventsPerProducer: 750_000, claimBatch: 1);
    }

    [Fact]
    public void Blocking_ThreeProducersBatchClaims_EveryEventOnceInProducerOrder()
    {
        // Arrange / Act / Assert
        RunStress(new BlockingWaitStrategy(), producers: 3, eventsPerProducer: 400_000, claimBatch: 4);
    }

    [Fact]
    public void BlockingOnMonitor_ThreeProducersSingleClaims_EveryEventOnceInProducerOrder()
    {
        // Arrange / Act / Assert: the fallback parking place under the same load.
        RunStress(new BlockingWaitStrategy(useFutex: false), producers: 3, eventsPerProducer: 200_000, claimBatch: 1);
    }

    private static void RunStress<TWait>(TWait waitStrategy, int producers, int eventsPerProducer, int claimBatch)
        where TWait : struct, IWaitStrategy
    {
        // Arrange: 1024 slots, a few thousand times smaller than the run, so the ring wraps constantly.
        const int ringSize = 1024;
        var ring = new RingBuffer<TestEvent>(ringSize);
        var sequencer = new MultiProducerSequencer<TWait>(ringSize, waitStrategy);
        var tally = new StressTally(producers);
        var processor = new BatchEventProcessor<TestEvent, StressHandler, TWait>(
            ring, sequencer, new StressHandler(tally), Timeout.InfiniteTimeSpan, tally.RecordError);
        long total = (long)producers * eventsPerProducer;

        // Act
        processor.Start("stress-consumer");
        TestThreads.TestThread[] publishers =
        [
            .. Enumerable.Range(0, producers).Select(p => TestThreads.StartNew(
                $"stress-producer-{p}", () => Produce(ring, sequencer, p, eventsPerProducer, claimBatch))),
        ];
        foreach (TestThreads.TestThread publisher in publishers)
        {
            TestThreads.Join(publisher);
        }

        TestThreads.WaitUntil(() => processor.Sequence.Value == total - 1, "the consumer to drain the ring");
        Assert.True(processor.Stop(TestThreads.Bound));

        // Assert
        Assert.Null(tally.FirstError);
        Assert.Equal(total, tally.Count);
        Assert.All(tally.NextExpected, next => Assert.Equal(eventsPerProducer, next));
        long perProducerSum = (long)eventsPerProducer * (eventsPerProducer - 1) / 2;
        long producerIdSum = (long)eventsPerProducer * producers * (producers - 1) / 2;
        Assert.Equal((producers * perProducerSum) + producerIdSum, tally.Checksum);
        Assert.Equal(total - 1, sequencer.Cursor.Value);
    }

    private static void Produce<TWait>(
        RingBuffer<TestEvent> ring, MultiProducerSequencer<TWait> sequencer, int producerId, int count, int claimBatch)
        where TWait : struct, IWaitStrategy
    {
        long counter = 0;
        while (counter < count)
        {
            int n = (int)Math.Min(claimBatch, count - counter);
            if (!sequencer.TryNext(n, TestThreads.Bound, out long hi))
            {
                throw new InvalidOperationException($"Producer {producerId} found the ring full for {TestThreads.Bound}.");
            }

            long lo = hi - n + 1;
            for (long sequence = lo; sequence <= hi; sequence++)
            {
                ref TestEvent slot = ref ring[sequence];
                slot.ProducerId = producerId;
                slot.Counter = counter++;
            }

            if (n == 1)
            {
                sequencer.Publish(hi);
            }
            else
            {
                sequencer.Publish(lo, hi);
            }
        }
    }

    /// <summary>The consumer's bookkeeping; only the consumer thread writes it, the test reads it after the join.</summary>
    private sealed class StressTally(int producers)
    {
        public long[] NextExpected { get; } = new long[producers];

        public long Count { get; set; }

        public long Checksum { get; set; }

        public string? FirstError { get; set; }

        public void RecordError(Exception exception, long sequence) => FirstError ??= $"{sequence}: {exception.Message}";
    }

    private readonly struct StressHandler(StressTally tally) : IRingEventHandler<TestEvent>
    {
        public void OnBatchStart(long batchSize)
        {
        }

        public void OnEvent(ref TestEvent data, long sequence, bool endOfBatch)
        {
            if (data.Counter != tally.NextExpected[data.ProducerId])
            {
                tally.FirstError ??= $"sequence {sequence}: producer {data.ProducerId} sent {data.Counter}, expected {tally.NextExpected[data.ProducerId]}";
            }

            tally.NextExpected[data.ProducerId] = data.Counter + 1;
            tally.Count++;
            tally.Checksum += data.Counter + data.ProducerId;

            // Reset the slot: a slot read twice, or a sequence handed out twice, then shows as producer 0 counter -1.
            data.Counter = -1;
            data.ProducerId = 0;
        }

        public void OnIdle()
        {
        }
    }
}
