using static Oms.Transport.Tests.Http2.FrameBytes;

namespace Oms.Transport.Tests.Http2;

/// <summary>The control frames' payloads read back: SETTINGS, PING, GOAWAY, RST_STREAM, WINDOW_UPDATE and PRIORITY.</summary>
public sealed class Http2ControlFrameReaderTests
{
    [Theory]
    [MemberData(nameof(Http2FrameReaderTests.SegmentSizes), MemberType = typeof(Http2FrameReaderTests))]
    public void ReadSettings_RoundTripFromWriter_YieldsParametersInOrder(int segmentSize)
    {
        // Arrange
        Http2Setting[] sent =
        [
            new(Http2SettingsParameter.HeaderTableSize, 0),
            new(Http2SettingsParameter.EnablePush, 0),
            new(Http2SettingsParameter.MaxConcurrentStreams, 100),
            new(Http2SettingsParameter.InitialWindowSize, int.MaxValue),
            new(Http2SettingsParameter.MaxFrameSize, 16_777_215),
            new(Http2SettingsParameter.MaxHeaderListSize, 8192),
            new(Http2SettingsParameter.NoRfc7540Priorities, 1),
        ];
        byte[] frame = Write((Span<byte> d, out int n) => Http2ControlFrameWriter.TryWriteSettings(d, sent, out n));
        (Http2FrameHeader header, ReadOnlySequence<byte> payload) = ReadSingle(frame, segmentSize);

        // Act
        Http2SettingsEnumerator settings = Http2ControlFrameReader.ReadSettings(header, payload);
        int remainingBefore = settings.Remaining;
        var received = new List<Http2Setting>();
        foreach (Http2Setting setting in settings)
        {
            received.Add(setting);
        }

        // Assert
        Assert.Equal(7, remainingBefore);
        Assert.Equal(sent, received);
    }

    [Fact]
    public void ReadSettings_UnknownIdentifier_IsYieldedNotRejected()
    {
        // Arrange
        byte[] frame = RawFrame.Build(0x4, 0x0, 0, [.. RawFrame.Setting(0xFFFF, uint.MaxValue), .. RawFrame.Setting(5, 16_384)]);
        (Http2FrameHeader header, ReadOnlySequence<byte> payload) = ReadSingle(frame, int.MaxValue);

        // Act
        var received = new List<Http2Setting>();
        foreach (Http2Setting setting in Http2ControlFrameReader.ReadSettings(header, payload))
        {
            received.Add(setting);
        }

        // Assert
        Assert.Equal(
            [new((Http2SettingsParameter)0xFFFF, uint.MaxValue), new(Http2SettingsParameter.MaxFrameSize, 16_384)],
            received);
    }

    [Fact]
    public void ReadSettings_Ack_YieldsNothing()
    {
        // Arrange
        byte[] frame = Write((Span<byte> d, out int n) => Http2ControlFrameWriter.TryWriteSettingsAck(d, out n));
        (Http2FrameHeader header, ReadOnlySequence<byte> payload) = ReadSingle(frame, int.MaxValue);

        // Act
        Http2SettingsEnumerator settings = Http2ControlFrameReader.ReadSettings(header, payload);

        // Assert
        Assert.True(header.HasFlags(Http2FrameFlags.Ack));
        Assert.Equal(0, settings.Remaining);
        Assert.False(settings.MoveNext());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadPing_RoundTripFromWriter_ReturnsOpaqueDataAndAckFlag(bool ack)
    {
        // Arrange
        ulong expected = 0xDEAD_BEEF_0102_0304;
        byte[] frame = Write((Span<byte> d, out int n) =>
            ack ? Http2ControlFrameWriter.TryWritePingAck(d, expected, out n) : Http2ControlFrameWriter.TryWritePing(d, expected, out n));
        (Http2FrameHeader header, ReadOnlySequence<byte> payload) = ReadSingle(frame, 1);

        // Act
        ulong opaque = Http2ControlFrameReader.ReadPing(header, payload);

        // Assert
        Assert.Equal(expected, opaque);
        Assert.Equal(ack, header.HasFlags(Http2FrameFlags.Ack));
    }

    [Theory]
    [MemberData(nameof(Http2FrameReaderTests.SegmentSizes), MemberType = typeof(Http2FrameReaderTests))]
    public void ReadGoAway_RoundTripFromWriter_ReturnsFields(int segmentSize)
    {
        // Arrange
        byte[] frame = Write((Span<byte> d, out int n) =>
            Http2ControlFrameWriter.TryWriteGoAway(d, 1001, Http2ErrorCode.EnhanceYourCalm, "slow down"u8, out n));
        (Http2FrameHeader header, ReadOnlySequence<byte> payload) = ReadSingle(frame, segmentSize);

        // Act
        Http2GoAwayPayload goAway = Http2ControlFrameReader.ReadGoAway(header, payload);

        // Assert
        Assert.Equal(1001, goAway.LastStreamId);
        Assert.Equal(Http2ErrorCode.EnhanceYourCalm, goAway.ErrorCode);
        Assert.Equal("slow down"u8.ToArray(), goAway.DebugData.ToArray());
    }

    [Fact]
    public void ReadGoAway_ReservedBitSetAndUnknownCode_IgnoresBitKeepsCode()
    {
        // Arrange
        byte[] frame = RawFrame.Build(0x7, 0x0, 0, [.. RawFrame.U32(0x8000_0003), .. RawFrame.U32(0xFF)]);
        (Http2FrameHeader header, ReadOnlySequence<byte> payload) = ReadSingle(frame, int.MaxValue);

        // Act
        Http2GoAwayPayload goAway = Http2ControlFrameReader.ReadGoAway(header, payload);

        // Assert
        Assert.Equal(3, goAway.LastStreamId);
        Assert.Equal((Http2ErrorCode)0xFF, goAway.ErrorCode);
        Assert.True(goAway.DebugData.IsEmpty);
    }

    [Theory]
    [MemberData(nameof(Http2FrameReaderTests.SegmentSizes), MemberType = typeof(Http2FrameReaderTests))]
    public void ReadRstStream_RoundTripFromWriter_ReturnsErrorCode(int segmentSize)
    {
        // Arrange
        byte[] frame = Write((Span<byte> d, out int n) => Http2ControlFrameWriter.TryWriteRstStream(d, 5, Http2ErrorCode.RefusedStream, out n));
        (Http2FrameHeader header, ReadOnlySequence<byte> payload) = ReadSingle(frame, segmentSize);

        // Act
        Http2ErrorCode code = Http2ControlFrameReader.ReadRstStream(header, payload);

        // Assert
        Assert.Equal(5, header.StreamId);
        Assert.Equal(Http2ErrorCode.RefusedStream, code);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(7, int.MaxValue)]
    public void ReadWindowUpdate_RoundTripFromWriter_ReturnsIncrement(int streamId, int increment)
    {
        // Arrange
        byte[] frame = Write((Span<byte> d, out int n) => Http2ControlFrameWriter.TryWriteWindowUpdate(d, streamId, increment, out n));
        (Http2FrameHeader header, ReadOnlySequence<byte> payload) = ReadSingle(frame, 1);

        // Act
        int read = Http2ControlFrameReader.ReadWindowUpdate(header, payload);

        // Assert
        Assert.Equal(streamId, header.StreamId);
        Assert.Equal(increment, read);
    }

    [Fact]
    public void ReadWindowUpdate_ReservedBitSet_IsIgnored()
    {
        // Arrange
        (Http2FrameHeader header, ReadOnlySequence<byte> payload) = ReadSingle(RawFrame.Build(0x8, 0x0, 0, RawFrame.U32(0x8000_0010)), int.MaxValue);

        // Act
        int increment = Http2ControlFrameReader.ReadWindowUpdate(header, payload);

        // Assert
        Assert.Equal(16, increment);
    }

    [Fact]
    public void ValidatePriority_FiveOctetsOnAStream_Accepts()
    {
        // Arrange
        (Http2FrameHeader header, _) = ReadSingle(RawFrame.Build(0x2, 0x0, 3, 0x80, 0, 0, 1, 255), int.MaxValue);

        // Act
        Exception? error = Record.Exception(() => Http2ControlFrameReader.ValidatePriority(header));

        // Assert
        Assert.Null(error);
    }
}
