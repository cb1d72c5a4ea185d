using Oms.Engine.Sequencing;

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
