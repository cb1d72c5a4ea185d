namespace Oms.Transport.Client;

/// <summary>Why a request got no response. In every case the caller does not know whether the server acted on it,
/// except <see cref="NotProcessed"/>, which the server guarantees it did not.</summary>
internal enum Http2StreamFailure
{
    /// <summary>The server reset the stream (RST_STREAM with a code other than REFUSED_STREAM).</summary>
    Reset,

    /// <summary>The server promised it never processed the request: GOAWAY with a lower last-stream-id, or REFUSED_STREAM (RFC 9113 section 8.7).</summary>
    NotProcessed,

    /// <summary>The connection ended (closed, reset, or failed) before the response was complete.</summary>
    ConnectionLost,

    /// <summary>No complete response within the request timeout; the stream was reset with CANCEL.</summary>
    Timeout,

    /// <summary>The peer broke the protocol; the connection was closed with GOAWAY and the right error code.</summary>
    ProtocolError,

    /// <summary>The client was disposed while the request was in flight.</summary>
    Disposed,
}
