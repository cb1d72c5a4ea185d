namespace Oms.Engine.Tests.Confirmation.WebSockets;

/// <summary>
/// The test's own WebSocket framing (RFC 6455 section 5.2), written apart from the production reader and writer: frames
/// as a server sends them, and the client's masked frames taken apart.
/// </summary>
internal static class ServerFrames
{
    public const byte Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA;

    /// <summary>A server frame: unmasked unless <paramref name="mask"/>, the shortest length encoding unless <paramref name="force64"/>.</summary>
    public static byte[] Frame(byte opcode, byte[] payload, bool fin = true, byte rsv = 0, byte[]? mask = null, bool force64 = false)
    {
        var frame = new List<byte> { (byte)((fin ? 0x80 : 0) | (rsv << 4) | opcode) };
        byte maskBit = mask is null ? (byte)0 : (byte)0x80;
        if (payload.Length <= 125 && !force64)
        {
            frame.Add((byte)(maskBit | payload.Length));
        }
        else if (payload.Length <= 0xFFFF && !force64)
        {
            frame.Add((byte)(maskBit | 126));
            frame.Add((byte)(payload.Length >> 8));
            frame.Add((byte)payload.Length);
        }
        else
        {
            frame.Add((byte)(maskBit | 127));
            for (int shift = 56; shift >= 0; shift -= 8)
            {
                frame.Add((byte)((long)payload.Length >> shift));
            }
        }

        if (mask is not null)
        {
            frame.AddRange(mask);
            frame.AddRange(payload.Select((b, i) => (byte)(b ^ mask[i % 4])));
        }
        else
        {
            frame.AddRange(payload);
        }

        return [.. frame];
    }

    public static byte[] TextFrame(string text, bool fin = true) => Frame(Text, Encoding.UTF8.GetBytes(text), fin);

    /// <summary>A client frame taken apart: whether masked, its opcode, FIN, RSV bits and the unmasked payload.</summary>
    public static bool TryReadClientFrame(ReadOnlySpan<byte> bytes, out ClientWebSocketFrame frame, out int consumed)
    {
        frame = default;
        consumed = 0;
        if (bytes.Length < 2)
        {
            return false;
        }

        int length = bytes[1] & 0x7F;
        int offset = 2;
        if (length == 126)
        {
            if (bytes.Length < 4)
            {
                return false;
            }

            length = (bytes[2] << 8) | bytes[3];
            offset = 4;
        }
        else if (length == 127)
        {
            if (bytes.Length < 10)
            {
                return false;
            }

            long wide = 0;
            for (int i = 2; i < 10; i++)
            {
                wide = (wide << 8) | bytes[i];
            }

            length = checked((int)wide);
            offset = 10;
        }

        bool masked = (bytes[1] & 0x80) != 0;
        int keyOffset = offset;
        if (masked)
        {
            offset += 4;
        }

        if (bytes.Length < offset + length)
        {
            return false;
        }

        var payload = new byte[length];
        for (int i = 0; i < length; i++)
        {
            payload[i] = masked ? (byte)(bytes[offset + i] ^ bytes[keyOffset + (i % 4)]) : bytes[offset + i];
        }

        frame = new ClientWebSocketFrame((bytes[0] & 0x80) != 0, (byte)((bytes[0] >> 4) & 0x7), (byte)(bytes[0] & 0x0F), masked, payload);
        consumed = offset + length;
        return true;
    }
}

internal readonly record struct ClientWebSocketFrame(bool Fin, byte Rsv, byte Opcode, bool Masked, byte[] Payload)
{
    public string Text => Encoding.UTF8.GetString(Payload);
}
