using System.Security.Cryptography.X509Certificates;

namespace Oms.Transport.Tests.Support;

public sealed class KestrelTestServerTests
{
    [Fact]
    public async Task Ok_OverH2c_Answers200OverHttp2()
    {
        await using var server = await KestrelTestServer.StartAsync();
        using var http = new HttpClient();

        using var response = await SendAsync(http, server, HttpMethod.Get, "/ok");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Large_Get_Answers1MiBOfThePattern()
    {
        await using var server = await KestrelTestServer.StartAsync();
        using var http = new HttpClient();

        using var response = await SendAsync(http, server, HttpMethod.Get, "/large");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(KestrelTestServer.LargeBodyLength, body.Length);
        Assert.Equal(KestrelTestServer.LargeBody(), body);
        Assert.NotEqual(body[0], body[251]);
    }

    [Fact]
    public async Task Status_GivenCode_AnswersThatCode()
    {
        await using var server = await KestrelTestServer.StartAsync();
        using var http = new HttpClient();

        using var response = await SendAsync(http, server, HttpMethod.Get, "/status/418");

        Assert.Equal(418, (int)response.StatusCode);
        Assert.Equal("status 418", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Echo_Body_AnswersTheSameBytes()
    {
        await using var server = await KestrelTestServer.StartAsync();
        using var http = new HttpClient();
        var payload = Enumerable.Range(0, 40_000).Select(i => (byte)i).ToArray();

        using var response = await SendAsync(http, server, HttpMethod.Post, "/echo", payload);

        Assert.Equal(payload, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Reset_Get_ClientSeesAStreamReset()
    {
        await using var server = await KestrelTestServer.StartAsync();
        using var http = new HttpClient();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => SendAsync(http, server, HttpMethod.Get, "/reset"));

        var reset = Assert.IsType<HttpProtocolException>(error.InnerException);
        Assert.Equal(0x2, reset.ErrorCode);
    }

    [Fact]
    public async Task Never_Get_HoldsUntilTheClientGivesUp()
    {
        await using var server = await KestrelTestServer.StartAsync();
        using var http = new HttpClient();
        using var cancel = new CancellationTokenSource();

        var pending = SendAsync(http, server, HttpMethod.Get, "/never", cancellationToken: cancel.Token);
        var held = await WaitUntilAsync(() => server.Held == 1);
        await cancel.CancelAsync();

        Assert.True(held);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.True(await WaitUntilAsync(() => server.Held == 0));
    }

    [Fact]
    public async Task Headers_Request_ListsMethodPathAndCustomHeaders()
    {
        await using var server = await KestrelTestServer.StartAsync();
        using var http = new HttpClient();

        using var response = await SendAsync(http, server, HttpMethod.Delete, "/headers", headers: [("x-one", "1")]);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Contains("method=DELETE\n", text, StringComparison.Ordinal);
        Assert.Contains("path=/headers\n", text, StringComparison.Ordinal);
        Assert.Contains("scheme=http\n", text, StringComparison.Ordinal);
        Assert.Contains("x-one=1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ok_OverTlsWithPinnedCa_Answers200()
    {
        await using var server = await KestrelTestServer.StartAsync(new KestrelTestServerOptions { UseTls = true });
        using var handler = new SocketsHttpHandler();
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(X509Certificate2.CreateFromPem(server.CaCertificatePem));
        handler.SslOptions.CertificateChainPolicy = policy;
        using var http = new HttpClient(handler);

        using var response = await SendAsync(http, server, HttpMethod.Get, "/ok");

        Assert.Equal("https", server.BaseUri.Scheme);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    private static async Task<HttpResponseMessage> SendAsync(
        HttpClient http, KestrelTestServer server, HttpMethod method, string path, byte[]? body = null,
        (string Name, string Value)[]? headers = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, new Uri(server.BaseUri, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = body is null ? null : new ByteArrayContent(body),
        };
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await http.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        return response;
    }
}
