using static Oms.Transport.Tests.Http2.FrameBytes;
using static Oms.Transport.Tests.Support.TestBytes;

namespace Oms.Transport.Tests.Http2;

public sealed class Http2FrameWriterTests
{
    public static TheoryData<string> SingleFrameWriters => [.. s_writers.Keys];

    private static readonly Dictionary<string, FrameWrite> s_writers = new()
    {
        ["preface"] = (Span<byte> d, out int n) => Http2ControlFrameWriter.TryWriteClientPreface(d, out n),
        ["settings"] = (Span<byte> d, out int n) => Http2ControlFrameWriter.TryWriteSettings(
            d, [new(Http2SettingsParameter.EnablePush, 0), new(Http2SettingsParameter.InitialWindowSize, 1 << 20)], out n),
        ["settings-ack"] = (Span<byte> d, out int n) => Http2ControlFrameWriter.TryWriteSettingsAck(d, out n),
        ["headers"] = (Span<byte> d, out int n) => Http2FrameWriter.TryWriteHeaders(d, 1, [0x82, 0x86], Http2FrameFlags.EndHeaders, out n),
        ["continuation"] = (Span<byte> d, out int n) => Http2FrameWriter.TryWriteContinuation(d, 1, [0x84], Http2FrameFlags.EndHeaders, out n),
        ["data"] = (Span<byte> d, out int n) => Http2FrameWriter.TryWriteData(d, 1, "{}"u8, Http2FrameFlags.EndStream, out n),
        ["window-update"] = (Span<byte> d, out int n) => Http2ControlFrameWriter.TryWriteWindowUpdate(d, 0, 1000, out n),
        ["rst-stream"] = (Span<byte> d, out int n) => Http2ControlFrameWriter.TryWriteRstStream(d, 1, Http2ErrorCode.Cancel, out n),
        ["ping"] = (Span<byte> d, out int n) => Http2ControlFrameWriter.TryWritePing(d, 42, out n),
        ["ping-ack"] = (Span<byte> d, out int n) => Http2ControlFrameWriter.TryWritePingAck(d, 42, out n),
        ["goaway"] = (Span<byte> d, out int n) => Http2ControlFrameWriter.TryWriteGoAway(d, 0, Http2ErrorCode.NoError, "bye"u8, out n),
    };

    [Fact]
    public void TryWriteHeaders_EndStreamAndEndHeaders_WritesExactFrame()
    {
        // Arrange
        byte[] buffer = Filled(9 + 3 + Slack);

        // Act
        Http2FrameWriter.TryWriteHeaders(
            buffer, int.MaxValue, [0x82, 0x86, 0x84], Http2FrameFlags.EndStream | Http2FrameFlags.EndHeaders, out int bytesWritten);

        // Assert
        AssertWritten(buffer, Convert.FromHexString("000003" + "01" + "05" + "7FFFFFFF" + "828684"), bytesWritten);
    }

    [Fact]
    public void TryWriteContinuation_WritesExactFrame()
    {
        // Arrange
        byte[] buffer = Filled(9 + 2 + Slack);

        // Act
        Http2FrameWriter.TryWriteContinuation(buffer, 3, [0xAB, 0xCD], Http2FrameFlags.EndHeaders, out int bytesWritten);

        // Assert
        AssertWritten(buffer, Convert.FromHexString("000002" + "09" + "04" + "00000003" + "ABCD"), bytesWritten);
    }

    [Fact]
    public void TryWriteData_EndStream_WritesExactFrame()
    {
        // Arrange
        byte[] buffer = Filled(9 + 2 + Slack);

        // Act
        Http2FrameWriter.TryWriteData(buffer, 5, "{}"u8, Http2FrameFlags.EndStream, out int bytesWritten);

        // Assert
        AssertWritten(buffer, Convert.FromHexString("000002" + "00" + "01" + "00000005" + "7B7D"), bytesWritten);
    }

    [Theory]
    [MemberData(nameof(SingleFrameWriters))]
    public void TryWrite_DestinationOneByteShort_ReturnsFalse(string writer)
    {
        // Arrange
        FrameWrite write = s_writers[writer];
        byte[] roomy = new byte[256];
        write(roomy, out int needed);
        byte[] tooSmall = new byte[needed - 1];

        // Act
        bool written = write(tooSmall, out int bytesWritten);

        // Assert
        Assert.False(written);
        Assert.Equal(0, bytesWritten);
    }

    [Theory]
    [MemberData(nameof(SingleFrameWriters))]
    public void TryWrite_ExactlySizedDestination_Succeeds(string writer)
    {
        // Arrange
        FrameWrite write = s_writers[writer];
        byte[] roomy = new byte[256];
        write(roomy, out int needed);
        byte[] exact = new byte[needed];

        // Act
        bool written = write(exact, out int bytesWritten);

        // Assert
        Assert.True(written);
        Assert.Equal(needed, bytesWritten);
        Assert.Equal(roomy.AsSpan(0, needed).ToArray(), exact);
    }

    [Fact]
    public void TryWriteStreamFrames_StreamZero_Throw()
    {
        // Arrange
        byte[] buffer = new byte[64];

        // Act + Assert: DATA, HEADERS, CONTINUATION and RST_STREAM need a stream (RFC 9113 section 6).
        Assert.Throws<ArgumentOutOfRangeException>(() => Http2FrameWriter.TryWriteData(buffer, 0, [], Http2FrameFlags.None, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => Http2FrameWriter.TryWriteHeaders(buffer, 0, [], Http2FrameFlags.None, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => Http2FrameWriter.TryWriteContinuation(buffer, 0, [], Http2FrameFlags.None, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => Http2ControlFrameWriter.TryWriteRstStream(buffer, 0, Http2ErrorCode.Cancel, out _));
    }

    [Fact]
    public void TryWriteFrames_FlagNotAllowedForType_Throw()
    {
        // Arrange
        byte[] buffer = new byte[64];

        // Act + Assert: padding and priority are never written; END_HEADERS is not a DATA flag.
        Assert.Throws<ArgumentOutOfRangeException>(() => Http2FrameWriter.TryWriteHeaders(buffer, 1, [], Http2FrameFlags.Padded, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => Http2FrameWriter.TryWriteHeaders(buffer, 1, [], Http2FrameFlags.Priority, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => Http2FrameWriter.TryWriteData(buffer, 1, [], Http2FrameFlags.EndHeaders, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => Http2FrameWriter.TryWriteContinuation(buffer, 1, [], Http2FrameFlags.EndStream, out _));
    }

    [Fact]
    public void WriteHeadersAndData_SmallRequest_WritesExactlyHeadersThenDataWithEndStream()
    {
        // Arrange
        var writer = new ArrayBufferWriter<byte>();
        byte[] headerBlock = [0x82, 0x87, 0x84];
        byte[] body = "{\"id\":1}"u8.ToArray();

        // Act
        int written = Http2FrameWriter.WriteHeadersAndData(writer, 1, headerBlock, body, 16_384);

        // Assert
        byte[] expected = Convert.FromHexString(
            "000003" + "01" + "04" + "00000001" + "828784" +
            "000008" + "00" + "01" + "00000001" + Convert.ToHexString(body));
        Assert.Equal(expected.Length, written);
        Assert.Equal(expected, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void WriteHeadersAndData_SmallRequest_UsesOneGetSpanAndOneAdvance()
    {
        // Arrange
        var writer = new ChunkedBufferWriter(4096);

        // Act
        Http2FrameWriter.WriteHeadersAndData(writer, 1, [0x82], [0x7B, 0x7D], 16_384);

        // Assert
        Assert.Equal(1, writer.GetSpanCalls);
        Assert.Equal(1, writer.AdvanceCalls);
        Assert.Equal(2, ParseFrames(writer.WrittenBytes).Count);
    }

    [Fact]
    public void WriteHeadersAndData_EmptyBody_PutsEndStreamOnHeadersAndWritesNoData()
    {
        // Arrange
        var writer = new ArrayBufferWriter<byte>();

        // Act
        Http2FrameWriter.WriteHeadersAndData(writer, 3, [0x82, 0x84], [], 16_384);

        // Assert
        List<(Http2FrameHeader Header, byte[] Payload)> frames = ParseFrames(writer.WrittenSpan.ToArray());
        (Http2FrameHeader header, byte[] payload) = Assert.Single(frames);
        Assert.Equal(new Http2FrameHeader(2, Http2FrameType.Headers, Http2FrameFlags.EndStream | Http2FrameFlags.EndHeaders, 3), header);
        Assert.Equal(new byte[] { 0x82, 0x84 }, payload);
    }

    [Fact]
    public void WriteHeadersAndData_HeaderBlockAboveMaxFrameSize_SplitsIntoContinuationFrames()
    {
        // Arrange
        var writer = new ArrayBufferWriter<byte>();
        byte[] headerBlock = Pattern(40_000);
        byte[] body = Pattern(10);

        // Act
        Http2FrameWriter.WriteHeadersAndData(writer, 5, headerBlock, body, 16_384);

        // Assert
        List<(Http2FrameHeader Header, byte[] Payload)> frames = ParseFrames(writer.WrittenSpan.ToArray());
        Assert.Equal(
            [
                new Http2FrameHeader(16_384, Http2FrameType.Headers, Http2FrameFlags.None, 5),
                new Http2FrameHeader(16_384, Http2FrameType.Continuation, Http2FrameFlags.None, 5),
                new Http2FrameHeader(7_232, Http2FrameType.Continuation, Http2FrameFlags.EndHeaders, 5),
                new Http2FrameHeader(10, Http2FrameType.Data, Http2FrameFlags.EndStream, 5),
            ],
            frames.Select(f => f.Header));
        Assert.Equal(headerBlock, frames.Take(3).SelectMany(f => f.Payload).ToArray());
        Assert.Equal(body, frames[3].Payload);
    }

    [Fact]
    public void WriteHeadersAndData_EmptyBodyAndSplitBlock_EndStreamOnHeadersEndHeadersOnLastContinuation()
    {
        // Arrange
        var writer = new ArrayBufferWriter<byte>();

        // Act
        Http2FrameWriter.WriteHeadersAndData(writer, 1, Pattern(10), [], 4);

        // Assert
        Assert.Equal(
            [
                new Http2FrameHeader(4, Http2FrameType.Headers, Http2FrameFlags.EndStream, 1),
                new Http2FrameHeader(4, Http2FrameType.Continuation, Http2FrameFlags.None, 1),
                new Http2FrameHeader(2, Http2FrameType.Continuation, Http2FrameFlags.EndHeaders, 1),
            ],
            ParseFrames(writer.WrittenSpan.ToArray()).Select(f => f.Header));
    }

    [Fact]
    public void WriteHeadersAndData_ContentExactMultipleOfMaxFrameSize_WritesNoEmptyTrailingFrame()
    {
        // Arrange
        var writer = new ArrayBufferWriter<byte>();

        // Act
        Http2FrameWriter.WriteHeadersAndData(writer, 1, Pattern(8), Pattern(16), 8);

        // Assert
        Assert.Equal(
            [
                new Http2FrameHeader(8, Http2FrameType.Headers, Http2FrameFlags.EndHeaders, 1),
                new Http2FrameHeader(8, Http2FrameType.Data, Http2FrameFlags.None, 1),
                new Http2FrameHeader(8, Http2FrameType.Data, Http2FrameFlags.EndStream, 1),
            ],
            ParseFrames(writer.WrittenSpan.ToArray()).Select(f => f.Header));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(20)]
    public void WriteHeadersAndData_WriterWithSmallSpans_ProducesSameBytesAsContiguousWriter(int maxSpan)
    {
        // Arrange
        var contiguous = new ArrayBufferWriter<byte>();
        var chunked = new ChunkedBufferWriter(maxSpan);
        byte[] headerBlock = Pattern(25);
        byte[] body = Pattern(30);

        // Act
        int expectedLength = Http2FrameWriter.WriteHeadersAndData(contiguous, 7, headerBlock, body, 10);
        int written = Http2FrameWriter.WriteHeadersAndData(chunked, 7, headerBlock, body, 10);

        // Assert
        Assert.Equal(expectedLength, written);
        Assert.Equal(contiguous.WrittenSpan.ToArray(), chunked.WrittenBytes);
        Assert.Equal(3 + 3, ParseFrames(chunked.WrittenBytes).Count);
    }

    [Fact]
    public void WriteHeaders_EndStream_SplitsBlockWithEndStreamOnHeadersOnly()
    {
        // Arrange
        var writer = new ArrayBufferWriter<byte>();

        // Act
        int written = Http2FrameWriter.WriteHeaders(writer, 9, Pattern(5), endStream: true, maxFrameSize: 3);

        // Assert
        Assert.Equal(9 + 3 + 9 + 2, written);
        Assert.Equal(
            [
                new Http2FrameHeader(3, Http2FrameType.Headers, Http2FrameFlags.EndStream, 9),
                new Http2FrameHeader(2, Http2FrameType.Continuation, Http2FrameFlags.EndHeaders, 9),
            ],
            ParseFrames(writer.WrittenSpan.ToArray()).Select(f => f.Header));
    }

    [Fact]
    public void WriteHeaders_SmallSpans_ProducesSameFrames()
    {
        // Arrange
        var contiguous = new ArrayBufferWriter<byte>();
        var chunked = new ChunkedBufferWriter(5);

        // Act
        Http2FrameWriter.WriteHeaders(contiguous, 9, Pattern(12), endStream: false, maxFrameSize: 5);
        Http2FrameWriter.WriteHeaders(chunked, 9, Pattern(12), endStream: false, maxFrameSize: 5);

        // Assert
        Assert.Equal(contiguous.WrittenSpan.ToArray(), chunked.WrittenBytes);
    }

    [Theory]
    [InlineData(0, true, 1)]
    [InlineData(5, false, 1)]
    [InlineData(11, true, 3)]
    public void WriteData_SplitsAtMaxFrameSizeWithEndStreamOnLastFrameOnly(int length, bool endStream, int expectedFrames)
    {
        // Arrange
        var writer = new ArrayBufferWriter<byte>();
        byte[] data = Pattern(length);

        // Act
        Http2FrameWriter.WriteData(writer, 11, data, endStream, maxFrameSize: 5);

        // Assert
        List<(Http2FrameHeader Header, byte[] Payload)> frames = ParseFrames(writer.WrittenSpan.ToArray());
        Assert.Equal(expectedFrames, frames.Count);
        Assert.All(frames, f => Assert.Equal(Http2FrameType.Data, f.Header.Type));
        Assert.All(frames.Take(frames.Count - 1), f => Assert.Equal(Http2FrameFlags.None, f.Header.Flags));
        Assert.Equal(endStream ? Http2FrameFlags.EndStream : Http2FrameFlags.None, frames[^1].Header.Flags);
        Assert.Equal(data, frames.SelectMany(f => f.Payload).ToArray());
    }

    [Fact]
    public void WriteData_SmallSpans_ProducesSameFrames()
    {
        // Arrange
        var contiguous = new ArrayBufferWriter<byte>();
        var chunked = new ChunkedBufferWriter(6);

        // Act
        Http2FrameWriter.WriteData(contiguous, 1, Pattern(17), endStream: true, maxFrameSize: 4);
        Http2FrameWriter.WriteData(chunked, 1, Pattern(17), endStream: true, maxFrameSize: 4);

        // Assert
        Assert.Equal(contiguous.WrittenSpan.ToArray(), chunked.WrittenBytes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(Http2FrameHeader.MaxPayloadLength + 1)]
    public void WriteHeadersAndData_InvalidMaxFrameSize_Throws(int maxFrameSize)
    {
        // Arrange
        var writer = new ArrayBufferWriter<byte>();

        // Act + Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => Http2FrameWriter.WriteHeadersAndData(writer, 1, [1], [2], maxFrameSize));
        Assert.Equal(0, writer.WrittenCount);
    }

    [Fact]
    public void WriteHeadersAndData_StreamZero_Throws()
    {
        // Arrange
        var writer = new ArrayBufferWriter<byte>();

        // Act + Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => Http2FrameWriter.WriteHeadersAndData(writer, 0, [1], [2], 16_384));
    }

    [Fact]
    public void WriteHeadersAndData_ReusedWriter10000Times_AllocatesNothing()
    {
        // Arrange
        var writer = new ArrayBufferWriter<byte>(1024);
        byte[] headerBlock = Pattern(120);
        byte[] body = Pattern(90);
        for (int i = 0; i < 1000; i++)
        {
            writer.ResetWrittenCount();
            Http2FrameWriter.WriteHeadersAndData(writer, (2 * i) + 1, headerBlock, body, 16_384);
        }

        // Act
        int total = 0;
        long allocated = AllocationMeter.AllocatedBytes(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                writer.ResetWrittenCount();
                total += Http2FrameWriter.WriteHeadersAndData(writer, (2 * i) + 1, headerBlock, body, 16_384);
            }
        });

        // Assert
        Assert.Equal(0, allocated);
        Assert.Equal(10_000 * (9 + 120 + 9 + 90), total);
    }

    [Fact]
    public void TryWriteFrames_PreSizedBuffer10000Times_AllocatesNothing()
    {
        // Arrange
        byte[] buffer = new byte[512];
        byte[] headerBlock = Pattern(120);
        byte[] body = Pattern(90);
        Http2Setting[] settings = [new(Http2SettingsParameter.EnablePush, 0)];
        WriteAll(buffer, headerBlock, body, settings);

        // Act
        int total = 0;
        long allocated = AllocationMeter.AllocatedBytes(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                total += WriteAll(buffer, headerBlock, body, settings);
            }
        });

        // Assert
        Assert.Equal(0, allocated);
        Assert.Equal(10_000 * WriteAll(buffer, headerBlock, body, settings), total);

        static int WriteAll(Span<byte> buffer, byte[] headerBlock, byte[] body, Http2Setting[] settings)
        {
            Http2FrameWriter.TryWriteHeaders(buffer, 1, headerBlock, Http2FrameFlags.EndHeaders, out int a);
            Http2FrameWriter.TryWriteData(buffer.Slice(a), 1, body, Http2FrameFlags.EndStream, out int b);
            Http2ControlFrameWriter.TryWriteWindowUpdate(buffer.Slice(a + b), 0, 1000, out int c);
            Http2ControlFrameWriter.TryWritePingAck(buffer.Slice(a + b + c), 7, out int d);
            Http2ControlFrameWriter.TryWriteSettings(buffer.Slice(a + b + c + d), settings, out int e);
            return a + b + c + d + e;
        }
    }

    [Fact]
    public void ParseFrames_TwoKnownFrames_DecodesHeadersAndPayloads()
    {
        // Arrange: a PING ACK on stream 0, then a 2-octet DATA frame on stream 3 with the reserved bit set.
        byte[] bytes = Convert.FromHexString("000008060100000000" + "0102030405060708" + "000002000180000003" + "ABCD");

        // Act
        List<(Http2FrameHeader Header, byte[] Payload)> frames = ParseFrames(bytes);

        // Assert
        Assert.Equal(2, frames.Count);
        Assert.Equal(new Http2FrameHeader(8, Http2FrameType.Ping, Http2FrameFlags.Ack, 0), frames[0].Header);
        Assert.Equal(Convert.FromHexString("0102030405060708"), frames[0].Payload);
        Assert.Equal(new Http2FrameHeader(2, Http2FrameType.Data, Http2FrameFlags.EndStream, 3), frames[1].Header);
        Assert.Equal(new byte[] { 0xAB, 0xCD }, frames[1].Payload);
    }
}
