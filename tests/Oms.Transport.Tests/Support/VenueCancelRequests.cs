namespace Oms.Transport.Tests.Support;

/// <summary>
/// The one place that knows how a cancel for the venue simulator looks on the wire: the request template and the
/// per-request timestamp, signature and body of the AscendEX v1 cancel contract.
/// </summary>
/// <remarks>Thread-safe: the request id counter is interlocked, everything else is computed per call.</remarks>
internal sealed class VenueCancelRequests
{
    public const string Symbol = "BTC-PERP";

    private readonly byte[] _secret;
    private readonly string _idPrefix = RandomLetters(8);
    private long _counter;

    public VenueCancelRequests(VenueServer venue)
    {
        ArgumentNullException.ThrowIfNull(venue);
        _secret = Encoding.UTF8.GetBytes(venue.Credentials.ApiSecret);
        Template = new Http2RequestTemplate(
            "DELETE",
            venue.CancelUri().AbsolutePath,
            [new("content-type", "application/json"), new("x-auth-key", venue.Credentials.ApiKey)],
            [new("x-auth-timestamp", false), new("x-auth-signature", true)]);
    }

    public Http2RequestTemplate Template { get; }

    /// <summary>The signature of the v1 contract: Base64(HMAC-SHA256(secret, "&lt;ts&gt;+order")).</summary>
    public static string Sign(byte[] secret, string timestamp) =>
        Convert.ToBase64String(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(timestamp + "+order")));

    /// <summary>The request id the venue echoed (<c>data.info.id</c> of an Ack, <c>info.id</c> of an Err); null when absent.</summary>
    public static string? EchoedId(ReadOnlySpan<byte> body)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var root = document.RootElement;
        if (root.TryGetProperty("data", out var data) && data.TryGetProperty("info", out var ackInfo))
        {
            return ackInfo.GetProperty("id").GetString();
        }

        return root.TryGetProperty("info", out var errInfo) ? errInfo.GetProperty("id").GetString() : null;
    }

    /// <summary>The venue's <c>code</c>: 0 for an Ack.</summary>
    public static long Code(ReadOnlySpan<byte> body)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        return document.RootElement.GetProperty("code").GetInt64();
    }

    /// <summary>A signed cancel of <paramref name="orderId"/> with a fresh, unique request id.</summary>
    public VenueCancel Create(string orderId, long? nowMs = null)
    {
        var now = nowMs ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var timestamp = now.ToString(CultureInfo.InvariantCulture);
        var requestId = _idPrefix + Interlocked.Increment(ref _counter).ToString("D24", CultureInfo.InvariantCulture);
        var body = $"{{\"id\":\"{requestId}\",\"orderId\":\"{orderId}\",\"symbol\":\"{Symbol}\",\"time\":{timestamp}}}";
        return new VenueCancel(
            requestId,
            orderId,
            Encoding.ASCII.GetBytes(timestamp),
            Encoding.ASCII.GetBytes(Sign(_secret, timestamp)),
            Encoding.UTF8.GetBytes(body));
    }

    /// <summary>Hands one cancel to a sender.</summary>
    public Http2SendResult TrySend(IHttp2RequestSender sender, VenueCancel cancel, long token) =>
        sender.TrySend(Template, cancel.Timestamp, cancel.Signature, cancel.Body, token);

    private static string RandomLetters(int length) =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", length);
}
