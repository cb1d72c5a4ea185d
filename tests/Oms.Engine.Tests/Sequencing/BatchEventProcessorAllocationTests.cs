namespace Oms.Engine.Tests.Sequencing;

/// <summary>The steady state allocates nothing, on either side of the ring.</summary>
[Collection(TestThreads.Collection)]
public class BatchEventProcessorAllocationTests
{
    private const int WarmUpEvents = 50_000;
    private const int MeasuredEvents = 100_000;

    [Fact]
    public void PublishAndConsume_AfterWarmUp_AllocateNothingOnProducerOrConsumerThread()
    {
        // Arrange
        const int ringSize = 1024;
        var ring = new RingBuffer<TestEvent>(ringSize);
        var sequencer = new MultiProducerSequencer<YieldingWaitStrategy>(ringSize, new YieldingWaitStrategy());
        var meter = new ConsumerMeter();
        var processor = new BatchEventProcessor<TestEvent, MeteringHandler, YieldingWaitStrategy>(
            ring, sequencer, new MeteringHandler(meter), Timeout.InfiniteTimeSpan, meter.RecordError);
        long producerAllocated = -1;
        processor.Start("alloc-consumer");

        // Act
        var producer = TestThreads.StartNew("alloc-producer", () =>
        {
            Publish(ring, sequencer, 0, WarmUpEvents);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Publish(ring, sequencer, WarmUpEvents, MeasuredEvents);
            producerAllocated = GC.GetAllocatedBytesForCurrentThread() - before;
        });
        TestThreads.Join(producer);
        TestThreads.WaitUntil(() => processor.Sequence.Value == WarmUpEvents + MeasuredEvents - 1, "the consumer to drain the ring");
        Assert.True(processor.Stop(TestThreads.Bound));

        // Assert
        Assert.Null(meter.Error);
        Assert.Equal(0, producerAllocated);
        Assert.Equal(0, meter.AllocatedWhileMeasuring);
    }

    private static void Publish(
        RingBuffer<TestEvent> ring, MultiProducerSequencer<YieldingWaitStrategy> sequencer, long firstCounter, int count)
    {
        for (long counter = firstCounter; counter < firstCounter + count; counter++)
        {
            if (!sequencer.TryNext(TestThreads.Bound, out long sequence))
            {
                throw new InvalidOperationException("The ring stayed full.");
            }

            ring[sequence].Counter = counter;
            sequencer.Publish(sequence);
        }
    }

    /// <summary>Reads the consumer thread's allocation counter at the first and last measured events.</summary>
    private sealed class ConsumerMeter
    {
        private long _startBytes;

        public long AllocatedWhileMeasuring { get; private set; } = -1;

        public string? Error { get; private set; }

        public void RecordError(Exception exception, long sequence) => Error ??= $"{sequence}: {exception.Message}";

        public void OnEvent(long counter)
        {
            // Everything between these two points, including the processor's waits and batch bookkeeping,
            // runs on this thread and is counted.
            if (counter == WarmUpEvents)
            {
                _startBytes = GC.GetAllocatedBytesForCurrentThread();
            }
            else if (counter == WarmUpEvents + MeasuredEvents - 1)
            {
                AllocatedWhileMeasuring = GC.GetAllocatedBytesForCurrentThread() - _startBytes;
            }
        }
    }

    private readonly struct MeteringHandler(ConsumerMeter meter) : IRingEventHandler<TestEvent>
    {
        public void OnBatchStart(long batchSize)
        {
        }

        public void OnEvent(ref TestEvent data, long sequence, bool endOfBatch) => meter.OnEvent(data.Counter);

        public void OnIdle()
        {
        }
    }
}
