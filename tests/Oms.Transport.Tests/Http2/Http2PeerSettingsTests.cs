namespace Oms.Transport.Tests.Http2;

public sealed class Http2PeerSettingsTests
{
    [Fact]
    public void Constructor_NothingApplied_HoldsRfc9113InitialValues()
    {
        // Act
        var settings = new Http2PeerSettings();

        // Assert
        Assert.Equal(4096u, settings.HeaderTableSize);
        Assert.True(settings.EnablePush);
        Assert.Equal(uint.MaxValue, settings.MaxConcurrentStreams);
        Assert.Equal(65_535, settings.InitialWindowSize);
        Assert.Equal(16_384, settings.MaxFrameSize);
        Assert.Equal(uint.MaxValue, settings.MaxHeaderListSize);
        Assert.False(settings.NoRfc7540Priorities);
    }

    [Fact]
    public void Apply_EveryKnownParameter_UpdatesItsProperty()
    {
        // Arrange
        var settings = new Http2PeerSettings();

        // Act
        settings.Apply(Http2SettingsParameter.HeaderTableSize, 0);
        settings.Apply(Http2SettingsParameter.EnablePush, 0);
        settings.Apply(Http2SettingsParameter.MaxConcurrentStreams, 100);
        settings.Apply(Http2SettingsParameter.InitialWindowSize, 1 << 20);
        settings.Apply(Http2SettingsParameter.MaxFrameSize, 16_777_215);
        settings.Apply(Http2SettingsParameter.MaxHeaderListSize, 8192);
        settings.Apply(Http2SettingsParameter.NoRfc7540Priorities, 1);

        // Assert
        Assert.Equal(0u, settings.HeaderTableSize);
        Assert.False(settings.EnablePush);
        Assert.Equal(100u, settings.MaxConcurrentStreams);
        Assert.Equal(1 << 20, settings.InitialWindowSize);
        Assert.Equal(16_777_215, settings.MaxFrameSize);
        Assert.Equal(8192u, settings.MaxHeaderListSize);
        Assert.True(settings.NoRfc7540Priorities);
    }

    [Theory]
    [InlineData(100_000u, 100_000 - 65_535)]
    [InlineData(0u, -65_535)]
    [InlineData(65_535u, 0)]
    [InlineData(2_147_483_647u, 2_147_483_647 - 65_535)]
    public void Apply_InitialWindowSize_ReturnsDeltaFromPreviousValue(uint value, int expectedDelta)
    {
        // Arrange
        var settings = new Http2PeerSettings();

        // Act
        int delta = settings.Apply(Http2SettingsParameter.InitialWindowSize, value);

        // Assert
        Assert.Equal(expectedDelta, delta);
        Assert.Equal((int)value, settings.InitialWindowSize);
    }

    [Fact]
    public void Apply_OtherParameters_ReturnZeroDelta()
    {
        // Arrange
        var settings = new Http2PeerSettings();

        // Act
        int delta = settings.Apply(Http2SettingsParameter.MaxFrameSize, 20_000)
            + settings.Apply(Http2SettingsParameter.MaxConcurrentStreams, 5);

        // Assert
        Assert.Equal(0, delta);
    }

    [Theory]
    [InlineData(Http2SettingsParameter.EnablePush, 2u, Http2ErrorCode.ProtocolError)]
    [InlineData(Http2SettingsParameter.InitialWindowSize, 2_147_483_648u, Http2ErrorCode.FlowControlError)]
    [InlineData(Http2SettingsParameter.MaxFrameSize, 16_383u, Http2ErrorCode.ProtocolError)]
    [InlineData(Http2SettingsParameter.MaxFrameSize, 16_777_216u, Http2ErrorCode.ProtocolError)]
    [InlineData(Http2SettingsParameter.NoRfc7540Priorities, 2u, Http2ErrorCode.ProtocolError)]
    internal void Apply_OutOfRangeValue_ThrowsConnectionErrorAndKeepsOldValue(Http2SettingsParameter parameter, uint value, Http2ErrorCode expected)
    {
        // Arrange
        var settings = new Http2PeerSettings();

        // Act
        Http2ConnectionException error = Assert.Throws<Http2ConnectionException>(() => settings.Apply(parameter, value));

        // Assert
        Assert.Equal(expected, error.ErrorCode);
        Assert.True(settings.EnablePush);
        Assert.Equal(65_535, settings.InitialWindowSize);
        Assert.Equal(16_384, settings.MaxFrameSize);
        Assert.False(settings.NoRfc7540Priorities);
    }

    [Fact]
    public void Apply_UnknownParameter_IsIgnored()
    {
        // Arrange
        var settings = new Http2PeerSettings();

        // Act
        int delta = settings.Apply((Http2SettingsParameter)0x7777, uint.MaxValue);

        // Assert
        Assert.Equal(0, delta);
        Assert.Equal(65_535, settings.InitialWindowSize);
        Assert.Equal(16_384, settings.MaxFrameSize);
    }

    [Fact]
    public void Apply_WholeFrameChangingWindowTwice_ReturnsNetDelta()
    {
        // Arrange: INITIAL_WINDOW_SIZE 1,000 then 70,000 in one frame, plus MAX_FRAME_SIZE.
        byte[] frame = RawFrame.Build(
            0x4, 0x0, 0,
            [.. RawFrame.Setting(4, 1000), .. RawFrame.Setting(5, 32_768), .. RawFrame.Setting(4, 70_000)]);
        ReadOnlySequence<byte> buffer = SegmentedSequence.Split(frame, 5);
        Http2FrameReader.TryReadFrame(ref buffer, 16_384, out Http2FrameHeader header, out ReadOnlySequence<byte> payload);
        var settings = new Http2PeerSettings();

        // Act
        int delta = settings.Apply(Http2ControlFrameReader.ReadSettings(header, payload));

        // Assert
        Assert.Equal(70_000 - 65_535, delta);
        Assert.Equal(70_000, settings.InitialWindowSize);
        Assert.Equal(32_768, settings.MaxFrameSize);
    }
}
