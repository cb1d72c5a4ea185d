namespace Oms.Engine.Tests.Confirmation.WebSockets;

/// <summary>The test's own WebSocket framing checked on RFC 6455's examples (section 5.7), so the oracle the reader and writer are tested with is right.</summary>
public sealed class ServerFramesTests
{
    [Fact]
    public void Frame_RfcExamples_AreTheRfcBytes()
    {
        // Arrange and Act
        byte[] unmasked = ServerFrames.TextFrame("Hello");
        byte[] masked = ServerFrames.Frame(ServerFrames.Text, "Hello"u8.ToArray(), mask: [0x37, 0xFA, 0x21, 0x3D]);
        byte[] fragmented = [.. ServerFrames.TextFrame("Hel", fin: false), .. ServerFrames.Frame(ServerFrames.Continuation, "lo"u8.ToArray())];
        byte[] binary256 = ServerFrames.Frame(ServerFrames.Binary, new byte[256]);
        byte[] binary64k = ServerFrames.Frame(ServerFrames.Binary, new byte[65_536]);

        // Assert
        Assert.Equal([0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F], unmasked);
        Assert.Equal([0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58], masked);
        Assert.Equal([0x01, 0x03, 0x48, 0x65, 0x6C, 0x80, 0x02, 0x6C, 0x6F], fragmented);
        Assert.Equal([0x82, 0x7E, 0x01, 0x00], binary256[..4]);
        Assert.Equal(260, binary256.Length);
        Assert.Equal([0x82, 0x7F, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00], binary64k[..10]);
    }

    [Fact]
    public void TryReadClientFrame_RfcMaskedExample_UnmasksHello_AndWaitsForMissingOctets()
    {
        // Arrange
        byte[] masked = [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58];

        // Act
        bool partial = ServerFrames.TryReadClientFrame(masked.AsSpan(0, 10), out _, out _);
        bool whole = ServerFrames.TryReadClientFrame(masked, out var frame, out int consumed);

        // Assert
        Assert.False(partial);
        Assert.True(whole);
        Assert.Equal((true, (byte)0, ServerFrames.Text, true, "Hello", 11), (frame.Fin, frame.Rsv, frame.Opcode, frame.Masked, frame.Text, consumed));
    }
}
