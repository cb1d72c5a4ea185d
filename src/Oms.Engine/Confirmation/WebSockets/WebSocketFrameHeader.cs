using System.Buffers.Binary;

namespace Oms.Engine.Confirmation.WebSockets;

/// <summary>The header in front of every WebSocket frame (RFC 6455 section 5.2), as read from the venue.</summary>
/// <remarks>An immutable value. Reading checks the layout only; what a server may send is <see cref="Validate"/>'s.</remarks>
internal readonly struct WebSocketFrameHeader
{
    /// <summary>The longest header: 2 octets, a 64-bit extended length and a 4-octet masking key.</summary>
    public const int MaxSize = 14;

    /// <summary>The most payload a control frame may carry (RFC 6455 section 5.5).</summary>
    public const int MaxControlPayload = 125;

    private const byte FinBit = 0x80;
    private const byte ReservedBits = 0x70;
    private const byte OpcodeBits = 0x0F;
    private const byte MaskBit = 0x80;
    private const byte LengthBits = 0x7F;
    private const int Length16 = 126;
    private const int Length64 = 127;

    private WebSocketFrameHeader(byte first, byte second, long payloadLength)
    {
        Fin = (first & FinBit) != 0;
        HasReservedBits = (first & ReservedBits) != 0;
        Opcode = (WebSocketOpcode)(first & OpcodeBits);
        Masked = (second & MaskBit) != 0;
        PayloadLength = payloadLength;
    }

    /// <summary>Whether this is the last frame of its message.</summary>
    public bool Fin { get; }

    /// <summary>Whether any of RSV1-3 is set.</summary>
    public bool HasReservedBits { get; }

    /// <summary>The opcode, reserved values included.</summary>
    public WebSocketOpcode Opcode { get; }

    /// <summary>Whether the frame carries a masking key.</summary>
    public bool Masked { get; }

    /// <summary>The payload length; negative when the 64-bit length had its top bit set.</summary>
    public long PayloadLength { get; }

    /// <summary>Whether the opcode is a control frame's (close, ping, pong and the reserved 0xB-0xF).</summary>
    public bool IsControl => ((byte)Opcode & 0x8) != 0;

    /// <summary>Reads a header from the start of <paramref name="source"/>.</summary>
    /// <remarks>
    /// RFC 6455 section 5.2. A masking key, which a server never sends, is counted in <paramref name="headerLength"/> so
    /// that <see cref="Validate"/> can refuse the frame with its precise error.
    /// <code>
    ///  0                   1                   2                   3
    ///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    /// +-+-+-+-+-------+-+-------------+-------------------------------+
    /// |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
    /// |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
    /// |N|V|V|V|       |S|             |   (if payload len==126/127)   |
    /// | |1|2|3|       |K|             |                               |
    /// +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
    /// |     Extended payload length continued, if payload len == 127  |
    /// + - - - - - - - - - - - - - - - +-------------------------------+
    /// |                               |Masking-key, if MASK set to 1  |
    /// +-------------------------------+-------------------------------+
    /// | Masking-key (continued)       |          Payload Data         |
    /// +-------------------------------- - - - - - - - - - - - - - - - +
    /// </code>
    /// </remarks>
    /// <param name="source">The received octets.</param>
    /// <param name="header">The header, or default when incomplete.</param>
    /// <param name="headerLength">The header's octets, or 0 when incomplete.</param>
    /// <returns><see langword="false"/> when <paramref name="source"/> does not hold the whole header yet.</returns>
    public static bool TryRead(ReadOnlySpan<byte> source, out WebSocketFrameHeader header, out int headerLength)
    {
        if (source.Length >= 2)
        {
            byte second = source[1];
            int length7 = second & LengthBits;
            int extended = length7 == Length16 ? 2 : length7 == Length64 ? 8 : 0;
            int needed = 2 + extended + ((second & MaskBit) != 0 ? 4 : 0);
            if (source.Length >= needed)
            {
                long length = extended switch
                {
                    2 => BinaryPrimitives.ReadUInt16BigEndian(source.Slice(2)),
                    8 => (long)BinaryPrimitives.ReadUInt64BigEndian(source.Slice(2)),
                    _ => length7,
                };
                header = new WebSocketFrameHeader(source[0], second, length);
                headerLength = needed;
                return true;
            }
        }

        header = default;
        headerLength = 0;
        return false;
    }

    /// <summary>What is wrong with this header for a frame a server sent, taken alone; fragmentation is the reader's.</summary>
    /// <returns><see langword="true"/> and no error when the frame is allowed.</returns>
    public bool Validate(out WebSocketFrameError error)
    {
        if (HasReservedBits)
        {
            error = WebSocketFrameError.ReservedBitsSet;
        }
        else if (Opcode is not (WebSocketOpcode.Continuation or WebSocketOpcode.Text or WebSocketOpcode.Binary
                 or WebSocketOpcode.Close or WebSocketOpcode.Ping or WebSocketOpcode.Pong))
        {
            error = WebSocketFrameError.UnknownOpcode;
        }
        else if (Masked)
        {
            error = WebSocketFrameError.MaskedFrame;
        }
        else if (PayloadLength < 0)
        {
            error = WebSocketFrameError.PayloadLengthOverflow;
        }
        else if (IsControl && !Fin)
        {
            error = WebSocketFrameError.FragmentedControlFrame;
        }
        else if (IsControl && PayloadLength > MaxControlPayload)
        {
            error = WebSocketFrameError.ControlFrameTooLong;
        }
        else
        {
            error = default;
            return true;
        }

        return false;
    }
}
