using Oms.Engine.Confirmation.WebSockets;

namespace Oms.Engine.Tests.Confirmation.WebSockets;

/// <summary>The venue's frames read off a byte stream: whole and byte at a time, fragmented, with control frames between, and refused.</summary>
public sealed class WebSocketFrameReaderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_OneTextFrame_IsOneWholeMessage(bool byteAtATime)
    {
        // Arrange
        byte[] frame = ServerFrames.TextFrame("""{"m":"order"}""");
        var reader = new WebSocketFrameReader(byteAtATime ? ScriptedByteSource.ByteAtATime(frame) : ScriptedByteSource.Whole(frame));

        // Act
        var (message, reads) = ReadMessage(reader, new byte[64]);

        // Assert
        Assert.Equal("""{"m":"order"}""", message);
        Assert.All(reads, r => Assert.Equal((WebSocketReadKind.Data, false), (r.Kind, r.Binary)));
        Assert.True(reads[^1].EndOfMessage);
        Assert.All(reads[..^1], r => Assert.False(r.EndOfMessage));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_FragmentedMessageWithAPingBetween_AssemblesTheMessage_AndReturnsThePing(bool byteAtATime)
    {
        // Arrange: RFC 6455 section 5.4 lets control frames come between fragments.
        byte[][] frames =
        [
            ServerFrames.TextFrame("Hel", fin: false),
            ServerFrames.Frame(ServerFrames.Ping, [1, 2, 3]),
            ServerFrames.Frame(ServerFrames.Continuation, "lo, "u8.ToArray(), fin: false),
            ServerFrames.Frame(ServerFrames.Continuation, [], fin: false),
            ServerFrames.Frame(ServerFrames.Continuation, "world"u8.ToArray()),
        ];
        var reader = new WebSocketFrameReader(byteAtATime ? ScriptedByteSource.ByteAtATime(frames) : ScriptedByteSource.Whole(frames));
        var message = new byte[64];
        int length = 0;
        byte[]? ping = null;

        // Act
        while (true)
        {
            var read = reader.Read(message.AsSpan(length), 0);
            Assert.NotEqual(WebSocketReadKind.None, read.Kind);
            if (read.Kind == WebSocketReadKind.Ping)
            {
                ping = reader.ControlPayload.ToArray();
                continue;
            }

            length += read.Count;
            if (read.EndOfMessage)
            {
                break;
            }
        }

        // Assert
        Assert.Equal("Hello, world", Encoding.UTF8.GetString(message, 0, length));
        Assert.Equal([1, 2, 3], ping);
        Assert.Equal(WebSocketReadKind.None, reader.Read(message, 0).Kind);
    }

    [Theory]
    [InlineData(126, false)]
    [InlineData(70_000, false)]
    [InlineData(300, true)]
    public void Read_ExtendedLengths_DeliverEveryOctet_InChunksOfTheRoomGiven(int size, bool force64)
    {
        // Arrange
        byte[] payload = Enumerable.Range(0, size).Select(i => (byte)i).ToArray();
        var reader = new WebSocketFrameReader(ScriptedByteSource.Whole(ServerFrames.Frame(ServerFrames.Binary, payload, force64: force64)));
        var received = new List<byte>();
        var room = new byte[1000];

        // Act
        WebSocketRead read;
        do
        {
            room.AsSpan().Fill(0xFF);
            read = reader.Read(room, 0);
            Assert.Equal((WebSocketReadKind.Data, true), (read.Kind, read.Binary));
            Assert.InRange(read.Count, 1, room.Length);
            received.AddRange(room.AsSpan(0, read.Count).ToArray());
        }
        while (!read.EndOfMessage);

        // Assert
        Assert.Equal(payload, received);
    }

    [Fact]
    public void Read_ControlFrames_ReturnTheirKindAndPayload_AndTouchNoMessageOctets()
    {
        // Arrange
        var reader = new WebSocketFrameReader(ScriptedByteSource.ByteAtATime(
            ServerFrames.Frame(ServerFrames.Pong, [9]),
            ServerFrames.Frame(ServerFrames.Close, [0x03, 0xE8, (byte)'b', (byte)'y', (byte)'e'])));
        var room = Enumerable.Repeat((byte)0xFF, 16).ToArray();

        // Act
        var pong = reader.Read(room, 0);
        byte[] pongPayload = reader.ControlPayload.ToArray();
        var close = reader.Read(room, 0);
        byte[] closePayload = reader.ControlPayload.ToArray();

        // Assert
        Assert.Equal((WebSocketReadKind.Pong, 0), (pong.Kind, pong.Count));
        Assert.Equal([9], pongPayload);
        Assert.Equal(WebSocketReadKind.Close, close.Kind);
        Assert.Equal([0x03, 0xE8, (byte)'b', (byte)'y', (byte)'e'], closePayload);
        Assert.All(room, b => Assert.Equal(0xFF, b));
    }

    [Fact]
    public void Read_RfcFragmentedHello_IsOneMessage()
    {
        // Arrange: RFC 6455 section 5.7, "A fragmented unmasked text message".
        var reader = new WebSocketFrameReader(ScriptedByteSource.ByteAtATime([0x01, 0x03, 0x48, 0x65, 0x6C, 0x80, 0x02, 0x6C, 0x6F]));

        // Act
        var (message, reads) = ReadMessage(reader, new byte[16]);

        // Assert
        Assert.Equal("Hello", message);
        Assert.True(reads[^1].EndOfMessage);
    }

    [Fact]
    public void Read_NothingArrives_ReturnsNone()
    {
        // Arrange
        var reader = new WebSocketFrameReader(new ScriptedByteSource([]));

        // Act
        var read = reader.Read(new byte[8], 0);

        // Assert
        Assert.Equal(default, read);
    }

    public static IEnumerable<object?[]> BadFrames => new TheoryData<string, byte[], WebSocketFrameError>()
    {
        { "masked", ServerFrames.Frame(ServerFrames.Text, [1], mask: [1, 2, 3, 4]), WebSocketFrameError.MaskedFrame },
        { "rsv1", ServerFrames.Frame(ServerFrames.Text, [1], rsv: 4), WebSocketFrameError.ReservedBitsSet },
        { "rsv3", ServerFrames.Frame(ServerFrames.Text, [1], rsv: 1), WebSocketFrameError.ReservedBitsSet },
        { "opcode 3", ServerFrames.Frame(0x3, [1]), WebSocketFrameError.UnknownOpcode },
        { "opcode 0xB", ServerFrames.Frame(0xB, [1]), WebSocketFrameError.UnknownOpcode },
        { "fragmented ping", ServerFrames.Frame(ServerFrames.Ping, [1], fin: false), WebSocketFrameError.FragmentedControlFrame },
        { "126-octet ping", ServerFrames.Frame(ServerFrames.Ping, new byte[126]), WebSocketFrameError.ControlFrameTooLong },
        { "lone continuation", ServerFrames.Frame(ServerFrames.Continuation, [1]), WebSocketFrameError.UnexpectedContinuation },
        { "text inside text", [.. ServerFrames.TextFrame("a", fin: false), .. ServerFrames.TextFrame("b")], WebSocketFrameError.UnfinishedMessage },
        { "64-bit length, top bit", [0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 1], WebSocketFrameError.PayloadLengthOverflow },
    };

    [Theory]
    [MemberData(nameof(BadFrames))]
    internal void Read_FrameAServerMayNotSend_Throws_WithItsError_AndDeliversNothingOfIt(string name, byte[] bytes, WebSocketFrameError expected)
    {
        // Arrange
        var reader = new WebSocketFrameReader(ScriptedByteSource.ByteAtATime(bytes));
        var room = Enumerable.Repeat((byte)0xFF, 16).ToArray();
        int delivered = 0;

        // Act
        var error = Assert.Throws<WebSocketFrameException>((Action)(() =>
        {
            while (true)
            {
                var read = reader.Read(room.AsSpan(delivered), 0);
                delivered += read.Count;
                Assert.NotEqual(WebSocketReadKind.None, read.Kind);
            }
        }));

        // Assert
        Assert.Equal(expected, error.Error);
        Assert.True(name == "text inside text" ? delivered == 1 : delivered == 0, $"{name}: {delivered} octets delivered");
        Assert.All(room.AsSpan(delivered).ToArray(), b => Assert.Equal(0xFF, b));
    }

    private static (string Message, List<WebSocketRead> Reads) ReadMessage(WebSocketFrameReader reader, byte[] buffer)
    {
        var reads = new List<WebSocketRead>();
        int length = 0;
        while (true)
        {
            var read = reader.Read(buffer.AsSpan(length), 0);
            reads.Add(read);
            length += read.Count;
            if (read.Kind != WebSocketReadKind.Data || read.EndOfMessage)
            {
                return (Encoding.UTF8.GetString(buffer, 0, length), reads);
            }
        }
    }
}
