using System.Net;
using System.Text;
using Oms.Engine.Signing;
using Oms.Transport.Connections;

namespace Oms.Engine.Confirmation;

/// <summary>
/// One-off signed queries off the engine's path (reconciling at start, <c>oms status</c>, <c>oms load --open-orders</c>,
/// cancel-all): one HTTP/2 request each with <see cref="HttpClient"/>, verified like the transport (the pinned CA, or
/// the system store).
/// </summary>
/// <remarks>Allocates freely: these run once, not per cancel. The paths, prehashes and answer shapes are the venue's (Venues/AscendEx).</remarks>
internal static class VenueQueries
{
    /// <summary>The open orders of the account, as the venue lists them.</summary>
    /// <exception cref="VenueQueryException">The venue refused the query or answered something else than the documented shape.</exception>
    /// <exception cref="HttpRequestException">The venue could not be reached.</exception>
    public static async Task<IReadOnlyList<VenueOrder>> OpenOrdersAsync(CancelEngineSettings settings, ApiCredentials credentials, CancellationToken cancellationToken)
    {
        var body = await GetAsync(settings, OpenOrdersQuery.Path(settings.AccountGroup), OpenOrdersQuery.Headers(credentials, Now()), cancellationToken).ConfigureAwait(false);
        return OpenOrdersQuery.ParseOrders(body);
    }

    /// <summary>Each order's status as the venue reports it; ids the venue leaves out are not in the list.</summary>
    /// <exception cref="VenueQueryException">The venue refused the query or answered something else than the documented shape.</exception>
    /// <exception cref="HttpRequestException">The venue could not be reached.</exception>
    public static async Task<IReadOnlyList<VenueOrder>> StatusAsync(
        CancelEngineSettings settings, ApiCredentials credentials, IReadOnlyList<string> orderIds, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(orderIds.Count, nameof(orderIds));
        var template = OrderStatusQuery.CreateTemplate(settings.Profile, settings.AccountGroup, credentials.ApiKey);
        var query = "?orderId=" + string.Concat(orderIds.Select(id => id + ","));
        var prehash = OrderStatusQuery.Prehash(settings.Profile);
        var body = await GetAsync(settings, template.Path + query, SignedHeaders(credentials, prehash, Now()), cancellationToken).ConfigureAwait(false);
        return OpenOrdersQuery.ParseOrders(body);
    }

    /// <summary>Sends the venue's cancel-all, for one symbol or (null) the whole account.</summary>
    /// <exception cref="VenueQueryException">The venue refused it or answered something else than the documented shape.</exception>
    /// <exception cref="HttpRequestException">The venue could not be reached.</exception>
    public static async Task CancelAllAsync(CancelEngineSettings settings, ApiCredentials credentials, string? symbol, CancellationToken cancellationToken)
    {
        var body = await SendAsync(
            settings, HttpMethod.Delete, CancelAllQuery.Path(settings.Profile, settings.AccountGroup), CancelAllQuery.Headers(settings.Profile, credentials, Now()), CancelAllQuery.Body(symbol), cancellationToken).ConfigureAwait(false);
        CancelAllQuery.ParseAnswer(body);
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>The three authentication headers for a query over <paramref name="prehash"/> signed at <paramref name="timestampMs"/>.</summary>
    internal static (string Name, string Value)[] SignedHeaders(ApiCredentials credentials, string prehash, long timestampMs)
    {
        using var signer = new CancelSigner(credentials, prehash);
        Span<byte> timestamp = stackalloc byte[CancelSigner.TimestampLength];
        CancelSigner.TryWriteTimestamp(timestampMs, timestamp, out _);
        return
        [
            ("x-auth-key", credentials.ApiKey),
            ("x-auth-timestamp", Encoding.ASCII.GetString(timestamp)),
            ("x-auth-signature", Encoding.ASCII.GetString(signer.GetSignature(timestampMs))),
        ];
    }

    private static Task<byte[]> GetAsync(
        CancelEngineSettings settings, string pathAndQuery, (string Name, string Value)[] headers, CancellationToken cancellationToken) =>
        SendAsync(settings, HttpMethod.Get, pathAndQuery, headers, body: null, cancellationToken);

    /// <summary>How often a query the venue throttles (HTTP 429) is asked again before its answer is given up.</summary>
    internal const int ThrottledAttempts = 6;

    /// <summary>
    /// One query, asked again while the venue throttles it (HTTP 429, its HTML page): after its <c>retry-after</c>, or
    /// a doubling wait from 250 ms. The signed timestamp stays well inside the venue's 30 s window meanwhile.
    /// </summary>
    private static async Task<byte[]> SendAsync(
        CancelEngineSettings settings, HttpMethod method, string pathAndQuery, (string Name, string Value)[] headers, byte[]? body, CancellationToken cancellationToken)
    {
        var pinned = settings.CaCertificatePath is { } caFile ? PinnedCertificateAuthority.Load(caFile) : null;
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            SslOptions = PinnedCertificateAuthority.CreateClientOptions(settings.BaseUrl.IdnHost, pinned, onPolicyErrors: null),
        };
        using var client = new HttpClient(handler) { Timeout = settings.RequestTimeout + TimeSpan.FromSeconds(5) };
        var wait = TimeSpan.FromMilliseconds(250);
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, new Uri(settings.BaseUrl, pathAndQuery))
            {
                Version = HttpVersion.Version20,

                // Cleartext HTTP/2 needs prior knowledge; over TLS, ALPN settles it.
                VersionPolicy = settings.BaseUrl.Scheme == Uri.UriSchemeHttps ? HttpVersionPolicy.RequestVersionOrLower : HttpVersionPolicy.RequestVersionExact,
            };
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            }

            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < ThrottledAttempts)
            {
                var retryAfter = response.Headers.RetryAfter?.Delta;
                await Task.Delay(retryAfter is { } delta && delta > TimeSpan.Zero ? delta : wait, cancellationToken).ConfigureAwait(false);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(4).Ticks));
                continue;
            }

            return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
