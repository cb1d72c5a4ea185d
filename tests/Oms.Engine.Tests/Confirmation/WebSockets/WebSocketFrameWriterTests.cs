using Oms.Engine.Confirmation.WebSockets;

namespace Oms.Engine.Tests.Confirmation.WebSockets;

/// <summary>The client's frames: masked with the key given, reserved bits cleared, the shortest length, control frames bounded.</summary>
public sealed class WebSocketFrameWriterTests
{
    private static readonly byte[] s_key = [0x37, 0xFA, 0x21, 0x3D];

    [Theory]
    [InlineData(0, 2)]
    [InlineData(125, 2)]
    [InlineData(126, 4)]
    [InlineData(65_535, 4)]
    [InlineData(65_536, 10)]
    public void TryWriteClientFrame_Masks_ClearsReservedBits_AndUsesTheShortestLength(int size, int lengthFieldEnd)
    {
        // Arrange: the destination starts as all ones, so every bit the writer leaves alone shows.
        byte[] payload = Enumerable.Range(0, size).Select(i => (byte)(i * 7)).ToArray();
        var destination = Enumerable.Repeat((byte)0xFF, size + 32).ToArray();

        // Act
        bool written = WebSocketFrameWriter.TryWriteClientFrame(destination, WebSocketOpcode.Text, fin: true, payload, s_key, out int length);

        // Assert
        Assert.True(written);
        Assert.Equal(lengthFieldEnd + 4 + size, length);
        Assert.Equal(WebSocketFrameWriter.FrameLength(size), length);
        Assert.True(ServerFrames.TryReadClientFrame(destination.AsSpan(0, length), out var frame, out int consumed));
        Assert.Equal(length, consumed);
        Assert.Equal((true, (byte)0, ServerFrames.Text, true), (frame.Fin, frame.Rsv, frame.Opcode, frame.Masked));
        Assert.Equal(payload, frame.Payload);
        Assert.Equal(s_key, destination.AsSpan(lengthFieldEnd, 4).ToArray());
        if (size > 0)
        {
            Assert.Equal((byte)(payload[0] ^ s_key[0]), destination[lengthFieldEnd + 4]);
        }

        Assert.All(destination.AsSpan(length).ToArray(), b => Assert.Equal(0xFF, b));
    }

    [Fact]
    public void TryWriteClientFrame_RfcMaskedHello_IsTheRfcBytes()
    {
        // Arrange: RFC 6455 section 5.7, "A single-frame masked text message".
        var destination = Enumerable.Repeat((byte)0xFF, 16).ToArray();

        // Act
        WebSocketFrameWriter.TryWriteClientFrame(destination, WebSocketOpcode.Text, fin: true, "Hello"u8, s_key, out int length);

        // Assert
        Assert.Equal([0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58], destination[..length]);
    }

    [Fact]
    public void TryWriteClientFrame_Fragment_LeavesFinClear()
    {
        // Arrange
        var destination = Enumerable.Repeat((byte)0xFF, 16).ToArray();

        // Act
        WebSocketFrameWriter.TryWriteClientFrame(destination, WebSocketOpcode.Binary, fin: false, [1, 2], s_key, out int length);

        // Assert
        Assert.Equal(0x02, destination[0]);
        Assert.Equal(0x82, destination[1]);
        Assert.Equal(8, length);
    }

    [Fact]
    public void TryWriteClientFrame_TooSmall_ReturnsFalse_WritingNothingReported()
    {
        // Arrange
        var destination = new byte[6];

        // Act
        bool written = WebSocketFrameWriter.TryWriteClientFrame(destination, WebSocketOpcode.Text, fin: true, [1], s_key, out int length);

        // Assert
        Assert.False(written);
        Assert.Equal(0, length);
    }

    [Fact]
    public void TryWriteClientFrame_ControlFrameOver125OrFragmented_Throws()
    {
        // Arrange
        var destination = new byte[256];

        // Act and Assert
        Assert.Throws<ArgumentException>(() => WebSocketFrameWriter.TryWriteClientFrame(destination, WebSocketOpcode.Ping, fin: true, new byte[126], s_key, out _));
        Assert.Throws<ArgumentException>(() => WebSocketFrameWriter.TryWriteClientFrame(destination, WebSocketOpcode.Pong, fin: false, [1], s_key, out _));
        Assert.ThrowsAny<ArgumentException>(() => WebSocketFrameWriter.TryWriteClientFrame(destination, WebSocketOpcode.Text, fin: true, [1], [1, 2, 3], out _));
    }
}
