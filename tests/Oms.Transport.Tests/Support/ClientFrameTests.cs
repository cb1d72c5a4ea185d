namespace Oms.Transport.Tests.Support;

/// <summary>The raw peer's own frame parser, on hand-built bytes: it must not lean on the transport's reader it helps test.</summary>
public sealed class ClientFrameTests
{
    // The "normal headers frame including priority" case of the http2-frame-test-case corpus: HEADERS, flags
    // PRIORITY|PADDED|END_HEADERS, stream 3, pad 16, exclusive dependency on 20, weight 10.
    private static readonly byte[] s_paddedHeaders = Convert.FromHexString(
        "000023012C00000003108000001409746869732069732064756D6D79546869732069732070616464696E672E");

    [Fact]
    public void TryRead_PaddedHeadersWithPriority_ContentIsTheFragmentAlone()
    {
        // Act
        bool read = ClientFrame.TryRead(s_paddedHeaders, out ClientFrame frame, out int consumed);

        // Assert
        Assert.True(read);
        Assert.Equal(s_paddedHeaders.Length, consumed);
        Assert.Equal(PeerFrames.Headers, frame.Type);
        Assert.Equal(0x2C, frame.Flags);
        Assert.Equal(3, frame.StreamId);
        Assert.Equal(0x23, frame.Payload.Length);
        Assert.Equal("this is dummy"u8.ToArray(), frame.Content().ToArray());
    }

    [Fact]
    public void TryRead_EveryTruncation_ReadsNothing()
    {
        for (int length = 0; length < s_paddedHeaders.Length; length++)
        {
            Assert.False(ClientFrame.TryRead(s_paddedHeaders.AsSpan(0, length), out _, out int consumed));
            Assert.Equal(0, consumed);
        }
    }

    [Fact]
    public void TryRead_ReservedBitSetAndATrailingFrame_ClearsTheBitAndReadsOnlyTheFirst()
    {
        // Arrange
        byte[] bytes = [.. RawFrame.Build(PeerFrames.WindowUpdate, 0, 0x8000_0005, RawFrame.U32(7)), .. RawFrame.Build(PeerFrames.Ping, 0, 0, new byte[8])];

        // Act
        bool read = ClientFrame.TryRead(bytes, out ClientFrame frame, out int consumed);

        // Assert
        Assert.True(read);
        Assert.Equal(13, consumed);
        Assert.Equal(5, frame.StreamId);
        Assert.Equal(7u, RawFrame.ReadU32(frame.Payload));
    }

    [Fact]
    public void Content_PaddedData_StripsThePadLengthAndPadding()
    {
        // Arrange: DATA, PADDED, stream 1, pad 2.
        byte[] bytes = RawFrame.Build(PeerFrames.Data, 0x08, 1, [2, (byte)'o', (byte)'k', 0, 0]);

        // Act
        ClientFrame.TryRead(bytes, out ClientFrame frame, out _);

        // Assert
        Assert.Equal("ok"u8.ToArray(), frame.Content().ToArray());
    }

    [Fact]
    public void Content_PaddingLongerThanThePayload_Throws()
    {
        byte[] bytes = RawFrame.Build(PeerFrames.Data, 0x08, 1, [9, (byte)'o']);

        ClientFrame.TryRead(bytes, out ClientFrame frame, out _);
        bool threw = false;
        try
        {
            frame.Content();
        }
        catch (InvalidOperationException)
        {
            threw = true;
        }

        Assert.True(threw);
    }

    [Fact]
    public void Write_IntoAPreFilledBuffer_WritesHeaderAndPayloadOnly()
    {
        // Arrange
        byte[] buffer = Enumerable.Repeat((byte)0xFF, 16).ToArray();

        // Act
        int written = RawFrame.Write(buffer, PeerFrames.RstStream, 0, 3, RawFrame.U32(8));

        // Assert
        Assert.Equal(13, written);
        Assert.Equal(Convert.FromHexString("00000403000000000300000008FFFFFF"), buffer);
    }
}
