using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Oms.Transport.Client;

namespace Oms.Transport.Connections;

/// <summary>Opens the byte stream under an HTTP/2 connection: TCP with NoDelay, then TLS with ALPN h2 for https.</summary>
/// <remarks>
/// Certificates are always verified: against the system store by default, or against exactly one pinned CA when
/// a CA file is given (the system store is then ignored). The host name is checked either way. Thread-safe.
/// </remarks>
internal sealed class TransportConnector
{
    private readonly Uri _baseUri;
    private readonly X509Certificate2Collection? _pinnedRoots;

    public TransportConnector(Http2ClientOptions options)
    {
        _baseUri = options.BaseUri;
        if (options.CaCertificatePath is { } path)
        {
            _pinnedRoots = LoadPinnedRoots(path);
        }
    }

    public bool UsesTls => _baseUri.Scheme == Uri.UriSchemeHttps;

    /// <summary>The <c>:authority</c> of requests: host, plus the port when it is not the scheme's default.</summary>
    public string Authority => _baseUri.IsDefaultPort ? _baseUri.IdnHost : _baseUri.IdnHost + ":" + _baseUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public async Task<(Socket Socket, Stream Stream)> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            try
            {
                await socket.ConnectAsync(_baseUri.IdnHost, _baseUri.Port, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new Http2ConnectException($"cannot connect to {_baseUri.IdnHost}:{_baseUri.Port}: {e.SocketErrorCode}", e);
            }

            var network = new NetworkStream(socket, ownsSocket: false);
            if (!UsesTls)
            {
                return (socket, network);
            }

            var tls = new SslStream(network, leaveInnerStreamOpen: false);
            try
            {
                await AuthenticateAsync(tls, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await tls.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            return (socket, tls);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task AuthenticateAsync(SslStream tls, CancellationToken cancellationToken)
    {
        var policyErrors = SslPolicyErrors.None;
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = _baseUri.IdnHost,
            ApplicationProtocols = [SslApplicationProtocol.Http2],
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, _, _, errors) =>
            {
                policyErrors = errors;
                return errors == SslPolicyErrors.None;
            },
        };
        if (_pinnedRoots is not null)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(_pinnedRoots);
            options.CertificateChainPolicy = policy;
        }

        try
        {
            await tls.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
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

    private static X509Certificate2Collection LoadPinnedRoots(string path)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new Http2ConnectException($"cannot read CA certificate file '{path}': {e.Message}", e) { IsTrustFailure = true };
        }

        if (roots.Count == 0)
        {
            throw new Http2ConnectException($"CA certificate file '{path}' holds no PEM certificate.") { IsTrustFailure = true };
        }

        return roots;
    }
}
