using static Oms.Transport.Tests.Http2.FrameBytes;
using static Oms.Transport.Tests.Support.TestBytes;

namespace Oms.Transport.Tests.Http2;

public sealed class Http2FrameReaderTests
{
    // Whole buffer, one byte per segment, and an awkward segment size.
    public static TheoryData<int> SegmentSizes => [int.MaxValue, 1, 3];

    // Public for xunit, so typed by what it enumerates: the element types are internal.
    public static IEnumerable<object?[]> MalformedFrames => new TheoryData<string, byte[], Http2ErrorCode, int>()
    {
        // name, frame, error code, stream in error (0: connection error)
        { "DATA on stream 0", RawFrame.Build(0x0, 0x0, 0, 1, 2), Http2ErrorCode.ProtocolError, 0 },
        { "DATA pad length equals payload length", RawFrame.Build(0x0, 0x8, 1, 4, 9, 9, 9), Http2ErrorCode.ProtocolError, 0 },
        { "DATA pad length beyond payload", RawFrame.Build(0x0, 0x8, 1, 200, 9), Http2ErrorCode.ProtocolError, 0 },
        { "DATA padded without pad length", RawFrame.Build(0x0, 0x8, 1), Http2ErrorCode.FrameSizeError, 0 },
        { "HEADERS on stream 0", RawFrame.Build(0x1, 0x4, 0, 0x82), Http2ErrorCode.ProtocolError, 0 },
        { "HEADERS pad length equals payload length", RawFrame.Build(0x1, 0xC, 1, 4, 0x82, 0, 0), Http2ErrorCode.ProtocolError, 0 },
        { "HEADERS padding eats priority fields", RawFrame.Build(0x1, 0x2C, 1, [3, 0, 0, 0, 0, 16, 0x82, 0x84]), Http2ErrorCode.ProtocolError, 0 },
        { "HEADERS priority without its fields", RawFrame.Build(0x1, 0x24, 1, 0, 0, 0, 0), Http2ErrorCode.FrameSizeError, 0 },
        { "HEADERS padded and priority too short", RawFrame.Build(0x1, 0x2C, 1, 0, 0, 0, 0, 0), Http2ErrorCode.FrameSizeError, 0 },
        { "CONTINUATION on stream 0", RawFrame.Build(0x9, 0x4, 0, 0x82), Http2ErrorCode.ProtocolError, 0 },
        { "RST_STREAM on stream 0", RawFrame.Build(0x3, 0x0, 0, RawFrame.U32(8)), Http2ErrorCode.ProtocolError, 0 },
        { "RST_STREAM of 3 octets", RawFrame.Build(0x3, 0x0, 1, 0, 0, 8), Http2ErrorCode.FrameSizeError, 0 },
        { "RST_STREAM of 5 octets", RawFrame.Build(0x3, 0x0, 1, 0, 0, 0, 8, 0), Http2ErrorCode.FrameSizeError, 0 },
        { "SETTINGS on stream 1", RawFrame.Build(0x4, 0x0, 1), Http2ErrorCode.ProtocolError, 0 },
        { "SETTINGS of 5 octets", RawFrame.Build(0x4, 0x0, 0, 0, 4, 0, 0, 1), Http2ErrorCode.FrameSizeError, 0 },
        { "SETTINGS of 7 octets", RawFrame.Build(0x4, 0x0, 0, [.. RawFrame.Setting(4, 1), 0]), Http2ErrorCode.FrameSizeError, 0 },
        { "SETTINGS ACK with payload", RawFrame.Build(0x4, 0x1, 0, RawFrame.Setting(2, 0)), Http2ErrorCode.FrameSizeError, 0 },
        { "SETTINGS ENABLE_PUSH 2", RawFrame.Build(0x4, 0x0, 0, RawFrame.Setting(2, 2)), Http2ErrorCode.ProtocolError, 0 },
        { "SETTINGS INITIAL_WINDOW_SIZE 2^31", RawFrame.Build(0x4, 0x0, 0, RawFrame.Setting(4, 0x8000_0000)), Http2ErrorCode.FlowControlError, 0 },
        { "SETTINGS INITIAL_WINDOW_SIZE 2^32-1", RawFrame.Build(0x4, 0x0, 0, RawFrame.Setting(4, uint.MaxValue)), Http2ErrorCode.FlowControlError, 0 },
        { "SETTINGS MAX_FRAME_SIZE 16383", RawFrame.Build(0x4, 0x0, 0, RawFrame.Setting(5, 16_383)), Http2ErrorCode.ProtocolError, 0 },
        { "SETTINGS MAX_FRAME_SIZE 2^24", RawFrame.Build(0x4, 0x0, 0, RawFrame.Setting(5, 1 << 24)), Http2ErrorCode.ProtocolError, 0 },
        { "SETTINGS NO_RFC7540_PRIORITIES 2", RawFrame.Build(0x4, 0x0, 0, RawFrame.Setting(9, 2)), Http2ErrorCode.ProtocolError, 0 },
        { "SETTINGS invalid after valid", RawFrame.Build(0x4, 0x0, 0, [.. RawFrame.Setting(3, 100), .. RawFrame.Setting(2, 7)]), Http2ErrorCode.ProtocolError, 0 },
        { "PING of 7 octets", RawFrame.Build(0x6, 0x0, 0, new byte[7]), Http2ErrorCode.FrameSizeError, 0 },
        { "PING of 9 octets", RawFrame.Build(0x6, 0x0, 0, new byte[9]), Http2ErrorCode.FrameSizeError, 0 },
        { "PING on stream 1", RawFrame.Build(0x6, 0x0, 1, new byte[8]), Http2ErrorCode.ProtocolError, 0 },
        { "GOAWAY on stream 1", RawFrame.Build(0x7, 0x0, 1, new byte[8]), Http2ErrorCode.ProtocolError, 0 },
        { "GOAWAY of 7 octets", RawFrame.Build(0x7, 0x0, 0, new byte[7]), Http2ErrorCode.FrameSizeError, 0 },
        { "WINDOW_UPDATE of 3 octets on connection", RawFrame.Build(0x8, 0x0, 0, 0, 0, 1), Http2ErrorCode.FrameSizeError, 0 },
        { "WINDOW_UPDATE of 5 octets on a stream", RawFrame.Build(0x8, 0x0, 1, 0, 0, 0, 1, 0), Http2ErrorCode.FrameSizeError, 0 },
        { "WINDOW_UPDATE of 0 on connection", RawFrame.Build(0x8, 0x0, 0, RawFrame.U32(0)), Http2ErrorCode.ProtocolError, 0 },
        { "WINDOW_UPDATE of 0 on a stream", RawFrame.Build(0x8, 0x0, 3, RawFrame.U32(0)), Http2ErrorCode.ProtocolError, 3 },
        { "WINDOW_UPDATE of 0 behind reserved bit", RawFrame.Build(0x8, 0x0, 5, RawFrame.U32(0x8000_0000)), Http2ErrorCode.ProtocolError, 5 },
        { "PRIORITY on stream 0", RawFrame.Build(0x2, 0x0, 0, new byte[5]), Http2ErrorCode.ProtocolError, 0 },
        { "PRIORITY of 4 octets", RawFrame.Build(0x2, 0x0, 7, new byte[4]), Http2ErrorCode.FrameSizeError, 7 },
        { "PRIORITY of 6 octets", RawFrame.Build(0x2, 0x0, 7, new byte[6]), Http2ErrorCode.FrameSizeError, 7 },
    };

    [Theory]
    [MemberData(nameof(SegmentSizes))]
    public void TryReadFrame_EveryIncompletePrefix_ReturnsFalseAndLeavesBufferUntouched(int segmentSize)
    {
        // Arrange
        byte[] frame = RawFrame.Build(0x0, 0x1, 1, 1, 2, 3, 4, 5);
        for (int length = 0; length < frame.Length; length++)
        {
            ReadOnlySequence<byte> buffer = SegmentedSequence.Split(frame[..length], segmentSize);
            ReadOnlySequence<byte> original = buffer;

            // Act
            bool read = Http2FrameReader.TryReadFrame(ref buffer, MaxFrameSize, out Http2FrameHeader header, out ReadOnlySequence<byte> payload);

            // Assert
            Assert.False(read);
            Assert.Equal(original.Start, buffer.Start);
            Assert.Equal(original.End, buffer.End);
            Assert.Equal(default, header);
            Assert.True(payload.IsEmpty);
        }
    }

    [Theory]
    [MemberData(nameof(SegmentSizes))]
    public void TryReadFrame_TwoFramesAndAPartialThird_ReadsTwoAndKeepsTheRest(int segmentSize)
    {
        // Arrange
        byte[] first = RawFrame.Build(0x1, 0x4, 1, 0x82, 0x84);
        byte[] second = RawFrame.Build(0x0, 0x1, 1, 7, 8, 9);
        byte[] partial = RawFrame.Build(0x6, 0x0, 0, new byte[8])[..12];
        ReadOnlySequence<byte> buffer = SegmentedSequence.Split([.. first, .. second, .. partial], segmentSize);

        // Act
        bool readFirst = Http2FrameReader.TryReadFrame(ref buffer, MaxFrameSize, out Http2FrameHeader h1, out ReadOnlySequence<byte> p1);
        bool readSecond = Http2FrameReader.TryReadFrame(ref buffer, MaxFrameSize, out Http2FrameHeader h2, out ReadOnlySequence<byte> p2);
        bool readThird = Http2FrameReader.TryReadFrame(ref buffer, MaxFrameSize, out _, out _);

        // Assert
        Assert.True(readFirst);
        Assert.Equal(new Http2FrameHeader(2, Http2FrameType.Headers, Http2FrameFlags.EndHeaders, 1), h1);
        Assert.Equal(new byte[] { 0x82, 0x84 }, p1.ToArray());
        Assert.True(readSecond);
        Assert.Equal(new Http2FrameHeader(3, Http2FrameType.Data, Http2FrameFlags.EndStream, 1), h2);
        Assert.Equal(new byte[] { 7, 8, 9 }, p2.ToArray());
        Assert.False(readThird);
        Assert.Equal(partial, buffer.ToArray());
    }

    [Fact]
    public void TryReadFrame_EmptyPayloadFrame_ReadsHeaderAndEmptyPayload()
    {
        // Arrange
        ReadOnlySequence<byte> buffer = new(RawFrame.Build(0x4, 0x1, 0));

        // Act
        bool read = Http2FrameReader.TryReadFrame(ref buffer, MaxFrameSize, out Http2FrameHeader header, out ReadOnlySequence<byte> payload);

        // Assert
        Assert.True(read);
        Assert.Equal(new Http2FrameHeader(0, Http2FrameType.Settings, Http2FrameFlags.Ack, 0), header);
        Assert.True(payload.IsEmpty);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void TryReadFrame_LengthAboveMaxFrameSize_ThrowsFrameSizeErrorOnceHeaderArrives()
    {
        // Arrange: only the 9-octet header of a 16,385-octet frame has arrived.
        byte[] headerOnly = RawFrame.BuildWithLength(16_385, 0x0, 0x0, 1, []);
        var buffer = new ReadOnlySequence<byte>(headerOnly);

        // Act
        Http2ConnectionException error = Assert.Throws<Http2ConnectionException>(
            () => Http2FrameReader.TryReadFrame(ref buffer, MaxFrameSize, out _, out _));

        // Assert
        Assert.Equal(Http2ErrorCode.FrameSizeError, error.ErrorCode);
    }

    [Fact]
    public void TryReadFrame_LengthEqualToMaxFrameSize_Reads()
    {
        // Arrange
        byte[] frame = RawFrame.Build(0x0, 0x0, 1, new byte[16_384]);
        ReadOnlySequence<byte> buffer = SegmentedSequence.Split(frame, 4096);

        // Act
        bool read = Http2FrameReader.TryReadFrame(ref buffer, MaxFrameSize, out Http2FrameHeader header, out ReadOnlySequence<byte> payload);

        // Assert
        Assert.True(read);
        Assert.Equal(16_384, header.PayloadLength);
        Assert.Equal(16_384, payload.Length);
    }

    [Theory]
    [MemberData(nameof(MalformedFrames))]
    internal void PayloadParsers_MalformedFrame_ThrowExactError(string name, byte[] frame, Http2ErrorCode expectedCode, int streamInError)
    {
        foreach (int segmentSize in new[] { int.MaxValue, 1 })
        {
            // Arrange
            ReadOnlySequence<byte> buffer = SegmentedSequence.Split(frame, segmentSize);
            Assert.True(Http2FrameReader.TryReadFrame(ref buffer, MaxFrameSize, out Http2FrameHeader header, out ReadOnlySequence<byte> payload), name);

            // Act
            Exception error = Assert.ThrowsAny<Exception>(() => Dispatch(header, payload));

            // Assert
            if (streamInError == 0)
            {
                Http2ConnectionException connectionError = Assert.IsType<Http2ConnectionException>(error);
                Assert.Equal(expectedCode, connectionError.ErrorCode);
            }
            else
            {
                Http2StreamException streamError = Assert.IsType<Http2StreamException>(error);
                Assert.Equal(expectedCode, streamError.ErrorCode);
                Assert.Equal(streamInError, streamError.StreamId);
            }
        }
    }

    [Theory]
    [MemberData(nameof(SegmentSizes))]
    public void ReadData_RoundTripFromWriter_ReturnsData(int segmentSize)
    {
        // Arrange
        byte[] data = Pattern(100);
        byte[] frame = Write((Span<byte> d, out int n) => Http2FrameWriter.TryWriteData(d, 3, data, Http2FrameFlags.EndStream, out n));
        (Http2FrameHeader header, ReadOnlySequence<byte> payload) = ReadSingle(frame, segmentSize);

        // Act
        ReadOnlySequence<byte> read = Http2FrameReader.ReadData(header, payload);

        // Assert
        Assert.Equal(new Http2FrameHeader(100, Http2FrameType.Data, Http2FrameFlags.EndStream, 3), header);
        Assert.Equal(data, read.ToArray());
    }

    [Theory]
    [MemberData(nameof(SegmentSizes))]
    public void ReadData_Padded_RemovesPadLengthAndPadding(int segmentSize)
    {
        // Arrange: pad length 3, data "ab", 3 octets of padding.
        byte[] frame = RawFrame.Build(0x0, 0x9, 1, 3, (byte)'a', (byte)'b', 0, 0, 0);
        (Http2FrameHeader header, ReadOnlySequence<byte> payload) = ReadSingle(frame, segmentSize);

        // Act
        ReadOnlySequence<byte> data = Http2FrameReader.ReadData(header, payload);

        // Assert
        Assert.Equal("ab"u8.ToArray(), data.ToArray());
        Assert.Equal(6, header.PayloadLength);
    }

    [Fact]
    public void ReadData_PaddingFillsWholePayload_ReturnsEmptyData()
    {
        // Arrange: pad length = payload length - 1 is the largest legal padding.
        (Http2FrameHeader header, ReadOnlySequence<byte> payload) = ReadSingle(RawFrame.Build(0x0, 0x8, 1, 2, 0, 0), int.MaxValue);

        // Act
        ReadOnlySequence<byte> data = Http2FrameReader.ReadData(header, payload);

        // Assert
        Assert.True(data.IsEmpty);
    }

    [Theory]
    [MemberData(nameof(SegmentSizes))]
    public void ReadHeaders_PublishedVectorWithPriorityAndPadding_ReturnsFragmentOnly(int segmentSize)
    {
        // Arrange: the http2-frame-test-case "normal headers frame including priority" vector.
        byte[] frame = Convert.FromHexString(
            "000023012C00000003108000001409746869732069732064756D6D79546869732069732070616464696E672E");
        (Http2FrameHeader header, ReadOnlySequence<byte> payload) = ReadSingle(frame, segmentSize);

        // Act
        ReadOnlySequence<byte> fragment = Http2FrameReader.ReadHeaders(header, payload);

        // Assert
        Assert.Equal(3, header.StreamId);
        Assert.True(header.HasFlags(Http2FrameFlags.EndHeaders));
        Assert.Equal("this is dummy"u8.ToArray(), fragment.ToArray());
    }

    [Fact]
    public void ReadHeaders_PriorityWithoutPadding_SkipsFiveOctets()
    {
        // Arrange
        (Http2FrameHeader header, ReadOnlySequence<byte> payload) = ReadSingle(RawFrame.Build(0x1, 0x24, 1, 0, 0, 0, 3, 15, 0x82), int.MaxValue);

        // Act
        ReadOnlySequence<byte> fragment = Http2FrameReader.ReadHeaders(header, payload);

        // Assert
        Assert.Equal(new byte[] { 0x82 }, fragment.ToArray());
    }

    [Theory]
    [MemberData(nameof(SegmentSizes))]
    public void ReadHeadersAndContinuation_RoundTripOfSplitBlock_ReassemblesBlock(int segmentSize)
    {
        // Arrange
        byte[] block = Pattern(23);
        var writer = new ArrayBufferWriter<byte>();
        Http2FrameWriter.WriteHeaders(writer, 1, block, endStream: true, maxFrameSize: 10);
        ReadOnlySequence<byte> buffer = SegmentedSequence.Split(writer.WrittenSpan.ToArray(), segmentSize);
        var reassembled = new List<byte>();
        var headers = new List<Http2FrameHeader>();

        // Act
        while (Http2FrameReader.TryReadFrame(ref buffer, MaxFrameSize, out Http2FrameHeader header, out ReadOnlySequence<byte> payload))
        {
            headers.Add(header);
            ReadOnlySequence<byte> fragment = header.Type == Http2FrameType.Headers
                ? Http2FrameReader.ReadHeaders(header, payload)
                : Http2FrameReader.ReadContinuation(header, payload);
            reassembled.AddRange(fragment.ToArray());
        }

        // Assert
        Assert.Equal(block, reassembled);
        Assert.Equal(
            [Http2FrameType.Headers, Http2FrameType.Continuation, Http2FrameType.Continuation],
            headers.Select(h => h.Type));
        Assert.Equal(Http2FrameFlags.EndStream, headers[0].Flags);
        Assert.Equal(Http2FrameFlags.EndHeaders, headers[2].Flags);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void ReadContinuation_OnAStream_ReturnsWholePayload()
    {
        // Arrange
        byte[] frame = Write((Span<byte> d, out int n) => Http2FrameWriter.TryWriteContinuation(d, 1, [1, 2, 3], Http2FrameFlags.EndHeaders, out n));
        (Http2FrameHeader header, ReadOnlySequence<byte> payload) = ReadSingle(frame, 2);

        // Act
        ReadOnlySequence<byte> fragment = Http2FrameReader.ReadContinuation(header, payload);

        // Assert
        Assert.Equal(new byte[] { 1, 2, 3 }, fragment.ToArray());
    }

    [Fact]
    public void ReadFrames_MultiSegmentBuffer10000Times_AllocatesNothing()
    {
        // Arrange: a small response (HEADERS, padded DATA), a SETTINGS frame, a PING and a WINDOW_UPDATE, in 7-octet segments.
        byte[] bytes =
        [
            .. RawFrame.Build(0x1, 0x4, 1, 0x88, 0x5F, 0x10),
            .. RawFrame.Build(0x0, 0x9, 1, 2, (byte)'{', (byte)'}', 0, 0),
            .. RawFrame.Build(0x4, 0x0, 0, [.. RawFrame.Setting(4, 1 << 20), .. RawFrame.Setting(5, 1 << 15)]),
            .. RawFrame.Build(0x6, 0x0, 0, new byte[8]),
            .. RawFrame.Build(0x8, 0x0, 0, RawFrame.U32(100)),
        ];
        ReadOnlySequence<byte> input = SegmentedSequence.Split(bytes, 7);
        long checksum = ReadAll(input);

        // Act
        // The fewest bytes over a few runs: the runtime's one-off work on this thread (a method recompiled mid-loop)
        // once left 7 KB in one run of a parallel CI test run; a reader that allocates would do so in every run.
        long total = 0;
        long allocated = AllocationMeter.LeastAllocatedBytes(() =>
        {
            total = 0;
            for (int i = 0; i < 10_000; i++)
            {
                total += ReadAll(input);
            }
        });

        // Assert
        Assert.Equal(0, allocated);
        Assert.Equal(10_000 * checksum, total);
        Assert.Equal(3 + 2 + (1 << 20) + (1 << 15) + 100, checksum);

        static long ReadAll(ReadOnlySequence<byte> buffer)
        {
            long sum = 0;
            while (Http2FrameReader.TryReadFrame(ref buffer, MaxFrameSize, out Http2FrameHeader header, out ReadOnlySequence<byte> payload))
            {
                switch (header.Type)
                {
                    case Http2FrameType.Headers:
                        sum += Http2FrameReader.ReadHeaders(header, payload).Length;
                        break;
                    case Http2FrameType.Data:
                        sum += Http2FrameReader.ReadData(header, payload).Length;
                        break;
                    case Http2FrameType.Settings:
                        foreach (Http2Setting setting in Http2ControlFrameReader.ReadSettings(header, payload))
                        {
                            sum += setting.Value;
                        }

                        break;
                    case Http2FrameType.Ping:
                        sum += (long)Http2ControlFrameReader.ReadPing(header, payload);
                        break;
                    case Http2FrameType.WindowUpdate:
                        sum += Http2ControlFrameReader.ReadWindowUpdate(header, payload);
                        break;
                }
            }

            return sum;
        }
    }

    // Calls the parser the connection would call for the frame's type.
    private static void Dispatch(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        switch (header.Type)
        {
            case Http2FrameType.Data:
                Http2FrameReader.ReadData(header, payload);
                break;
            case Http2FrameType.Headers:
                Http2FrameReader.ReadHeaders(header, payload);
                break;
            case Http2FrameType.Priority:
                Http2ControlFrameReader.ValidatePriority(header);
                break;
            case Http2FrameType.RstStream:
                Http2ControlFrameReader.ReadRstStream(header, payload);
                break;
            case Http2FrameType.Settings:
                Http2ControlFrameReader.ReadSettings(header, payload);
                break;
            case Http2FrameType.Ping:
                Http2ControlFrameReader.ReadPing(header, payload);
                break;
            case Http2FrameType.GoAway:
                Http2ControlFrameReader.ReadGoAway(header, payload);
                break;
            case Http2FrameType.WindowUpdate:
                Http2ControlFrameReader.ReadWindowUpdate(header, payload);
                break;
            case Http2FrameType.Continuation:
                Http2FrameReader.ReadContinuation(header, payload);
                break;
            default:
                throw new InvalidOperationException("No parser for " + header.Type);
        }
    }
}
