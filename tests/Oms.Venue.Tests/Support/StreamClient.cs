using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Oms.Venue.Tests.Support;

/// <summary>
/// A client of the venue's private order stream as the engine will be one: <see cref="ClientWebSocket"/> over HTTP/2
/// (RFC 8441 extended CONNECT), exact version for h2c, version-or-lower for TLS, authenticated in the upgrade headers.
/// </summary>
internal sealed class StreamClient : IDisposable
{
    private static readonly TimeSpan s_receiveTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpMessageInvoker _invoker;

    private StreamClient(ClientWebSocket socket, HttpMessageInvoker invoker)
    {
        Socket = socket;
        _invoker = invoker;
    }

    public ClientWebSocket Socket { get; }

    /// <summary>Connects and returns the client; a refused upgrade throws <see cref="WebSocketException"/> with the status in <see cref="RefusedException.Status"/>.</summary>
    public static async Task<StreamClient> ConnectAsync(
        VenueServer venue, bool v2 = false, string? accountGroup = null, string? signature = null, long? timestampMs = null, string? prehash = null)
    {
        var timestamp = (timestampMs ?? VenueClient.NowMs()).ToString(CultureInfo.InvariantCulture);
        var socket = new ClientWebSocket();
        socket.Options.HttpVersion = HttpVersion.Version20;
        socket.Options.HttpVersionPolicy = venue.UsesTls ? HttpVersionPolicy.RequestVersionOrLower : HttpVersionPolicy.RequestVersionExact;
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("x-auth-key", venue.Credentials.ApiKey);
        socket.Options.SetRequestHeader("x-auth-timestamp", timestamp);
        socket.Options.SetRequestHeader("x-auth-signature", signature ?? VenueClient.Sign(venue.Credentials.ApiSecret, timestamp, prehash ?? (v2 ? "v2/stream" : "stream")));
        var invoker = new HttpMessageInvoker(Handler(venue));
        var uri = venue.StreamUri(v2);
        if (accountGroup is not null)
        {
            uri = new UriBuilder(uri) { Path = "/" + accountGroup + (v2 ? "/api/pro/v2/stream" : "/api/pro/v1/stream") }.Uri;
        }

        try
        {
            using var timeout = new CancellationTokenSource(s_receiveTimeout);
            await socket.ConnectAsync(uri, invoker, timeout.Token);
            return new StreamClient(socket, invoker);
        }
        catch (WebSocketException e)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            invoker.Dispose();
            throw new RefusedException(status, e);
        }
    }

    /// <summary>The upgrade as raw HTTP/2 extended CONNECT through HttpClient, to read a refusal's body.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> RawUpgradeAsync(VenueServer venue, string signature, bool websocket = true)
    {
        using var client = new HttpClient(Handler(venue));
        var timestamp = VenueClient.NowMs().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(websocket ? HttpMethod.Connect : HttpMethod.Get, new UriBuilder(venue.StreamUri()) { Scheme = "http" }.Uri)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (websocket)
        {
            request.Headers.Protocol = "websocket";
            request.Headers.TryAddWithoutValidation("sec-websocket-version", "13");
        }

        request.Headers.TryAddWithoutValidation("x-auth-key", venue.Credentials.ApiKey);
        request.Headers.TryAddWithoutValidation("x-auth-timestamp", timestamp);
        request.Headers.TryAddWithoutValidation("x-auth-signature", signature);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public Task SendAsync(string text) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>The next message, parsed; null when the venue closed the session.</summary>
    public async Task<JsonElement?> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(s_receiveTimeout);
        var buffer = new byte[4096];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
            }
        }
    }

    /// <summary>The next message whose <c>m</c> is <paramref name="m"/>, skipping the venue's pings.</summary>
    public async Task<JsonElement> ReceiveAsync(string m)
    {
        while (true)
        {
            var message = await ReceiveAsync() ?? throw new InvalidOperationException($"The venue closed the session while '{m}' was awaited.");
            var kind = message.GetProperty("m").GetString();
            if (kind == m)
            {
                return message;
            }

            if (kind != "ping")
            {
                throw new InvalidOperationException($"Expected '{m}', received {message}.");
            }
        }
    }

    /// <summary>Subscribes to the profile's order channel and waits for the answer.</summary>
    public async Task<JsonElement> SubscribeAsync(bool v2 = false, string id = "sub1")
    {
        await ReceiveAsync("connected");
        await SendAsync($"{{\"op\":\"sub\",\"id\":\"{id}\",\"ch\":\"{(v2 ? "futures-order" : "order:futures")}\"}}");
        return await ReceiveAsync("sub");
    }

    private static SocketsHttpHandler Handler(VenueServer venue)
    {
        var handler = new SocketsHttpHandler();
        if (venue.CaCertificatePem is { } pem)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.Add(X509Certificate2.CreateFromPem(pem));
            handler.SslOptions.CertificateChainPolicy = policy;
        }

        return handler;
    }

    public void Dispose()
    {
        Socket.Dispose();
        _invoker.Dispose();
    }
}

/// <summary>A refused stream upgrade and the HTTP status the venue gave.</summary>
internal sealed class RefusedException(HttpStatusCode status, Exception inner) : Exception($"Upgrade refused with HTTP {(int)status}.", inner)
{
    public HttpStatusCode Status { get; } = status;
}
