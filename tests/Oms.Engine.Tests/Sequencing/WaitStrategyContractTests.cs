namespace Oms.Engine.Tests.Sequencing;

/// <summary>
/// What every wait strategy promises. Each strategy's test class derives from this and only supplies
/// <see cref="Contract"/>, a <see cref="WaitStrategyContract{TWait}"/> for its strategy type.
/// </summary>
/// <remarks>
/// Not generic over the strategy: xunit runs public classes only, and the strategies are internal to the engine, so a
/// public test class cannot name one as a type argument. The bodies live in the internal generic class below.
/// </remarks>
public abstract class WaitStrategyContractTests
{
    private protected abstract IWaitStrategyContract Contract { get; }

    [Fact]
    public void WaitFor_AlreadyPublished_ReturnsHighestContiguousSequence() => Contract.WaitFor_AlreadyPublished_ReturnsHighestContiguousSequence();

    [Fact]
    public void WaitFor_GapAfterRequested_ReturnsOnlyThePrefix() => Contract.WaitFor_GapAfterRequested_ReturnsOnlyThePrefix();

    [Fact]
    public void WaitFor_PublishedWhileWaiting_ReturnsPublishedSequence() => Contract.WaitFor_PublishedWhileWaiting_ReturnsPublishedSequence();

    [Fact]
    public void WaitFor_HaltedWhileWaiting_ReturnsHalted() => Contract.WaitFor_HaltedWhileWaiting_ReturnsHalted();

    [Fact]
    public void WaitFor_HaltedBeforeWaiting_ReturnsHalted() => Contract.WaitFor_HaltedBeforeWaiting_ReturnsHalted();

    [Fact]
    public void WaitFor_NothingPublished_TimesOutNoSoonerThanTimeout() => Contract.WaitFor_NothingPublished_TimesOutNoSoonerThanTimeout();

    [Fact]
    public void Processor_NoEvents_CallsOnIdleRepeatedly() => Contract.Processor_NoEvents_CallsOnIdleRepeatedly();

    [Fact]
    public void WaitFor_ConcurrentPublishers_ConsumerSeesEveryEventOnceInProducerOrder() => Contract.WaitFor_ConcurrentPublishers_ConsumerSeesEveryEventOnceInProducerOrder();
}

/// <summary>The contract's tests, one method each, for one strategy type.</summary>
internal interface IWaitStrategyContract
{
    void WaitFor_AlreadyPublished_ReturnsHighestContiguousSequence();

    void WaitFor_GapAfterRequested_ReturnsOnlyThePrefix();

    void WaitFor_PublishedWhileWaiting_ReturnsPublishedSequence();

    void WaitFor_HaltedWhileWaiting_ReturnsHalted();

    void WaitFor_HaltedBeforeWaiting_ReturnsHalted();

    void WaitFor_NothingPublished_TimesOutNoSoonerThanTimeout();

    void Processor_NoEvents_CallsOnIdleRepeatedly();

    void WaitFor_ConcurrentPublishers_ConsumerSeesEveryEventOnceInProducerOrder();
}

/// <summary>The contract's test bodies for <typeparamref name="TWait"/>, made by <paramref name="create"/>.</summary>
internal sealed class WaitStrategyContract<TWait>(Func<TWait> create) : IWaitStrategyContract
    where TWait : struct, IWaitStrategy
{
    private const int RingSize = 64;

    private TWait CreateStrategy() => create();

    public void WaitFor_AlreadyPublished_ReturnsHighestContiguousSequence()
    {
        // Arrange
        var sequencer = new MultiProducerSequencer<TWait>(RingSize, CreateStrategy());
        SequenceBarrier barrier = sequencer.NewBarrier();
        Assert.True(sequencer.TryNext(3, out long hi));
        sequencer.Publish(0, hi);

        // Act
        long available = sequencer.WaitStrategy.WaitFor(0, barrier, Timeout.InfiniteTimeSpan);

        // Assert
        Assert.Equal(2, available);
    }

    public void WaitFor_GapAfterRequested_ReturnsOnlyThePrefix()
    {
        // Arrange: 0 and 2 are published, 1 is claimed but not yet.
        var sequencer = new MultiProducerSequencer<TWait>(RingSize, CreateStrategy());
        SequenceBarrier barrier = sequencer.NewBarrier();
        Assert.True(sequencer.TryNext(3, out _));
        sequencer.Publish(0);
        sequencer.Publish(2);

        // Act
        long fromZero = sequencer.WaitStrategy.WaitFor(0, barrier, TimeSpan.FromMilliseconds(10));
        long fromOne = sequencer.WaitStrategy.WaitFor(1, barrier, TimeSpan.FromMilliseconds(10));

        // Assert
        Assert.Equal(0, fromZero);
        Assert.Equal(WaitResult.TimedOut, fromOne);
    }

    public void WaitFor_PublishedWhileWaiting_ReturnsPublishedSequence()
    {
        // Arrange
        var sequencer = new MultiProducerSequencer<TWait>(RingSize, CreateStrategy());
        SequenceBarrier barrier = sequencer.NewBarrier();
        TWait consumerCopy = sequencer.WaitStrategy;
        long result = long.MaxValue;
        var waiter = TestThreads.StartNew("waiter", () => result = consumerCopy.WaitFor(0, barrier, Timeout.InfiniteTimeSpan));

        // Act: give the waiter a chance to reach its slowest stage (parked or sleeping) before publishing;
        // correctness does not depend on it.
        Thread.Sleep(20);
        Assert.True(sequencer.TryNext(out long sequence));
        sequencer.Publish(sequence);
        TestThreads.Join(waiter);

        // Assert
        Assert.Equal(0, result);
    }

    public void WaitFor_HaltedWhileWaiting_ReturnsHalted()
    {
        // Arrange
        var sequencer = new MultiProducerSequencer<TWait>(RingSize, CreateStrategy());
        SequenceBarrier barrier = sequencer.NewBarrier();
        TWait consumerCopy = sequencer.WaitStrategy;
        long result = 0;
        var waiter = TestThreads.StartNew("waiter", () => result = consumerCopy.WaitFor(0, barrier, Timeout.InfiniteTimeSpan));

        // Act: the same two steps as BatchEventProcessor.Halt.
        Thread.Sleep(20);
        barrier.Halt();
        sequencer.WaitStrategy.SignalAllWhenBlocking();
        TestThreads.Join(waiter);

        // Assert: the join bound is the "bounded time"; an infinite timeout leaves only the halt to end the wait.
        Assert.Equal(WaitResult.Halted, result);
    }

    public void WaitFor_HaltedBeforeWaiting_ReturnsHalted()
    {
        // Arrange
        var sequencer = new MultiProducerSequencer<TWait>(RingSize, CreateStrategy());
        SequenceBarrier barrier = sequencer.NewBarrier();
        barrier.Halt();

        // Act
        long result = sequencer.WaitStrategy.WaitFor(0, barrier, Timeout.InfiniteTimeSpan);

        // Assert
        Assert.Equal(WaitResult.Halted, result);
    }

    public void WaitFor_NothingPublished_TimesOutNoSoonerThanTimeout()
    {
        // Arrange
        var sequencer = new MultiProducerSequencer<TWait>(RingSize, CreateStrategy());
        SequenceBarrier barrier = sequencer.NewBarrier();
        var timeout = TimeSpan.FromMilliseconds(30);
        long start = Stopwatch.GetTimestamp();

        // Act
        long result = sequencer.WaitStrategy.WaitFor(0, barrier, timeout);

        // Assert: a lower bound only; how late it returns depends on the machine.
        Assert.Equal(WaitResult.TimedOut, result);
        Assert.True(Stopwatch.GetElapsedTime(start) >= timeout, "returned before the timeout");
    }

    public void Processor_NoEvents_CallsOnIdleRepeatedly()
    {
        // Arrange
        var ring = new RingBuffer<TestEvent>(RingSize);
        var sequencer = new MultiProducerSequencer<TWait>(RingSize, CreateStrategy());
        var state = new RecordingState();
        var processor = new BatchEventProcessor<TestEvent, RecordingHandler, TWait>(
            ring, sequencer, new RecordingHandler(state), TimeSpan.FromMilliseconds(5), state.RecordError);

        // Act
        processor.Start("idle-consumer");
        TestThreads.WaitUntil(() => state.IdleCount >= 3, "three idle callbacks");
        bool stopped = processor.Stop(TestThreads.Bound);

        // Assert
        Assert.True(stopped);
        Assert.Empty(state.Errors);
        Assert.Empty(state.Events);
    }

    public void WaitFor_ConcurrentPublishers_ConsumerSeesEveryEventOnceInProducerOrder()
    {
        // Arrange: a small ring so producers wrap it many times and wait for the consumer.
        const int producers = 2;
        const int eventsPerProducer = 10_000;
        var ring = new RingBuffer<TestEvent>(RingSize);
        var sequencer = new MultiProducerSequencer<TWait>(RingSize, CreateStrategy());
        SequenceBarrier barrier = sequencer.NewBarrier();
        TWait consumerCopy = sequencer.WaitStrategy;
        var nextExpected = new long[producers];
        long seen = 0;
        var consumer = TestThreads.StartNew("consumer", () =>
        {
            long next = 0;
            while (next < producers * eventsPerProducer)
            {
                long available = consumerCopy.WaitFor(next, barrier, TestThreads.Bound);
                if (available < next)
                {
                    throw new InvalidOperationException($"WaitFor gave up at {next} with {available}.");
                }

                for (long sequence = next; sequence <= available; sequence++)
                {
                    TestEvent e = ring[sequence];
                    if (e.Counter != nextExpected[e.ProducerId])
                    {
                        throw new InvalidOperationException($"Producer {e.ProducerId}: expected {nextExpected[e.ProducerId]}, saw {e.Counter}.");
                    }

                    nextExpected[e.ProducerId]++;
                    seen++;
                }

                sequencer.GatingSequence.SetValue(available);
                next = available + 1;
            }
        });
        TestThreads.TestThread[] publishers =
        [
            .. Enumerable.Range(0, producers).Select(p => TestThreads.StartNew(
                $"producer-{p}", () => Produce(ring, sequencer, p, eventsPerProducer))),
        ];

        // Act
        foreach (TestThreads.TestThread publisher in publishers)
        {
            TestThreads.Join(publisher);
        }

        TestThreads.Join(consumer);

        // Assert
        Assert.Equal(producers * eventsPerProducer, seen);
        Assert.All(nextExpected, count => Assert.Equal(eventsPerProducer, count));
    }

    private static void Produce(RingBuffer<TestEvent> ring, MultiProducerSequencer<TWait> sequencer, int producerId, int count)
    {
        for (long counter = 0; counter < count; counter++)
        {
            if (!sequencer.TryNext(TestThreads.Bound, out long sequence))
            {
                throw new InvalidOperationException($"Producer {producerId} found the ring full for {TestThreads.Bound}.");
            }

            ref TestEvent slot = ref ring[sequence];
            slot.ProducerId = producerId;
            slot.Counter = counter;
            sequencer.Publish(sequence);
        }
    }
}
