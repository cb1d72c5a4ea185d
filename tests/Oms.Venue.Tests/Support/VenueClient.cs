using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Oms.Venue.Tests.Support;

/// <summary>An independent client for the venue: HttpClient over HTTP/2, signing as the facts sheet says.</summary>
internal sealed class VenueClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly VenueServer _venue;
    private long _requestCounter;

    public VenueClient(VenueServer venue, string? pinnedCaPem = null, bool trustNothing = false, TimeSpan? timeout = null)
    {
        _venue = venue;
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            EnableMultipleHttp2Connections = false,
        };
        var pem = pinnedCaPem ?? venue.CaCertificatePem;
        if (venue.UsesTls && !trustNothing && pem is not null)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.Add(X509Certificate2.CreateFromPem(pem));
            handler.SslOptions.CertificateChainPolicy = policy;
        }

        _http = new HttpClient(handler)
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = timeout ?? TimeSpan.FromSeconds(20),
        };
    }

    public static string Sign(string secret, string timestamp, string prehash) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "+" + prehash)));

    public static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>A fresh request id: 32 letters and digits, unique within this client.</summary>
    public string NextRequestId() =>
        "T" + Interlocked.Increment(ref _requestCounter).ToString("D31", CultureInfo.InvariantCulture);

    public static string CancelBody(string id, string orderId, string symbol, long time) =>
        JsonSerializer.Serialize(new { id, orderId, symbol, time });

    /// <summary>Sends a cancel; every part can be overridden to break one rule at a time.</summary>
    public async Task<VenueAnswer> CancelAsync(
        string orderId,
        string symbol = "BTC-PERP",
        bool v2 = false,
        string? body = null,
        HttpMethod? method = null,
        string? accountGroup = null,
        string? apiKey = null,
        string? timestamp = null,
        string? signature = null,
        bool omitKey = false,
        bool omitTimestamp = false,
        bool omitSignature = false,
        long? clockMs = null,
        CancellationToken cancellationToken = default)
    {
        var now = clockMs ?? NowMs();
        var ts = timestamp ?? now.ToString(CultureInfo.InvariantCulture);
        var requestId = body is null ? NextRequestId() : IdInBody(body);
        body ??= CancelBody(requestId, orderId, symbol, now);
        var group = accountGroup ?? _venue.Credentials.AccountGroup;
        var uri = new Uri(_venue.BaseUri, "/" + group + (v2 ? "/api/pro/v2/futures/order" : "/api/pro/v1/futures/order"));

        using var request = new HttpRequestMessage(method ?? HttpMethod.Delete, uri)
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (!omitKey)
        {
            request.Headers.TryAddWithoutValidation("x-auth-key", apiKey ?? _venue.Credentials.ApiKey);
        }

        if (!omitTimestamp)
        {
            request.Headers.TryAddWithoutValidation("x-auth-timestamp", ts);
        }

        if (!omitSignature)
        {
            request.Headers.TryAddWithoutValidation("x-auth-signature", signature ?? Sign(_venue.Credentials.ApiSecret, ts, v2 ? "v2/futures/order" : "order"));
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new VenueAnswer(response.StatusCode, text, requestId, response.Version, response.Headers.RetryAfter?.Delta, response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A batch body naming <paramref name="orderIds"/> under one symbol, each with a fresh request id (v2: and a <c>respInst</c>).</summary>
    public string BatchBody(IEnumerable<string> orderIds, string symbol = "BTC-PERP", string? respInst = null)
    {
        var now = NowMs();
        var orders = orderIds.Select(orderId => respInst is null
            ? (object)new { id = NextRequestId(), orderId, symbol, time = now }
            : new { id = NextRequestId(), orderId, symbol, time = now, respInst });
        return JsonSerializer.Serialize(new { orders });
    }

    /// <summary><c>DELETE /{group}/api/pro/v1/futures/order/batch</c> (or v2), signed over <c>order/batch</c> (or <c>v2/futures/order/batch</c>) unless told otherwise.</summary>
    public Task<VenueAnswer> BatchCancelAsync(string body, bool v2 = false, string? prehash = null) =>
        DeleteAsync(
            v2 ? "/api/pro/v2/futures/order/batch" : "/api/pro/v1/futures/order/batch",
            prehash ?? (v2 ? "v2/futures/order/batch" : "order/batch"),
            body);

    /// <summary><c>DELETE /{group}/api/pro/v1/futures/order/all</c> (or v2), signed over <c>order/all</c> (or <c>v2/futures/order/all</c>) unless told otherwise.</summary>
    public Task<VenueAnswer> CancelAllAsync(string body = "", bool v2 = false, string? prehash = null) =>
        DeleteAsync(
            v2 ? "/api/pro/v2/futures/order/all" : "/api/pro/v1/futures/order/all",
            prehash ?? (v2 ? "v2/futures/order/all" : "order/all"),
            body);

    /// <summary>A signed DELETE of <c>/{group}{pathSuffix}</c> with a JSON body (none when empty).</summary>
    public async Task<VenueAnswer> DeleteAsync(string pathSuffix, string prehash, string body)
    {
        var ts = NowMs().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(_venue.BaseUri, "/" + _venue.Credentials.AccountGroup + pathSuffix))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (body.Length > 0)
        {
            request.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        request.Headers.TryAddWithoutValidation("x-auth-key", _venue.Credentials.ApiKey);
        request.Headers.TryAddWithoutValidation("x-auth-timestamp", ts);
        request.Headers.TryAddWithoutValidation("x-auth-signature", Sign(_venue.Credentials.ApiSecret, ts, prehash));
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new VenueAnswer(response.StatusCode, text, "", response.Version, response.Headers.RetryAfter?.Delta, response.Content.Headers.ContentType?.MediaType);
    }

    private static string IdInBody(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("id", out var id) ? id.ToString() : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    /// <summary>GET of an order query endpoint, signed over its prehash only (never the query string).</summary>
    public async Task<VenueAnswer> QueryAsync(string pathAndQuery, string prehash, string? signature = null, CancellationToken cancellationToken = default)
    {
        var ts = NowMs().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_venue.BaseUri, "/" + _venue.Credentials.AccountGroup + pathAndQuery))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TryAddWithoutValidation("x-auth-key", _venue.Credentials.ApiKey);
        request.Headers.TryAddWithoutValidation("x-auth-timestamp", ts);
        request.Headers.TryAddWithoutValidation("x-auth-signature", signature ?? Sign(_venue.Credentials.ApiSecret, ts, prehash));
        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new VenueAnswer(response.StatusCode, text, "", response.Version, null, response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary><c>GET /{group}/api/pro/v1/futures/order/status?orderId=...</c> (or v2), the parameter sent as given.</summary>
    public Task<VenueAnswer> StatusAsync(string orderIdParameter, bool v2 = false, string? signature = null) =>
        QueryAsync(
            (v2 ? "/api/pro/v2/futures/order/status" : "/api/pro/v1/futures/order/status") + "?orderId=" + orderIdParameter,
            v2 ? "v2/futures/order/status" : "order/status",
            signature);

    /// <summary><c>GET /{group}/api/pro/v1/futures/order/open</c>.</summary>
    public Task<VenueAnswer> OpenOrdersAsync() => QueryAsync("/api/pro/v1/futures/order/open", "order/open");

    public async Task<JsonDocument> StatsAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_venue.BaseUri, "/stats"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>What the venue answered.</summary>
internal sealed record VenueAnswer(HttpStatusCode Status, string Body, string SentRequestId, Version Version, TimeSpan? RetryAfter, string? ContentType = null)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public long Code => Json.GetProperty("code").GetInt64();

    public string Reason => Json.GetProperty("reason").GetString()!;
}
