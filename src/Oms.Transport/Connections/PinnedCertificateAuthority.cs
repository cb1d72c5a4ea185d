using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Oms.Transport.Connections;

/// <summary>
/// One trust rule for every TLS client of the process: a PEM CA file, when given, replaces the system store; the host
/// name is checked either way. The HTTP/2 transport and the engine's order stream both verify through it.
/// </summary>
/// <remarks>Immutable after loading; thread-safe.</remarks>
internal sealed class PinnedCertificateAuthority
{
    private readonly X509Certificate2Collection _roots;

    private PinnedCertificateAuthority(X509Certificate2Collection roots) => _roots = roots;

    /// <summary>Reads the CA certificates of a PEM file.</summary>
    /// <exception cref="Http2ConnectException">The file cannot be read or holds no certificate (a trust failure).</exception>
    public static PinnedCertificateAuthority Load(string path)
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

        return new PinnedCertificateAuthority(roots);
    }

    /// <summary>
    /// A chain policy that trusts these roots only. Revocation is not checked: a pinned private CA publishes no
    /// revocation list, and an unreachable list would only turn every handshake into a failure.
    /// </summary>
    public X509ChainPolicy CreateChainPolicy()
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(_roots);
        return policy;
    }

    /// <summary>Client options verified against the pinned roots when <paramref name="pinned"/> is set, else the system store.</summary>
    /// <param name="targetHost">The host name the certificate must name.</param>
    /// <param name="pinned">The pinned CA, or <see langword="null"/> for the system store.</param>
    /// <param name="onPolicyErrors">Told the policy errors of a refused certificate (for a precise message); may be <see langword="null"/>.</param>
    public static SslClientAuthenticationOptions CreateClientOptions(string targetHost, PinnedCertificateAuthority? pinned, Action<SslPolicyErrors>? onPolicyErrors)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, _, _, errors) =>
            {
                if (errors != SslPolicyErrors.None)
                {
                    onPolicyErrors?.Invoke(errors);
                }

                return errors == SslPolicyErrors.None;
            },
        };
        if (pinned is not null)
        {
            options.CertificateChainPolicy = pinned.CreateChainPolicy();
        }

        return options;
    }
}
