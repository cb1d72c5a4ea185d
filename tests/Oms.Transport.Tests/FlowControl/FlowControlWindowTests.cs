namespace Oms.Transport.Tests.FlowControl;

public sealed class FlowControlWindowTests
{
    [Fact]
    public void Constructor_InitialSize_IsAvailable()
    {
        // Act
        var window = new FlowControlWindow(FlowControlWindow.DefaultInitialSize);

        // Assert
        Assert.Equal(65_535, window.Available);
    }

    [Fact]
    public void Constructor_NegativeSize_Throws()
    {
        // Act + Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => new FlowControlWindow(-1));
    }

    [Theory]
    [InlineData(100, true, 0)]
    [InlineData(101, false, 100)]
    public void TryConsume_AgainstCreditOf100_TakenOnlyWithinIt(int length, bool expectedConsumed, int expectedAvailable)
    {
        var window = new FlowControlWindow(100);

        bool consumed = window.TryConsume(length);

        Assert.Equal(expectedConsumed, consumed);
        Assert.Equal(expectedAvailable, window.Available);
    }

    [Fact]
    public void Consume_BeyondCredit_ThrowsInvalidOperation()
    {
        // Arrange
        var window = new FlowControlWindow(10);

        // Act + Assert
        Assert.Throws<InvalidOperationException>(() => window.Consume(11));
    }

    [Fact]
    public void Consume_WithinCredit_Subtracts()
    {
        // Arrange
        var window = new FlowControlWindow(10);

        // Act
        window.Consume(4);

        // Assert
        Assert.Equal(6, window.Available);
    }

    [Theory]
    [InlineData(100, 30, 30, 70)]
    [InlineData(100, 250, 100, 0)]
    [InlineData(0, 10, 0, 0)]
    public void ConsumeUpTo_GrantsAtMostAvailable(int initial, int wanted, int expectedGranted, int expectedLeft)
    {
        // Arrange
        var window = new FlowControlWindow(initial);

        // Act
        int granted = window.ConsumeUpTo(wanted);

        // Assert
        Assert.Equal(expectedGranted, granted);
        Assert.Equal(expectedLeft, window.Available);
    }

    [Fact]
    public void TryIncrease_ToExactlyMaximum_Succeeds()
    {
        // Arrange
        var window = new FlowControlWindow(65_535);

        // Act
        bool increased = window.TryIncrease(int.MaxValue - 65_535);

        // Assert
        Assert.True(increased);
        Assert.Equal(int.MaxValue, window.Available);
    }

    [Fact]
    public void TryIncrease_PastMaximum_ReturnsFalseAndKeepsWindow()
    {
        // Arrange: RFC 9113 section 6.9.1, a window above 2^31-1 is a FLOW_CONTROL_ERROR.
        var window = new FlowControlWindow(65_535);

        // Act
        bool increased = window.TryIncrease(int.MaxValue - 65_534);

        // Assert
        Assert.False(increased);
        Assert.Equal(65_535, window.Available);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void TryIncrease_NotPositive_Throws(int increment)
    {
        // Arrange
        var window = new FlowControlWindow(10);

        // Act + Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => window.TryIncrease(increment));
    }

    [Fact]
    public void TryAdjustInitial_DecreaseBelowSent_GoesNegativeAndBlocksSending()
    {
        // Arrange: 60,000 of 65,535 sent, then the peer lowers INITIAL_WINDOW_SIZE to 16,384 (RFC 9113 section 6.9.2).
        var window = new FlowControlWindow(65_535);
        window.Consume(60_000);

        // Act
        bool adjusted = window.TryAdjustInitial(16_384 - 65_535);

        // Assert
        Assert.True(adjusted);
        Assert.Equal(5_535 - 49_151, window.Available);
        Assert.False(window.TryConsume(1));
        Assert.Equal(0, window.ConsumeUpTo(100));
        Assert.Equal(-43_616, window.Available);
    }

    [Fact]
    public void TryIncrease_NegativeWindow_NeedsUpdatesToBecomeUsableAgain()
    {
        // Arrange
        var window = new FlowControlWindow(100);
        window.Consume(100);
        window.TryAdjustInitial(-100);

        // Act
        window.TryIncrease(100);
        bool blocked = !window.TryConsume(1);
        window.TryIncrease(1);
        bool unblocked = window.TryConsume(1);

        // Assert
        Assert.True(blocked);
        Assert.True(unblocked);
        Assert.Equal(0, window.Available);
    }

    [Fact]
    public void TryAdjustInitial_IncreasePastMaximum_ReturnsFalseAndKeepsWindow()
    {
        // Arrange: a stream window grown by WINDOW_UPDATE, then a larger INITIAL_WINDOW_SIZE pushes it over 2^31-1.
        var window = new FlowControlWindow(65_535);
        window.TryIncrease(int.MaxValue - 65_535 - 10);

        // Act
        bool adjusted = window.TryAdjustInitial(11);

        // Assert
        Assert.False(adjusted);
        Assert.Equal(int.MaxValue - 10, window.Available);
    }

    [Fact]
    public void TryAdjustInitial_LargestPossibleDecrease_StaysRepresentable()
    {
        // Arrange: INITIAL_WINDOW_SIZE from 2^31-1 to 0 on a window with nothing left.
        var window = new FlowControlWindow(int.MaxValue);
        window.Consume(int.MaxValue);

        // Act
        bool adjusted = window.TryAdjustInitial(-int.MaxValue);

        // Assert
        Assert.True(adjusted);
        Assert.Equal(-int.MaxValue, window.Available);
    }
}
