using System.Text;
using Oms.Engine.Venues;
using Oms.Engine.Venues.AscendEx;
using Oms.Engine.Signing;
using Oms.Transport.Client;

namespace Oms.Benchmarks;

/// <summary>
/// The canonical inputs every benchmark measures, with the literal values the tests verify (the contract's Ack
/// and Err examples, the published signing vector), so that what is timed is what is tested.
/// </summary>
internal static class Fixtures
{
    /// <summary>The API key of the signer tests.</summary>
    public const string ApiKey = "test-key";

    /// <summary>The API secret of the signer tests (tests/Oms.Engine.Tests/Signing/CancelSignerTests.cs).</summary>
    public const string ApiSecret = "hV8FgjyJtpvVeAcMAgzgAFQCN36wmbWuN7o3WPcYcYhFd8qvE43gzFGVsFcCqMNk";

    /// <summary>An account group of the venue's usual shape (a small number).</summary>
    public const string AccountGroup = "6";

    /// <summary>The host and port the connection announces as <c>:authority</c>.</summary>
    public const string Authority = "127.0.0.1:8800";

    /// <summary>The contract example's timestamp, milliseconds since the epoch.</summary>
    public const long TimestampMs = 1573596082932;

    /// <summary>The known-answer signature of <c>1573596082932+order</c> (docs/venue-ascendex.md).</summary>
    public const string Signature = "8Rgt7WipYL7Jaf6wnzp0gmwJhxQsiBA/8mi1XI7jjX4=";

    /// <summary>The contract example's request id (the Ack echoes it).</summary>
    public const string RequestId = "sPWweX8baCYeFsKdmqZEmHdpliWaJuGm";

    /// <summary>The request id the contract's Err example echoes.</summary>
    public const string ErrRequestId = "ku30AehuWoHzMeyGEAS8heeDXpb1heOS";

    /// <summary>The contract example's order id.</summary>
    public const string OrderId = "kIXfMP72VfFDp653WoNqNGcpZCK9W7ts";

    /// <summary>The contract example's symbol.</summary>
    public const string Symbol = "BTC-PERP";

    /// <summary>The v1 request body for the values above, as the writer tests expect it.</summary>
    public const string RequestBody =
        """{"id":"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm","orderId":"kIXfMP72VfFDp653WoNqNGcpZCK9W7ts","symbol":"BTC-PERP","time":1573596082932}""";

    /// <summary>The contract's Ack example, compact, as the parser tests hold it.</summary>
    public const string AckBody =
        """{"code":0,"data":{"accountId":"fut1FfjKA3W1L7XZOipGKZNFBb34GRQ3","ac":"FUTURES","action":"cancel-order","status":"Ack","info":{"id":"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm","orderId":"kIXfMP72VfFDp653WoNqNGcpZCK9W7ts","orderType":"","symbol":"BTC-PERP","timestamp":1573596082932}}}""";

    /// <summary>The contract's Err example, compact, as the parser tests hold it.</summary>
    public const string ErrBody =
        """{"code":300006,"accountId":"fut1FfjKA3W1L7XZOipGKZNFBb34GRQ3","ac":"CASH","action":"cancel-order","status":"Err","message":"Invalid Client Order Id: ku30AehuWoHzMeyGEAS8heeDXpb1heOS","reason":"INVALID_ORDER_ID","info":{"id":"ku30AehuWoHzMeyGEAS8heeDXpb1heOS","symbol":"BTC-PERP"}}""";

    /// <summary>The Err example's code.</summary>
    public const long ErrCode = 300006;

    /// <summary>The response header fields the venue simulator (Kestrel) sends with a cancel's answer.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders { get; } =
    [
        new(":status", "200"),
        new("content-type", "application/json"),
        new("date", "Tue, 25 Nov 2025 00:00:00 GMT"),
        new("server", "Kestrel"),
        new("content-length", "275"),
    ];

    /// <summary>The peer's SETTINGS_MAX_FRAME_SIZE when it says nothing: 16,384 (RFC 9113 section 6.5.2).</summary>
    public const int MaxFrameSize = 16_384;

    /// <summary><see cref="RequestId"/> as ASCII bytes.</summary>
    public static ReadOnlySpan<byte> RequestIdUtf8 => "sPWweX8baCYeFsKdmqZEmHdpliWaJuGm"u8;

    /// <summary><see cref="OrderId"/> as ASCII bytes.</summary>
    public static ReadOnlySpan<byte> OrderIdUtf8 => "kIXfMP72VfFDp653WoNqNGcpZCK9W7ts"u8;

    /// <summary><see cref="Symbol"/> as ASCII bytes.</summary>
    public static ReadOnlySpan<byte> SymbolUtf8 => "BTC-PERP"u8;

    /// <summary>The credentials the signer tests use.</summary>
    public static ApiCredentials CreateCredentials() => new(ApiKey, ApiSecret);

    /// <summary>The prehash message of the known-answer vector, <c>1573596082932+order</c>, as bytes.</summary>
    public static byte[] PrehashMessage() => Encoding.ASCII.GetBytes(TimestampMs.ToString(System.Globalization.CultureInfo.InvariantCulture) + "+" + CancelProfile.V1.PrehashPath);

    /// <summary>
    /// The request template the engine's consumer builds for the v1 cancel: the same method, path, constant
    /// headers and variable headers (timestamp plain, signature never indexed).
    /// </summary>
    public static Http2RequestTemplate CreateCancelTemplate() => new(
        CancelProfile.Method,
        CancelProfile.V1.BuildPath(AccountGroup),
        [new("content-type", "application/json"), new("x-auth-key", ApiKey)],
        [new("x-auth-timestamp", false), new("x-auth-signature", true)]);
}
