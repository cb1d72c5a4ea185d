namespace Oms.Testing.RawPeer;

/// <summary>
/// One frame the raw peer read from the client, parsed by the peer's own code (RFC 9113 section 4.1) rather than the
/// transport's frame reader, so a reader bug cannot hide itself behind the peer that tests it.
/// </summary>
internal readonly ref struct ClientFrame
{
    private const byte Padded = 0x8, Priority = 0x20;

    private ClientFrame(byte type, byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        Type = type;
        Flags = flags;
        StreamId = streamId;
        Payload = payload;
    }

    public byte Type { get; }

    public byte Flags { get; }

    /// <summary>The stream identifier with the reserved bit cleared (RFC 9113 section 4.1: ignored on receipt).</summary>
    public int StreamId { get; }

    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>Reads one whole frame from the start of <paramref name="buffer"/>; false when it has not all arrived.</summary>
    /// <param name="buffer">The bytes received and not consumed yet.</param>
    /// <param name="frame">The frame, its payload a slice of <paramref name="buffer"/>.</param>
    /// <param name="consumed">The frame's size on the wire.</param>
    public static bool TryRead(ReadOnlySpan<byte> buffer, out ClientFrame frame, out int consumed)
    {
        frame = default;
        consumed = 0;
        if (buffer.Length < RawFrame.HeaderSize)
        {
            return false;
        }

        int length = (buffer[0] << 16) | (buffer[1] << 8) | buffer[2];
        if (buffer.Length < RawFrame.HeaderSize + length)
        {
            return false;
        }

        int streamId = (int)(RawFrame.ReadU32(buffer[5..]) & 0x7FFF_FFFF);
        frame = new ClientFrame(buffer[3], buffer[4], streamId, buffer.Slice(RawFrame.HeaderSize, length));
        consumed = RawFrame.HeaderSize + length;
        return true;
    }

    public bool HasFlag(byte flag) => (Flags & flag) == flag;

    // RFC 9113 section 6.1 (DATA) and 6.2 (HEADERS):
    //  +---------------+
    //  |Pad Length? (8)|
    //  +-+-------------+-----------------------------------------------+
    //  |E|                 Stream Dependency? (31)      (HEADERS only)  |
    //  +-+-------------+-----------------------------------------------+
    //  |  Weight? (8)  |                                (HEADERS only)
    //  +-+-------------+-----------------------------------------------+
    //  |                   Header Block Fragment / Data (*)          ...
    //  +---------------------------------------------------------------+
    //  |                           Padding (*)                       ...
    //  +---------------------------------------------------------------+
    /// <summary>The DATA's data or the HEADERS' fragment: the payload without padding and priority fields.</summary>
    public ReadOnlySpan<byte> Content()
    {
        var content = Payload;
        int padding = 0;
        if (Type is PeerFrames.Data or PeerFrames.Headers && HasFlag(Padded))
        {
            padding = content[0];
            content = content[1..];
        }

        if (Type == PeerFrames.Headers && HasFlag(Priority))
        {
            content = content[5..];
        }

        if (padding > content.Length)
        {
            throw new InvalidOperationException($"Frame type {Type} on stream {StreamId}: padding longer than the payload (RFC 9113 section 6.1).");
        }

        return content[..^padding];
    }
}
