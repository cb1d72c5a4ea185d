namespace Oms.Engine.Tests.Sequencing;

[Collection(TestThreads.Collection)]
public class BatchEventProcessorTests
{
    private const int RingSize = 16;

    private readonly RingBuffer<TestEvent> _ring = new(RingSize);
    private readonly MultiProducerSequencer<YieldingWaitStrategy> _sequencer = new(RingSize, new YieldingWaitStrategy());

    [Fact]
    public void Run_PublishedBeforeStart_HandlesOneBatchInOrderWithEndOfBatchOnLast()
    {
        // Arrange
        var state = new RecordingState();
        var processor = NewProcessor(state);
        PublishCounters(10, 11, 12, 13, 14);

        // Act
        processor.Start("consumer");
        TestThreads.WaitUntil(() => processor.Sequence.Value == 4, "the batch to be released");
        Assert.True(processor.Stop(TestThreads.Bound));

        // Assert
        Assert.Equal([5L], state.BatchSizes);
        Assert.Equal([(0L, 10L, false), (1L, 11L, false), (2L, 12L, false), (3L, 13L, false), (4L, 14L, true)], state.Events);
        Assert.Empty(state.Errors);
    }

    [Fact]
    public void Run_OneBatch_EachSlotIsReleasedOnceItsEventIsHandledNotAtTheBatchEnd()
    {
        // Arrange: the consumer frees what an event held (an admission place, an in-flight entry) while handling it,
        // and the engine's ring sizing counts on the slot being free for the refill before the batch ends.
        var state = new RecordingState();
        var processor = NewProcessor(state);
        state.ReadReleased = () => processor.Sequence.Value;
        PublishCounters(1, 2, 3, 4);

        // Act
        processor.Start("consumer");
        TestThreads.WaitUntil(() => processor.Sequence.Value == 3, "the batch to be handled");
        Assert.True(processor.Stop(TestThreads.Bound));

        // Assert: one batch, and at each event every earlier event's slot was already back with the producers.
        Assert.Equal([4L], state.BatchSizes);
        Assert.Equal([-1L, 0L, 1L, 2L], state.ReleasedAtEvent);
    }

    [Fact]
    public void Run_SecondBurst_HandledAsItsOwnBatch()
    {
        // Arrange
        var state = new RecordingState();
        var processor = NewProcessor(state);
        PublishCounters(1, 2);
        processor.Start("consumer");
        TestThreads.WaitUntil(() => processor.Sequence.Value == 1, "the first batch");

        // Act
        PublishCounters(3, 4, 5);
        TestThreads.WaitUntil(() => processor.Sequence.Value == 4, "the second batch");
        Assert.True(processor.Stop(TestThreads.Bound));

        // Assert: a producer publishing one event at a time may split the burst, but every batch ends on an
        // endOfBatch and the sizes add up.
        Assert.Equal(2, state.BatchSizes[0]);
        Assert.Equal(5, state.BatchSizes.Sum());
        Assert.Equal([1L, 2L, 3L, 4L, 5L], state.Events.Select(e => e.Counter));
        Assert.Equal(state.BatchSizes.Count, state.Events.Count(e => e.EndOfBatch));
        Assert.True(state.Events[1].EndOfBatch);
        Assert.True(state.Events[^1].EndOfBatch);
    }

    [Fact]
    public void Run_HandlerThrows_ReportsSequenceAndContinuesWithNextEvent()
    {
        // Arrange
        var state = new RecordingState { ThrowOnCounter = 21 };
        var processor = NewProcessor(state);
        PublishCounters(20, 21, 22);

        // Act
        processor.Start("consumer");
        TestThreads.WaitUntil(() => processor.Sequence.Value == 2, "the batch to be released");
        Assert.True(processor.Stop(TestThreads.Bound));

        // Assert
        var error = Assert.Single(state.Errors);
        Assert.Equal(1, error.Sequence);
        Assert.Equal("event 21 failed", error.Exception.Message);
        Assert.Equal([20L, 21L, 22L], state.Events.Select(e => e.Counter));
        Assert.True(state.Events[2].EndOfBatch);
    }

    [Fact]
    public void Run_BatchStartThrows_ReportsFirstSequenceAndStillHandlesBatch()
    {
        // Arrange
        var state = new RecordingState { ThrowOnBatchStart = true };
        var processor = NewProcessor(state);
        PublishCounters(7, 8);

        // Act
        processor.Start("consumer");
        TestThreads.WaitUntil(() => processor.Sequence.Value == 1, "the batch to be released");
        Assert.True(processor.Stop(TestThreads.Bound));

        // Assert
        var error = Assert.Single(state.Errors);
        Assert.Equal(0, error.Sequence);
        Assert.Equal([7L, 8L], state.Events.Select(e => e.Counter));
    }

    [Fact]
    public void Run_OnIdleThrows_ReportsMinusOneAndKeepsRunning()
    {
        // Arrange
        var state = new RecordingState { ThrowOnIdle = true };
        var processor = NewProcessor(state, TimeSpan.FromMilliseconds(5));

        // Act
        processor.Start("consumer");
        TestThreads.WaitUntil(() => state.IdleCount >= 2, "a second idle callback after the first failed");
        PublishCounters(99);
        TestThreads.WaitUntil(() => processor.Sequence.Value == 0, "an event after the failures");
        Assert.True(processor.Stop(TestThreads.Bound));

        // Assert
        Assert.True(state.Errors.Count >= 2);
        Assert.All(state.Errors, e => Assert.Equal(-1, e.Sequence));
        Assert.Equal([99L], state.Events.Select(e => e.Counter));
    }

    [Fact]
    public void Run_HaltedBeforeRun_ReturnsWithoutHandlingEvents()
    {
        // Arrange
        var state = new RecordingState();
        var processor = NewProcessor(state);
        PublishCounters(1, 2, 3);
        processor.Halt();

        // Act: on the test thread; a processor that ignored the halt would never return, so bound it.
        var runner = TestThreads.StartNew("runner", processor.Run);
        TestThreads.Join(runner);

        // Assert
        Assert.Empty(state.Events);
        Assert.Equal(Sequence.InitialValue, processor.Sequence.Value);
        Assert.False(processor.IsRunning);
    }

    [Fact]
    public void Run_Twice_Throws()
    {
        // Arrange
        var processor = NewProcessor(new RecordingState());
        processor.Halt();
        processor.Run();

        // Act / Assert
        Assert.Throws<InvalidOperationException>(processor.Run);
    }

    [Fact]
    public void Start_Twice_Throws()
    {
        // Arrange
        var processor = NewProcessor(new RecordingState());
        processor.Start("consumer");

        try
        {
            // Act / Assert
            Assert.Throws<InvalidOperationException>(() => processor.Start("consumer-again"));
        }
        finally
        {
            Assert.True(processor.Stop(TestThreads.Bound));
        }
    }

    [Fact]
    public void Stop_RunningProcessor_JoinsItsThread()
    {
        // Arrange
        var processor = NewProcessor(new RecordingState());
        processor.Start("consumer");
        TestThreads.WaitUntil(() => processor.IsRunning, "the consumer thread to start running");

        // Act
        bool stopped = processor.Stop(TestThreads.Bound);

        // Assert
        Assert.True(stopped);
        Assert.False(processor.IsRunning);
    }

    [Fact]
    public void Processor_NotRunning_GatesProducersUntilItConsumes()
    {
        // Arrange: fill the ring while nobody consumes.
        var state = new RecordingState();
        var processor = NewProcessor(state);
        PublishCounters([.. Enumerable.Range(0, RingSize).Select(i => (long)i)]);
        bool claimedWhileStopped = _sequencer.TryNext(out _);

        // Act
        processor.Start("consumer");
        bool claimedOnceRunning = _sequencer.TryNext(TestThreads.Bound, out long sequence);
        _sequencer.Publish(sequence);
        TestThreads.WaitUntil(() => processor.Sequence.Value == RingSize, "the extra event");
        Assert.True(processor.Stop(TestThreads.Bound));

        // Assert
        Assert.False(claimedWhileStopped);
        Assert.True(claimedOnceRunning);
        Assert.Equal(RingSize, sequence);
        Assert.Equal(RingSize + 1, state.Events.Count);
    }

    [Fact]
    public void Processor_Replacement_ResumesAfterPreviousProcessorsSequence()
    {
        // Arrange
        var first = new RecordingState();
        var firstProcessor = NewProcessor(first);
        PublishCounters(1, 2, 3);
        firstProcessor.Start("first");
        TestThreads.WaitUntil(() => firstProcessor.Sequence.Value == 2, "the first processor's batch");
        Assert.True(firstProcessor.Stop(TestThreads.Bound));
        PublishCounters(4, 5);

        // Act
        var second = new RecordingState();
        var secondProcessor = NewProcessor(second);
        secondProcessor.Start("second");
        TestThreads.WaitUntil(() => secondProcessor.Sequence.Value == 4, "the second processor's batch");
        Assert.True(secondProcessor.Stop(TestThreads.Bound));

        // Assert
        Assert.Equal([1L, 2L, 3L], first.Events.Select(e => e.Counter));
        Assert.Equal([4L, 5L], second.Events.Select(e => e.Counter));
    }

    [Fact]
    public void Constructor_RingAndSequencerSizesDiffer_Throws()
    {
        // Arrange
        var otherRing = new RingBuffer<TestEvent>(RingSize * 2);
        var state = new RecordingState();

        // Act / Assert
        Assert.Throws<ArgumentException>(() => new BatchEventProcessor<TestEvent, RecordingHandler, YieldingWaitStrategy>(
            otherRing, _sequencer, new RecordingHandler(state), Timeout.InfiniteTimeSpan, state.RecordError));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Constructor_IdleTimeoutNotPositive_Throws(int milliseconds)
    {
        // Arrange
        var state = new RecordingState();

        // Act / Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => NewProcessor(state, TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public void Run_IdleHintRelaxed_WaitsTheRelaxedTimeoutUntilTheHandlerAsksForPromptTicksAgain()
    {
        // Arrange: a prompt timeout of 1 ms, a relaxed one of an hour; the hint starts relaxed.
        var state = new RecordingState();
        var hint = new IdleHint(TimeSpan.FromHours(1)) { NeedsPrompt = false };
        var processor = new BatchEventProcessor<TestEvent, RecordingHandler, YieldingWaitStrategy>(
            _ring, _sequencer, new RecordingHandler(state), TimeSpan.FromMilliseconds(1), state.RecordError, hint);

        // Act: relaxed, no idle call can come in 200 ms; then the handler's side asks for prompt ticks, and the next
        // event ends the relaxed wait so the prompt one takes over.
        processor.Start("consumer");
        Thread.Sleep(200);
        int idleWhileRelaxed = state.IdleCount;
        hint.NeedsPrompt = true;
        PublishCounters(1);
        TestThreads.WaitUntil(() => state.IdleCount >= 3, "prompt idle calls once the hint asks for them");
        Assert.True(processor.Stop(TestThreads.Bound));

        // Assert
        Assert.Equal(0, idleWhileRelaxed);
    }

    private BatchEventProcessor<TestEvent, RecordingHandler, YieldingWaitStrategy> NewProcessor(
        RecordingState state, TimeSpan? idleTimeout = null) =>
        new(_ring, _sequencer, new RecordingHandler(state), idleTimeout ?? Timeout.InfiniteTimeSpan, state.RecordError);

    private void PublishCounters(params long[] counters)
    {
        foreach (long counter in counters)
        {
            Assert.True(_sequencer.TryNext(out long sequence));
            _ring[sequence].Counter = counter;
            _sequencer.Publish(sequence);
        }
    }
}
