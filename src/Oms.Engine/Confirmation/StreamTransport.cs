namespace Oms.Engine.Confirmation;

/// <summary>Which client carries the order stream; see the folder's README for when each is used.</summary>
internal enum StreamTransport
{
    /// <summary>No connection has opened yet.</summary>
    None,

    /// <summary>Our own WebSocket over an HTTP/2 extended CONNECT (RFC 8441): nothing allocated per message.</summary>
    Http2Tunnel,

    /// <summary>The runtime's <c>ClientWebSocket</c> over an HTTP/1.1 upgrade, for a venue that does not speak RFC 8441.</summary>
    Http11Fallback,
}
