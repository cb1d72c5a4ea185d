using Oms.Transport.Connections;

namespace Oms.Engine.Confirmation.WebSockets;

/// <summary>Where the tunnel goes and what its extended CONNECT carries besides the pseudo-headers RFC 8441 requires.</summary>
/// <param name="Host">The venue's host, also the name its certificate must carry.</param>
/// <param name="Port">The venue's port.</param>
/// <param name="Tls">Whether to run TLS (<c>wss</c>) or HTTP/2 prior knowledge over cleartext (<c>ws</c>).</param>
/// <param name="Pinned">The pinned CA, or <see langword="null"/> for the system store.</param>
/// <param name="Authority">The <c>:authority</c>: the host, and the port when it is not the scheme's default.</param>
/// <param name="Path">The <c>:path</c>.</param>
/// <param name="Headers">Further request headers, lowercase names (the signed authentication); sent never-indexed.</param>
internal sealed record TunnelRequest(
    string Host, int Port, bool Tls, PinnedCertificateAuthority? Pinned, string Authority, string Path, IReadOnlyList<KeyValuePair<string, string>> Headers);

/// <summary>How an attempt to open the tunnel ended, when it did not fail outright.</summary>
internal enum TunnelOutcome
{
    /// <summary>The venue answered 200: the WebSocket is open.</summary>
    Open,

    /// <summary>TLS ALPN did not pick <c>h2</c>: the venue serves WebSockets over HTTP/1.1 only, if at all.</summary>
    NoHttp2,

    /// <summary>The venue's SETTINGS lack SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 (RFC 8441 section 3).</summary>
    NoExtendedConnect,

    /// <summary>The venue answered another status: the upgrade was refused.</summary>
    Refused,
}
