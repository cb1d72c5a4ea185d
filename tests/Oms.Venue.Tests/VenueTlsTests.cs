using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Oms.Venue.Tls;

namespace Oms.Venue.Tests;

public sealed class VenueTlsTests
{
    [Fact]
    public async Task Cancel_OverTlsWithPinnedGeneratedCa_AnswersAckOverHttp2()
    {
        await using var venue = await TestVenues.StartAsync(tls: true);
        using var client = new VenueClient(venue);
        var orderId = venue.Book.SeedGenerated(1, "BTC-PERP")[0];

        var answer = await client.CancelAsync(orderId);

        Assert.Equal("https", venue.BaseUri.Scheme);
        Assert.Equal(new Version(2, 0), answer.Version);
        Assert.Equal(0, answer.Code);
    }

    [Fact]
    public async Task Cancel_OverTlsWithoutTrustingTheCa_IsRefusedByTheClient()
    {
        await using var venue = await TestVenues.StartAsync(tls: true);
        using var client = new VenueClient(venue, trustNothing: true);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.CancelAsync("kIXfMP72VfFDp653WoNqNGcpZCK9W7ts"));

        Assert.IsType<AuthenticationException>(error.InnerException);
        Assert.Equal(0, venue.Stats.Streams);
    }

    [Fact]
    public async Task Cancel_OverTlsWithCertificateFromPemFiles_AnswersAck()
    {
        using var generated = VenueCertificates.Generate();
        var directory = Directory.CreateTempSubdirectory("oms-venue-tls-");
        try
        {
            var certPath = Path.Combine(directory.FullName, "server.pem");
            var keyPath = Path.Combine(directory.FullName, "server.key");
            await File.WriteAllTextAsync(certPath, generated.Server.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, generated.Server.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            await using var venue = await VenueServer.StartAsync(new VenueOptions
            {
                Credentials = TestVenues.Credentials,
                UseTls = true,
                CertificatePath = certPath,
                KeyPath = keyPath,
            });
            using var client = new VenueClient(venue, pinnedCaPem: generated.CaCertificatePem);
            var orderId = venue.Book.SeedGenerated(1, "BTC-PERP")[0];

            var answer = await client.CancelAsync(orderId);

            Assert.Null(venue.CaCertificatePem);
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Equal(0, answer.Code);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Generate_ServerCertificate_ChainsToCaAndNamesLoopbackOnly()
    {
        using var certificates = VenueCertificates.Generate();
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(certificates.Authority!);

        var valid = chain.Build(certificates.Server);

        Assert.True(valid, string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.True(certificates.Server.HasPrivateKey);
        Assert.False(certificates.Authority!.HasPrivateKey);
        Assert.True(certificates.Server.MatchesHostname("localhost"));
        Assert.True(certificates.Server.MatchesHostname("127.0.0.1"));
        Assert.False(certificates.Server.MatchesHostname("ascendex.com"));
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", certificates.CaCertificatePem, StringComparison.Ordinal);
    }
}
