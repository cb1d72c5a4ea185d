namespace Oms.Transport.Tests.Http2;

public sealed class Http2FrameHeaderTests
{
    [Fact]
    public void TryRead_KnownBytes_DecodesEveryField()
    {
        // Arrange: length 0x010203, HEADERS, END_STREAM|END_HEADERS, stream 0x01020304.
        byte[] bytes = Convert.FromHexString("01020301050102030499");

        // Act
        bool read = Http2FrameHeader.TryRead(bytes, out Http2FrameHeader header);

        // Assert
        Assert.True(read);
        Assert.Equal(0x01_0203, header.PayloadLength);
        Assert.Equal(Http2FrameType.Headers, header.Type);
        Assert.Equal(Http2FrameFlags.EndStream | Http2FrameFlags.EndHeaders, header.Flags);
        Assert.Equal(0x0102_0304, header.StreamId);
    }

    [Fact]
    public void TryRead_ReservedBitSet_IsIgnored()
    {
        // Arrange
        byte[] bytes = Convert.FromHexString("000000000080000007");

        // Act
        Http2FrameHeader.TryRead(bytes, out Http2FrameHeader header);

        // Assert
        Assert.Equal(7, header.StreamId);
    }

    [Fact]
    public void TryRead_AllBitsSet_YieldsMaximumValuesAndUnknownType()
    {
        // Arrange
        byte[] bytes = Convert.FromHexString("FFFFFFFFFFFFFFFFFF");

        // Act
        Http2FrameHeader.TryRead(bytes, out Http2FrameHeader header);

        // Assert
        Assert.Equal(Http2FrameHeader.MaxPayloadLength, header.PayloadLength);
        Assert.Equal((Http2FrameType)0xFF, header.Type);
        Assert.Equal((Http2FrameFlags)0xFF, header.Flags);
        Assert.Equal(int.MaxValue, header.StreamId);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(8)]
    public void TryRead_FewerThanNineBytes_ReturnsFalse(int length)
    {
        // Arrange
        byte[] bytes = new byte[length];

        // Act
        bool read = Http2FrameHeader.TryRead(bytes, out Http2FrameHeader header);

        // Assert
        Assert.False(read);
        Assert.Equal(default, header);
    }

    [Fact]
    public void TryWrite_BufferPrefilledWithFF_WritesNineBytesAndClearsReservedBit()
    {
        // Arrange
        byte[] buffer = Enumerable.Repeat((byte)0xFF, 12).ToArray();
        var header = new Http2FrameHeader(0x00_4000, Http2FrameType.Data, Http2FrameFlags.EndStream, int.MaxValue);

        // Act
        bool written = header.TryWrite(buffer);

        // Assert
        Assert.True(written);
        Assert.Equal(Convert.FromHexString("004000" + "00" + "01" + "7FFFFFFF" + "FFFFFF"), buffer);
    }

    [Fact]
    public void TryWrite_EightByteDestination_ReturnsFalseAndWritesNothing()
    {
        // Arrange
        byte[] buffer = Enumerable.Repeat((byte)0xFF, 8).ToArray();
        var header = new Http2FrameHeader(1, Http2FrameType.Ping, Http2FrameFlags.None, 0);

        // Act
        bool written = header.TryWrite(buffer);

        // Assert
        Assert.False(written);
        Assert.All(buffer, b => Assert.Equal(0xFF, b));
    }

    [Theory]
    [InlineData(0, Http2FrameType.Data, Http2FrameFlags.None, 0)]
    [InlineData(16_384, Http2FrameType.Headers, Http2FrameFlags.EndHeaders | Http2FrameFlags.Padded | Http2FrameFlags.Priority, 1)]
    [InlineData(Http2FrameHeader.MaxPayloadLength, Http2FrameType.Continuation, Http2FrameFlags.EndHeaders, int.MaxValue)]
    [InlineData(8, Http2FrameType.Ping, Http2FrameFlags.Ack, 0)]
    [InlineData(3, (Http2FrameType)0xEE, (Http2FrameFlags)0xFF, 12_345)]
    internal void TryWrite_ThenTryRead_RoundTrips(int length, Http2FrameType type, Http2FrameFlags flags, int streamId)
    {
        // Arrange
        var header = new Http2FrameHeader(length, type, flags, streamId);
        byte[] buffer = new byte[Http2FrameHeader.Size];

        // Act
        header.TryWrite(buffer);
        Http2FrameHeader.TryRead(buffer, out Http2FrameHeader read);

        // Assert
        Assert.Equal(header, read);
        Assert.True(header == read);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(Http2FrameHeader.MaxPayloadLength + 1, 0)]
    [InlineData(0, -1)]
    public void Constructor_FieldOutOfRange_Throws(int length, int streamId)
    {
        // Act + Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => new Http2FrameHeader(length, Http2FrameType.Data, Http2FrameFlags.None, streamId));
    }

    [Fact]
    public void HasFlags_SomeRequestedFlagMissing_ReturnsFalse()
    {
        // Arrange
        var header = new Http2FrameHeader(0, Http2FrameType.Headers, Http2FrameFlags.EndHeaders, 1);

        // Act + Assert
        Assert.True(header.HasFlags(Http2FrameFlags.EndHeaders));
        Assert.False(header.HasFlags(Http2FrameFlags.EndHeaders | Http2FrameFlags.EndStream));
        Assert.False(header.HasFlags(Http2FrameFlags.EndStream));
    }

    [Fact]
    public void Equality_FieldsDiffer_NotEqual()
    {
        // Arrange
        var a = new Http2FrameHeader(1, Http2FrameType.Data, Http2FrameFlags.None, 1);
        var b = new Http2FrameHeader(1, Http2FrameType.Data, Http2FrameFlags.None, 3);

        // Act + Assert
        Assert.True(a != b);
        Assert.False(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), new Http2FrameHeader(1, Http2FrameType.Data, Http2FrameFlags.None, 1).GetHashCode());
    }

    [Fact]
    public void Enums_WireValues_MatchRfc9113()
    {
        // Assert: section 6 type codes, section 6 flag bits, section 7 error codes, section 6.5.2 identifiers.
        Assert.Equal(
            new byte[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 },
            Enum.GetValues<Http2FrameType>().Select(t => (byte)t).ToArray());
        Assert.Equal(0x1, (byte)Http2FrameFlags.EndStream);
        Assert.Equal(0x1, (byte)Http2FrameFlags.Ack);
        Assert.Equal(0x4, (byte)Http2FrameFlags.EndHeaders);
        Assert.Equal(0x8, (byte)Http2FrameFlags.Padded);
        Assert.Equal(0x20, (byte)Http2FrameFlags.Priority);
        Assert.Equal(
            Enumerable.Range(0, 14).Select(i => (uint)i).ToArray(),
            Enum.GetValues<Http2ErrorCode>().Select(c => (uint)c).ToArray());
        Assert.Equal(0xdu, (uint)Http2ErrorCode.Http11Required);
        Assert.Equal(
            new ushort[] { 1, 2, 3, 4, 5, 6, 9 },
            Enum.GetValues<Http2SettingsParameter>().Select(p => (ushort)p).ToArray());
    }
}
