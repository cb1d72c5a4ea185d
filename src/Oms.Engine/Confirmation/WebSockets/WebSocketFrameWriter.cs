using System.Buffers.Binary;

namespace Oms.Engine.Confirmation.WebSockets;

/// <summary>Writes the client's frames (RFC 6455 section 5.2): always masked, reserved bits cleared, without allocating.</summary>
/// <remarks>Stateless and thread-safe; the masking key is the caller's, a fresh one per frame (RFC 6455 section 5.3).</remarks>
internal static class WebSocketFrameWriter
{
    /// <summary>The octets a client frame carrying <paramref name="payloadLength"/> octets takes.</summary>
    public static int FrameLength(int payloadLength) =>
        2 + (payloadLength <= 125 ? 0 : payloadLength <= ushort.MaxValue ? 2 : 8) + 4 + payloadLength;

    /// <summary>Writes one masked frame.</summary>
    /// <remarks>
    /// RFC 6455 sections 5.2 (layout, see <see cref="WebSocketFrameHeader.TryRead"/>) and 5.3: every frame a client
    /// sends is masked, payload octet i XORed with key octet i mod 4; RSV1-3 stay 0 with no extension negotiated.
    /// The shortest length encoding is used, as section 5.2 requires.
    /// </remarks>
    /// <param name="destination">Where to write.</param>
    /// <param name="opcode">The frame's opcode.</param>
    /// <param name="fin">Whether this ends the message (always for a control frame).</param>
    /// <param name="payload">The unmasked payload; at most 125 octets for a control frame.</param>
    /// <param name="maskingKey">The 4-octet key, in wire order.</param>
    /// <param name="bytesWritten">The frame's length, or 0 when it does not fit.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    /// <exception cref="ArgumentException">A control frame with more than 125 octets or without FIN, or a key not 4 octets long.</exception>
    public static bool TryWriteClientFrame(
        Span<byte> destination, WebSocketOpcode opcode, bool fin, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> maskingKey, out int bytesWritten)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(maskingKey.Length, 4, nameof(maskingKey));
        if (((byte)opcode & 0x8) != 0 && (payload.Length > WebSocketFrameHeader.MaxControlPayload || !fin))
        {
            throw new ArgumentException("A control frame carries at most 125 octets and is never fragmented.", nameof(payload));
        }

        int frameLength = FrameLength(payload.Length);
        if (destination.Length < frameLength)
        {
            bytesWritten = 0;
            return false;
        }

        destination[0] = (byte)((fin ? 0x80 : 0) | ((byte)opcode & 0x0F));
        int offset = 2;
        if (payload.Length <= 125)
        {
            destination[1] = (byte)(0x80 | payload.Length);
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            destination[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2), (ushort)payload.Length);
            offset = 4;
        }
        else
        {
            destination[1] = 0x80 | 127;
            BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(2), (ulong)payload.Length);
            offset = 10;
        }

        maskingKey.CopyTo(destination.Slice(offset));
        Span<byte> masked = destination.Slice(offset + 4, payload.Length);
        for (int i = 0; i < payload.Length; i++)
        {
            masked[i] = (byte)(payload[i] ^ maskingKey[i & 3]);
        }

        bytesWritten = frameLength;
        return true;
    }
}
