namespace Oms.Transport.Http2;

/// <summary>
/// The error codes of RFC 9113 section 7, carried by RST_STREAM and GOAWAY.
/// </summary>
/// <remarks>
/// The field is 32 bits on the wire and unknown codes must not trigger special behaviour (RFC 9113 section 7),
/// so a value read from the wire may lie outside this list.
/// </remarks>
internal enum Http2ErrorCode : uint
{
    /// <summary><c>NO_ERROR</c> (0x00): graceful shutdown, not the result of an error.</summary>
    NoError = 0x0,

    /// <summary><c>PROTOCOL_ERROR</c> (0x01): an unspecific protocol error was detected.</summary>
    ProtocolError = 0x1,

    /// <summary><c>INTERNAL_ERROR</c> (0x02): the endpoint hit an unexpected internal error.</summary>
    InternalError = 0x2,

    /// <summary><c>FLOW_CONTROL_ERROR</c> (0x03): the peer violated the flow-control protocol.</summary>
    FlowControlError = 0x3,

    /// <summary><c>SETTINGS_TIMEOUT</c> (0x04): a SETTINGS frame was not acknowledged in time.</summary>
    SettingsTimeout = 0x4,

    /// <summary><c>STREAM_CLOSED</c> (0x05): a frame arrived after the stream was half-closed.</summary>
    StreamClosed = 0x5,

    /// <summary><c>FRAME_SIZE_ERROR</c> (0x06): a frame had an invalid size.</summary>
    FrameSizeError = 0x6,

    /// <summary><c>REFUSED_STREAM</c> (0x07): the stream was refused before any application processing.</summary>
    RefusedStream = 0x7,

    /// <summary><c>CANCEL</c> (0x08): the stream is no longer needed.</summary>
    Cancel = 0x8,

    /// <summary><c>COMPRESSION_ERROR</c> (0x09): the field compression context cannot be maintained.</summary>
    CompressionError = 0x9,

    /// <summary><c>CONNECT_ERROR</c> (0x0a): the connection of a CONNECT request was reset or closed.</summary>
    ConnectError = 0xa,

    /// <summary><c>ENHANCE_YOUR_CALM</c> (0x0b): the peer is behaving in a way that may generate excessive load.</summary>
    EnhanceYourCalm = 0xb,

    /// <summary><c>INADEQUATE_SECURITY</c> (0x0c): the transport does not meet minimum security requirements.</summary>
    InadequateSecurity = 0xc,

    /// <summary><c>HTTP_1_1_REQUIRED</c> (0x0d): the request must be retried over HTTP/1.1.</summary>
    Http11Required = 0xd,
}
