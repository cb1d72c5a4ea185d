namespace Oms.Engine.Confirmation.WebSockets;

/// <summary>Why a frame from the venue was refused; each one ends the connection (RFC 6455 section 7.1.7).</summary>
internal enum WebSocketFrameError
{
    /// <summary>RSV1-3 set: no extension was negotiated that would give them a meaning (RFC 6455 section 5.2).</summary>
    ReservedBitsSet,

    /// <summary>An opcode RFC 6455 reserves for later use (3-7, 0xB-0xF).</summary>
    UnknownOpcode,

    /// <summary>A masked frame: a server must not mask what it sends (RFC 6455 section 5.1).</summary>
    MaskedFrame,

    /// <summary>A control frame without FIN: control frames are never fragmented (RFC 6455 section 5.5).</summary>
    FragmentedControlFrame,

    /// <summary>A control frame with more than 125 payload octets (RFC 6455 section 5.5).</summary>
    ControlFrameTooLong,

    /// <summary>A 64-bit payload length with its most significant bit set (RFC 6455 section 5.2).</summary>
    PayloadLengthOverflow,

    /// <summary>A continuation frame with no fragmented message open (RFC 6455 section 5.4).</summary>
    UnexpectedContinuation,

    /// <summary>A new text or binary frame while a fragmented message is still open (RFC 6455 section 5.4).</summary>
    UnfinishedMessage,
}
