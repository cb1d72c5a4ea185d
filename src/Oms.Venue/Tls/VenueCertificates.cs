using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Oms.Venue.Tls;

/// <summary>The certificates the venue serves TLS with: a private CA and a server certificate it issued.</summary>
/// <remarks>
/// Generated in memory at start when the host gives no files, so no key material lives in the repository. Clients
/// trust the CA (<see cref="CaCertificatePem"/>) explicitly; the server certificate names localhost, 127.0.0.1
/// and ::1, so host name checks pass on loopback and fail anywhere else, as they should.
/// </remarks>
internal sealed class VenueCertificates : IDisposable
{
    private VenueCertificates(X509Certificate2 server, X509Certificate2? authority)
    {
        Server = server;
        Authority = authority;
    }

    /// <summary>The certificate Kestrel presents, with its private key.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>The CA that issued <see cref="Server"/>, public part only; null when the certificate came from files.</summary>
    public X509Certificate2? Authority { get; }

    /// <summary>The CA certificate as PEM, for a client to pin; null when the certificate came from files.</summary>
    public string? CaCertificatePem => Authority?.ExportCertificatePem();

    /// <summary>Generates a fresh CA (ECDSA P-256) and a server certificate for loopback, valid for 30 days.</summary>
    public static VenueCertificates Generate()
    {
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        var notAfter = notBefore.AddDays(31);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Oms Venue Simulator CA, O=Oms", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var caWithKey = caRequest.CreateSelfSigned(notBefore, notAfter);

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost, O=Oms", serverKey, HashAlgorithmName.SHA256);
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(serverRequest.PublicKey, false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(caWithKey, true, false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = serverRequest.Create(caWithKey, notBefore.AddMinutes(1), notAfter.AddMinutes(-1), serial);
        using var issuedWithKey = issued.CopyWithPrivateKey(serverKey);

        // A round trip through PKCS#12 gives a certificate whose key the TLS stack can use on every platform.
        var server = X509CertificateLoader.LoadPkcs12(issuedWithKey.Export(X509ContentType.Pkcs12), null);
        var authority = X509CertificateLoader.LoadCertificate(caWithKey.RawData);
        return new VenueCertificates(server, authority);
    }

    /// <summary>Loads a server certificate and its key from PEM files.</summary>
    public static VenueCertificates FromPemFiles(string certificatePath, string keyPath)
    {
        using var loaded = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        var server = X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), null);
        return new VenueCertificates(server, null);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Server.Dispose();
        Authority?.Dispose();
    }
}
