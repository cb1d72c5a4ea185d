namespace Oms.Engine.Confirmation.WebSockets;

/// <summary>The frame opcodes of RFC 6455 section 5.2; the values 3-7 and 0xB-0xF are reserved and refused.</summary>
internal enum WebSocketOpcode : byte
{
    /// <summary>Continuation (0x0): the next fragment of a text or binary message (RFC 6455 section 5.4).</summary>
    Continuation = 0x0,

    /// <summary>Text (0x1): the first frame of a UTF-8 message (RFC 6455 section 5.6).</summary>
    Text = 0x1,

    /// <summary>Binary (0x2): the first frame of a binary message (RFC 6455 section 5.6).</summary>
    Binary = 0x2,

    /// <summary>Close (0x8): the closing handshake, optionally a status code and reason (RFC 6455 section 5.5.1).</summary>
    Close = 0x8,

    /// <summary>Ping (0x9): answered with a pong carrying the same payload (RFC 6455 section 5.5.2).</summary>
    Ping = 0x9,

    /// <summary>Pong (0xA): the answer to a ping, or an unsolicited heartbeat (RFC 6455 section 5.5.3).</summary>
    Pong = 0xA,
}
