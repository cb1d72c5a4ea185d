namespace Oms.Transport.Http2;

/// <summary>
/// The frame types of RFC 9113 section 6 (registry in section 11.2).
/// </summary>
/// <remarks>
/// The type octet is kept as a plain byte on the wire: a value outside this list is an extension frame,
/// which RFC 9113 section 4.1 requires a receiver to ignore and discard, so it must survive a cast.
/// </remarks>
internal enum Http2FrameType : byte
{
    /// <summary><c>DATA</c> (0x00): request or response content (RFC 9113 section 6.1).</summary>
    Data = 0x0,

    /// <summary><c>HEADERS</c> (0x01): opens a stream and carries a field block fragment (RFC 9113 section 6.2).</summary>
    Headers = 0x1,

    /// <summary><c>PRIORITY</c> (0x02): deprecated priority signal, parsed only to be ignored (RFC 9113 section 6.3).</summary>
    Priority = 0x2,

    /// <summary><c>RST_STREAM</c> (0x03): immediate termination of a stream (RFC 9113 section 6.4).</summary>
    RstStream = 0x3,

    /// <summary><c>SETTINGS</c> (0x04): connection configuration or its acknowledgement (RFC 9113 section 6.5).</summary>
    Settings = 0x4,

    /// <summary><c>PUSH_PROMISE</c> (0x05): server push, which this client disables (RFC 9113 section 6.6).</summary>
    PushPromise = 0x5,

    /// <summary><c>PING</c> (0x06): round-trip measurement and liveness check (RFC 9113 section 6.7).</summary>
    Ping = 0x6,

    /// <summary><c>GOAWAY</c> (0x07): connection shutdown or a serious error (RFC 9113 section 6.8).</summary>
    GoAway = 0x7,

    /// <summary><c>WINDOW_UPDATE</c> (0x08): flow-control credit (RFC 9113 section 6.9).</summary>
    WindowUpdate = 0x8,

    /// <summary><c>CONTINUATION</c> (0x09): further field block fragments (RFC 9113 section 6.10).</summary>
    Continuation = 0x9,
}
