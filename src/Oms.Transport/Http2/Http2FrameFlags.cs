namespace Oms.Transport.Http2;

/// <summary>
/// The frame flags of RFC 9113 section 6. Their meaning depends on the frame type, so two names share a bit.
/// </summary>
/// <remarks>
/// Unused flags must be ignored on receipt and left unset when sending (RFC 9113 section 4.1), so a reader
/// tests single bits and never compares the whole octet.
/// </remarks>
[Flags]
internal enum Http2FrameFlags : byte
{
    /// <summary>No flag set.</summary>
    None = 0x0,

    /// <summary><c>END_STREAM</c> (0x01) on DATA and HEADERS: the last frame the sender sends on the stream.</summary>
    EndStream = 0x1,

    /// <summary><c>ACK</c> (0x01) on SETTINGS and PING: the frame acknowledges the peer's frame.</summary>
    Ack = EndStream,

    /// <summary><c>END_HEADERS</c> (0x04) on HEADERS, PUSH_PROMISE and CONTINUATION: the field block is complete.</summary>
    EndHeaders = 0x4,

    /// <summary><c>PADDED</c> (0x08) on DATA, HEADERS and PUSH_PROMISE: a Pad Length octet and padding are present.</summary>
    Padded = 0x8,

    /// <summary><c>PRIORITY</c> (0x20) on HEADERS: the deprecated 5-octet priority fields are present.</summary>
    Priority = 0x20,
}
