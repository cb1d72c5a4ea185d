using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Oms.Transport.Connections;

namespace Oms.Engine.Confirmation.WebSockets;

/// <summary>
/// Opens the byte stream under the order stream's HTTP/2 tunnel: TCP with NoDelay, then for <c>wss</c> TLS offering
/// ALPN <c>h2</c> and <c>http/1.1</c>, verified like every TLS client of the process (<see cref="PinnedCertificateAuthority"/>).
/// </summary>
/// <remarks>
/// Synchronous on purpose, like the transport's connector: a socket that never sees an asynchronous call stays in the
/// kernel's blocking mode, so the stream thread sleeps in <c>poll</c>/<c>recv</c> itself and nothing runs on the thread
/// pool. A connect or TLS handshake that must end early (a stop, the connect timeout) ends by the socket being closed
/// under it. <c>http/1.1</c> is offered so that a venue without HTTP/2 still completes TLS and says so by its choice.
/// </remarks>
internal static class TunnelConnector
{
    /// <summary>Connects <paramref name="socket"/> and, when <paramref name="tls"/>, runs the TLS handshake over it.</summary>
    /// <param name="socket">A new socket, closed by another thread to give up.</param>
    /// <param name="host">The venue's host.</param>
    /// <param name="port">The venue's port.</param>
    /// <param name="tls">Whether to run TLS.</param>
    /// <param name="pinned">The pinned CA, or <see langword="null"/> for the system store.</param>
    /// <param name="http2">Whether the peer speaks HTTP/2: always assumed over cleartext (prior knowledge), ALPN's choice over TLS.</param>
    /// <returns>The stream to read and write: the socket's own, or TLS over it.</returns>
    /// <exception cref="IOException">The venue could not be reached or TLS failed; the message names the host, never a credential.</exception>
    public static Stream Connect(Socket socket, string host, int port, bool tls, PinnedCertificateAuthority? pinned, out bool http2)
    {
        try
        {
            socket.Connect(host, port);
        }
        catch (SocketException e)
        {
            throw new IOException($"cannot connect to {host}:{port}: {e.SocketErrorCode}", e);
        }

        var network = new NetworkStream(socket, ownsSocket: false);
        if (!tls)
        {
            http2 = true;
            return network;
        }

        var secure = new SslStream(network, leaveInnerStreamOpen: false);
        var policyErrors = SslPolicyErrors.None;
        var options = PinnedCertificateAuthority.CreateClientOptions(host, pinned, errors => policyErrors = errors);
        options.ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];
        try
        {
            secure.AuthenticateAsClient(options);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            secure.Dispose();
            throw new IOException(
                policyErrors != SslPolicyErrors.None
                    ? $"TLS: refused the certificate of {host} ({policyErrors}{(pinned is null ? ", system store" : ", pinned CA")})"
                    : $"TLS handshake with {host} failed: {e.Message}",
                e);
        }

        http2 = secure.NegotiatedApplicationProtocol == SslApplicationProtocol.Http2;
        return secure;
    }
}
