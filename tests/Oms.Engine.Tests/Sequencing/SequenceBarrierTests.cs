namespace Oms.Engine.Tests.Sequencing;

public class SequenceBarrierTests
{
    [Fact]
    public void GetHighestPublished_StopsAtFirstGap()
    {
        // Arrange
        var sequencer = new MultiProducerSequencer<YieldingWaitStrategy>(8, new YieldingWaitStrategy());
        SequenceBarrier barrier = sequencer.NewBarrier();
        Assert.True(sequencer.TryNext(5, out _));
        sequencer.Publish(0);
        sequencer.Publish(1);
        sequencer.Publish(3);
        sequencer.Publish(4);

        // Act
        long fromZero = barrier.GetHighestPublished(0);
        long fromTwo = barrier.GetHighestPublished(2);
        long fromThree = barrier.GetHighestPublished(3);

        // Assert
        Assert.Equal(1, fromZero);
        Assert.Equal(1, fromTwo);
        Assert.Equal(4, fromThree);
    }

    [Fact]
    public void GetHighestPublished_NothingClaimed_ReturnsRequestedMinusOne()
    {
        // Arrange
        var sequencer = new MultiProducerSequencer<YieldingWaitStrategy>(8, new YieldingWaitStrategy());
        SequenceBarrier barrier = sequencer.NewBarrier();

        // Act
        long highest = barrier.GetHighestPublished(0);

        // Assert
        Assert.Equal(-1, highest);
    }

    [Fact]
    public void GetHighestPublished_SecondLap_StopsAtSlotsStillHoldingTheFirstLap()
    {
        // Arrange: the whole first lap published and released, then three of the second.
        var sequencer = new MultiProducerSequencer<YieldingWaitStrategy>(8, new YieldingWaitStrategy());
        SequenceBarrier barrier = sequencer.NewBarrier();
        Assert.True(sequencer.TryNext(8, out long firstLap));
        sequencer.Publish(0, firstLap);
        sequencer.GatingSequence.SetValue(firstLap);
        Assert.True(sequencer.TryNext(3, out long secondLap));
        sequencer.Publish(8, secondLap);

        // Act
        long fromEight = barrier.GetHighestPublished(8);
        long fromEleven = barrier.GetHighestPublished(11);

        // Assert: slots 11 to 15 carry lap 0 (sequences 3 to 7), which is not sequence 11's lap.
        Assert.Equal(10, fromEight);
        Assert.Equal(10, fromEleven);
    }

    [Fact]
    public void GetHighestPublished_WholeRingPublished_ReturnsTheLastWithoutWrapping()
    {
        // Arrange
        var sequencer = new MultiProducerSequencer<YieldingWaitStrategy>(8, new YieldingWaitStrategy());
        SequenceBarrier barrier = sequencer.NewBarrier();
        Assert.True(sequencer.TryNext(8, out long hi));
        sequencer.Publish(0, hi);

        // Act
        long highest = barrier.GetHighestPublished(0);

        // Assert: one ring's worth, not a second pass over slots that hold this lap.
        Assert.Equal(7, highest);
    }

    [Fact]
    public void Halt_AffectsOnlyThatBarrier()
    {
        // Arrange
        var sequencer = new MultiProducerSequencer<YieldingWaitStrategy>(8, new YieldingWaitStrategy());
        SequenceBarrier halted = sequencer.NewBarrier();
        SequenceBarrier fresh = sequencer.NewBarrier();

        // Act
        halted.Halt();

        // Assert
        Assert.True(halted.IsHalted);
        Assert.False(fresh.IsHalted);
    }
}
