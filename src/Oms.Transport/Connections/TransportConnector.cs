using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Oms.Transport.Connections;

/// <summary>Opens the byte stream under an HTTP/2 connection: TCP with NoDelay, then TLS with ALPN h2 for https.</summary>
/// <remarks>
/// Certificates are always verified: against the system store by default, or against exactly one pinned CA when
/// a CA file is given (the system store is then ignored). The host name is checked either way. Thread-safe.
/// </remarks>
internal sealed class TransportConnector
{
    private readonly Uri _baseUri;
    private readonly PinnedCertificateAuthority? _pinnedRoots;

    public TransportConnector(Http2ClientOptions options)
    {
        _baseUri = options.BaseUri;
        if (options.CaCertificatePath is { } path)
        {
            _pinnedRoots = PinnedCertificateAuthority.Load(path);
        }
    }

    public bool UsesTls => _baseUri.Scheme == Uri.UriSchemeHttps;

    /// <summary>The <c>:authority</c> of requests: host, plus the port when it is not the scheme's default.</summary>
    public string Authority => _baseUri.IsDefaultPort ? _baseUri.IdnHost : _baseUri.IdnHost + ":" + _baseUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Connects and, for https, completes the TLS handshake, blocking the calling thread until done or until
    /// <paramref name="cancellationToken"/> fires (which closes the socket under the pending call).
    /// </summary>
    /// <remarks>
    /// Everything here is synchronous on purpose: a socket that never sees an asynchronous operation stays in the
    /// kernel's blocking mode, so the connection's reader thread sleeps in <c>recv</c> and wakes straight from the
    /// kernel, and the sender's <c>send</c> goes straight out. One asynchronous call would register the socket with the
    /// runtime's epoll thread for good, and every answer would then cost an epoll wake-up plus a thread-pool hop.
    /// </remarks>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    /// <exception cref="Http2ConnectException">The server could not be reached, or TLS failed.</exception>
    public (Socket Socket, Stream Stream) Connect(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            using (cancellationToken.UnsafeRegister(static state => ((Socket)state!).Dispose(), socket))
            {
                try
                {
                    socket.Connect(_baseUri.IdnHost, _baseUri.Port);
                }
                catch (SocketException e) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new Http2ConnectException($"cannot connect to {_baseUri.IdnHost}:{_baseUri.Port}: {e.SocketErrorCode}", e);
                }

                var network = new NetworkStream(socket, ownsSocket: false);
                stream = network;
                if (UsesTls)
                {
                    var tls = new SslStream(network, leaveInnerStreamOpen: false);
                    stream = tls;
                    Authenticate(tls);
                }
            }

            // The registration is gone: a token that fired just before may still have closed the socket under us.
            cancellationToken.ThrowIfCancellationRequested();
            return (socket, stream);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            Close(socket, stream);
            throw new OperationCanceledException("connecting was cancelled", e, cancellationToken);
        }
        catch
        {
            Close(socket, stream);
            throw;
        }
    }

    private static void Close(Socket socket, Stream? stream)
    {
        try
        {
            stream?.Dispose();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // Half-open or already closed: nothing more to release.
        }

        socket.Dispose();
    }

    private void Authenticate(SslStream tls)
    {
        var policyErrors = SslPolicyErrors.None;
        var options = PinnedCertificateAuthority.CreateClientOptions(_baseUri.IdnHost, _pinnedRoots, errors => policyErrors = errors);
        options.ApplicationProtocols = [SslApplicationProtocol.Http2];

        try
        {
            tls.AuthenticateAsClient(options);
        }
        catch (AuthenticationException e) when (policyErrors != SslPolicyErrors.None)
        {
            throw new Http2ConnectException(DescribeTrustFailure(policyErrors), e) { IsTrustFailure = true };
        }
        catch (AuthenticationException e)
        {
            throw new Http2ConnectException($"TLS handshake with {_baseUri.IdnHost} failed: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new Http2ConnectException($"TLS handshake with {_baseUri.IdnHost} failed: {e.Message}", e);
        }

        if (tls.NegotiatedApplicationProtocol != SslApplicationProtocol.Http2)
        {
            throw new Http2ConnectException($"{_baseUri.IdnHost} did not negotiate HTTP/2 (ALPN h2) over TLS.");
        }
    }

    private string DescribeTrustFailure(SslPolicyErrors errors)
    {
        var reasons = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            reasons.Add($"its certificate does not name host '{_baseUri.IdnHost}'");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            reasons.Add(_pinnedRoots is null
                ? "its certificate is not trusted by the system store (pin a CA file to trust a private CA)"
                : "its certificate does not chain to the pinned CA");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            reasons.Add("it presented no certificate");
        }

        return $"TLS: refused {_baseUri.IdnHost}: " + string.Join("; ", reasons);
    }
}
