namespace Oms.Transport.Tests.Connections;

/// <summary>TCP and TLS under the connection: trust, host names, ALPN and the errors a user reads when they fail.</summary>
public sealed class TransportConnectorTests : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("oms-transport-tls-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ConnectAsync_TlsWithThePinnedCa_AcceptedAndCancelsAreAcked()
    {
        await using var venue = await VenueServer.StartAsync(new VenueOptions { UseTls = true });
        var requests = new VenueCancelRequests(venue);
        var cancel = requests.Create(venue.Book.SeedGenerated(1, VenueCancelRequests.Symbol)[0]);
        var handler = new RecordingResponseHandler(1);
        await using var client = await Http2Client.ConnectAsync(TlsOptions(venue.BaseUri, WriteCa(venue)), handler);

        Assert.Equal(Http2SendResult.Sent, requests.TrySend(client, cancel, 0));
        client.Flush();
        Assert.True(await handler.WaitForOutcomesAsync(1, s_wait));

        handler.AssertExactlyOneOutcomeEach(1);
        Assert.Equal(0, VenueCancelRequests.Code(handler.Body(0)));
        Assert.Equal("localhost", venue.BaseUri.Host);
    }

    [Fact]
    public async Task ConnectAsync_TlsWithoutAPin_RefusedAsATrustFailureThatSaysWhy()
    {
        await using var venue = await VenueServer.StartAsync(new VenueOptions { UseTls = true });

        var error = await Assert.ThrowsAsync<Http2ConnectException>(
            () => Http2Client.ConnectAsync(TlsOptions(venue.BaseUri, caPath: null), new RecordingResponseHandler(1)));

        Assert.True(error.IsTrustFailure);
        Assert.Contains("not trusted by the system store", error.Message, StringComparison.Ordinal);
        Assert.Contains("pin a CA file", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, venue.Stats.Streams);
    }

    [Fact]
    public async Task ConnectAsync_TlsPinnedToAnotherCa_RefusedBecauseTheChainDoesNotReachIt()
    {
        await using var venue = await VenueServer.StartAsync(new VenueOptions { UseTls = true });
        using var other = VenueCertificates.Generate();
        var otherCa = Path.Combine(_directory, "other-ca.pem");
        await File.WriteAllTextAsync(otherCa, other.CaCertificatePem);

        var error = await Assert.ThrowsAsync<Http2ConnectException>(
            () => Http2Client.ConnectAsync(TlsOptions(venue.BaseUri, otherCa), new RecordingResponseHandler(1)));

        Assert.True(error.IsTrustFailure);
        Assert.Contains("does not chain to the pinned CA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_HostTheCertificateDoesNotName_RefusedWithANameMismatchMessage()
    {
        // The generated certificate names localhost, 127.0.0.1 and ::1 only; 127.0.0.2 is loopback too on Linux.
        await using var venue = await VenueServer.StartAsync(new VenueOptions { UseTls = true, BindAddress = IPAddress.Parse("127.0.0.2") });

        var error = await Assert.ThrowsAsync<Http2ConnectException>(
            () => Http2Client.ConnectAsync(TlsOptions(venue.BaseUri, WriteCa(venue)), new RecordingResponseHandler(1)));

        Assert.Equal("127.0.0.2", venue.BaseUri.Host);
        Assert.True(error.IsTrustFailure);
        Assert.Contains("does not name host '127.0.0.2'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pinned CA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_CaFileMissing_FailsWithAClearMessage()
    {
        var missing = Path.Combine(_directory, "missing.pem");

        var error = await Assert.ThrowsAsync<Http2ConnectException>(
            () => Http2Client.ConnectAsync(TlsOptions(new Uri("https://localhost:1"), missing), new RecordingResponseHandler(1)));

        Assert.True(error.IsTrustFailure);
        Assert.Contains($"cannot read CA certificate file '{missing}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_CaFileWithoutACertificate_FailsWithAClearMessage()
    {
        var notPem = Path.Combine(_directory, "not.pem");
        await File.WriteAllTextAsync(notPem, "this is not a certificate\n");

        var error = await Assert.ThrowsAsync<Http2ConnectException>(
            () => Http2Client.ConnectAsync(TlsOptions(new Uri("https://localhost:1"), notPem), new RecordingResponseHandler(1)));

        Assert.True(error.IsTrustFailure);
        Assert.Contains("holds no PEM certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_TlsServerWithoutH2_FailsAndIsNotATrustFailure()
    {
        await using var server = await KestrelTestServer.StartAsync(new KestrelTestServerOptions { UseTls = true, Http1Only = true });
        var ca = Path.Combine(_directory, "kestrel-ca.pem");
        server.WriteCaCertificate(ca);

        var error = await Assert.ThrowsAsync<Http2ConnectException>(
            () => Http2Client.ConnectAsync(TlsOptions(server.BaseUri, ca), new RecordingResponseHandler(1)));

        Assert.False(error.IsTrustFailure);
        Assert.Contains("localhost", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/", "127.0.0.1:8080")]
    [InlineData("https://example.com/", "example.com")]
    [InlineData("https://example.com:443/x", "example.com")]
    [InlineData("http://example.com:80/", "example.com")]
    [InlineData("https://example.com:8443/", "example.com:8443")]
    public void Authority_BaseUri_OmitsOnlyTheSchemesDefaultPort(string baseUri, string expected)
    {
        var connector = new TransportConnector(new Http2ClientOptions { BaseUri = new Uri(baseUri) });

        Assert.Equal(expected, connector.Authority);
        Assert.Equal(baseUri.StartsWith("https", StringComparison.Ordinal), connector.UsesTls);
    }

    private static Http2ClientOptions TlsOptions(Uri baseUri, string? caPath) => new()
    {
        BaseUri = baseUri,
        ConnectionCount = 1,
        CaCertificatePath = caPath,
        PingInterval = TimeSpan.Zero,
    };

    private string WriteCa(VenueServer venue)
    {
        var path = Path.Combine(_directory, "ca.pem");
        venue.WriteCaCertificate(path);
        return path;
    }
}
