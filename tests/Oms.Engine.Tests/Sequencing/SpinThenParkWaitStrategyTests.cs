namespace Oms.Engine.Tests.Sequencing;

/// <summary>The wait-strategy contract for the default strategy, with its default spin.</summary>
[Collection(TestThreads.Collection)]
public sealed class SpinThenParkWaitStrategyTests : WaitStrategyContractTests
{
    private const int RingSize = 64;

    private protected override IWaitStrategyContract Contract { get; } =
        new WaitStrategyContract<SpinThenParkWaitStrategy>(() => new(CancelEngineSettings.DefaultWaitSpin));

    [Fact]
    public void WaitFor_PublishedWithinTheSpin_ReturnsWithoutParking()
    {
        // Arrange: a spin far longer than the publish takes to come, so the spin catches it.
        var strategy = new SpinThenParkWaitStrategy(SpinThenParkWaitStrategy.MaxSpin);
        var sequencer = new MultiProducerSequencer<SpinThenParkWaitStrategy>(RingSize, strategy);
        SequenceBarrier barrier = sequencer.NewBarrier();
        long result = long.MinValue;
        var started = new ManualResetEventSlim();
        var waiter = TestThreads.StartNew("waiter", () =>
        {
            started.Set();
            result = strategy.WaitFor(0, barrier, Timeout.InfiniteTimeSpan);
        });

        // Act
        started.Wait(TestThreads.Bound);
        Assert.True(sequencer.TryNext(out long sequence));
        sequencer.Publish(sequence);
        TestThreads.Join(waiter);

        // Assert
        Assert.Equal(0, result);
        Assert.Equal(1, strategy.SpinPhases);
        Assert.Equal(0, strategy.Parks);
    }

    [Fact]
    public void WaitFor_AfterAWaitThatIdled_ParksWithoutSpinningUntilSomethingIsConsumed()
    {
        // Arrange
        var strategy = new SpinThenParkWaitStrategy(TimeSpan.FromMilliseconds(5));
        var sequencer = new MultiProducerSequencer<SpinThenParkWaitStrategy>(RingSize, strategy);
        SequenceBarrier barrier = sequencer.NewBarrier();

        // Act: the first wait spins and then idles; the next one for the same sequence (an idle tick) goes straight to
        // parking; once sequence 0 is consumed, the wait for 1 spins again.
        long first = strategy.WaitFor(0, barrier, TimeSpan.FromMilliseconds(20));
        int spinsAfterFirst = strategy.SpinPhases;
        long second = strategy.WaitFor(0, barrier, TimeSpan.FromMilliseconds(20));
        int spinsAfterSecond = strategy.SpinPhases;
        Assert.True(sequencer.TryNext(out long zero));
        sequencer.Publish(zero);
        long third = strategy.WaitFor(0, barrier, TimeSpan.FromMilliseconds(20));
        long fourth = strategy.WaitFor(1, barrier, TimeSpan.FromMilliseconds(20));

        // Assert
        Assert.Equal(WaitResult.TimedOut, first);
        Assert.Equal(1, spinsAfterFirst);
        Assert.Equal(WaitResult.TimedOut, second);
        Assert.Equal(1, spinsAfterSecond);
        Assert.Equal(0, third);
        Assert.Equal(WaitResult.TimedOut, fourth);
        Assert.Equal(2, strategy.SpinPhases);
    }

    [Fact]
    public void WaitFor_SpinLongerThanTheTimeout_TimesOutAtTheTimeout()
    {
        // Arrange: a one-second spin must not hold a 20 ms wait for a second.
        var strategy = new SpinThenParkWaitStrategy(SpinThenParkWaitStrategy.MaxSpin);
        var sequencer = new MultiProducerSequencer<SpinThenParkWaitStrategy>(RingSize, strategy);
        SequenceBarrier barrier = sequencer.NewBarrier();
        var clock = Stopwatch.StartNew();

        // Act
        long result = strategy.WaitFor(0, barrier, TimeSpan.FromMilliseconds(20));

        // Assert: a liveness bound far below the spin, not a timing expectation.
        Assert.Equal(WaitResult.TimedOut, result);
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(900), $"The wait took {clock.Elapsed}.");
    }

    [Fact]
    public void WaitFor_ZeroSpin_ParksAtOnce()
    {
        // Arrange
        var strategy = new SpinThenParkWaitStrategy(TimeSpan.Zero);
        var sequencer = new MultiProducerSequencer<SpinThenParkWaitStrategy>(RingSize, strategy);
        SequenceBarrier barrier = sequencer.NewBarrier();

        // Act
        long result = strategy.WaitFor(0, barrier, TimeSpan.FromMilliseconds(5));

        // Assert
        Assert.Equal(WaitResult.TimedOut, result);
        Assert.Equal(0, strategy.SpinPhases);
        Assert.Equal(1, strategy.Parks);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1_000_001)]
    public void Constructor_SpinOutOfRange_Throws(int microseconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpinThenParkWaitStrategy(TimeSpan.FromMicroseconds(microseconds)));
    }
}

/// <summary>The same contract with a long spin (events caught spinning) on the monitor the park falls back to.</summary>
[Collection(TestThreads.Collection)]
public sealed class SpinThenParkWaitStrategyOnMonitorTests : WaitStrategyContractTests
{
    private protected override IWaitStrategyContract Contract { get; } =
        new WaitStrategyContract<SpinThenParkWaitStrategy>(() => new(TimeSpan.FromMilliseconds(50), new BlockingWaitStrategy(useFutex: false)));
}
