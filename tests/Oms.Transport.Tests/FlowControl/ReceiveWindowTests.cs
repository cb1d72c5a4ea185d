namespace Oms.Transport.Tests.FlowControl;

public sealed class ReceiveWindowTests
{
    /// <summary>
    /// Frames within the window are taken off it, up to the whole of it; a frame past it is refused and leaves the
    /// window as it was (RFC 9113 section 6.9.1: sending beyond the granted window is a FLOW_CONTROL_ERROR).
    /// </summary>
    [Theory]
    [InlineData(65_535, 0, 1000, true, 64_535, 1000)]
    [InlineData(100, 0, 100, true, 0, 100)]
    [InlineData(100, 60, 41, false, 40, 60)]
    public void TryReceive_AgainstTheWindow_AcceptedOnlyWithinIt(
        int size, int before, int length, bool expectedAccepted, int expectedAvailable, int expectedUnacknowledged)
    {
        var window = new ReceiveWindow(size);
        if (before > 0)
        {
            window.TryReceive(before);
        }

        bool accepted = window.TryReceive(length);

        Assert.Equal(expectedAccepted, accepted);
        Assert.Equal(expectedAvailable, window.Available);
        Assert.Equal(expectedUnacknowledged, window.Unacknowledged);
    }

    [Fact]
    public void TryTakeUpdate_BelowHalfWindow_NotDue()
    {
        // Arrange
        var window = new ReceiveWindow(65_535);
        window.TryReceive(32_766);

        // Act
        bool due = window.TryTakeUpdate(out int increment);

        // Assert
        Assert.False(due);
        Assert.Equal(0, increment);
        Assert.False(window.IsUpdateDue);
        Assert.Equal(65_535 - 32_766, window.Available);
    }

    [Fact]
    public void TryTakeUpdate_HalfWindowConsumed_ReturnsFullCreditAndRestoresWindow()
    {
        // Arrange
        var window = new ReceiveWindow(65_535);
        window.TryReceive(32_766);
        window.TryReceive(100);

        // Act
        bool due = window.TryTakeUpdate(out int increment);

        // Assert
        Assert.True(due);
        Assert.Equal(32_866, increment);
        Assert.Equal(65_535, window.Available);
        Assert.Equal(0, window.Unacknowledged);
        Assert.False(window.TryTakeUpdate(out _));
    }

    [Fact]
    public void TryReceive_SteadyStream_NeverRunsDryWhenUpdatesAreTaken()
    {
        // Arrange
        var window = new ReceiveWindow(16_384);
        long received = 0;
        long returned = 0;

        // Act
        for (int i = 0; i < 1000; i++)
        {
            Assert.True(window.TryReceive(1000));
            received += 1000;
            if (window.TryTakeUpdate(out int increment))
            {
                returned += increment;
            }
        }

        // Assert
        Assert.Equal(received, returned + window.Unacknowledged);
        Assert.True(window.Unacknowledged < 8192);
    }

    [Fact]
    public void TryReceive_EmptyFrame_DoesNotMakeUpdateDue()
    {
        // Arrange
        var window = new ReceiveWindow(1);

        // Act
        window.TryReceive(0);

        // Assert
        Assert.False(window.IsUpdateDue);
    }

    [Fact]
    public void TryReceive_NegativeLength_Throws()
    {
        // Arrange
        var window = new ReceiveWindow(10);

        // Act + Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => window.TryReceive(-1));
    }

    [Fact]
    public void TryTakeUpdate_ThresholdOfTheWholeWindow_DueOnlyOnceTheWindowIsUsedUp()
    {
        // Arrange: three frames of 16,384 leave 16,383 of 65,535, which a fourth full frame overruns.
        var window = new ReceiveWindow(65_535, 65_535);
        for (var i = 0; i < 3; i++)
        {
            window.TryReceive(16_384);
        }

        // Act
        var dueAfterThree = window.TryTakeUpdate(out var none);
        var overrun = window.TryReceive(16_384);
        var last = window.TryReceive(16_383);
        var dueWhenEmpty = window.TryTakeUpdate(out var increment);

        // Assert
        Assert.False(dueAfterThree);
        Assert.Equal(0, none);
        Assert.False(overrun);
        Assert.True(last);
        Assert.True(dueWhenEmpty);
        Assert.Equal(65_535, increment);
        Assert.Equal(65_535, window.Available);
    }

    [Fact]
    public void Constructor_DefaultThreshold_IsHalfTheWindow()
    {
        // Act
        var window = new ReceiveWindow(65_535);

        // Assert
        Assert.Equal(32_767, window.UpdateThreshold);
    }

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(100, 0)]
    [InlineData(100, 101)]
    public void Constructor_ThresholdOutOfRange_Throws(int size, int threshold)
    {
        // Act + Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReceiveWindow(size, threshold));
    }
}
