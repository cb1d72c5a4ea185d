namespace Oms.Transport.Tests.Support;

/// <summary>The request the raw-peer tests send: a small POST with one constant and one variable header.</summary>
internal static class PeerRequests
{
    public static readonly Http2RequestTemplate Template = new(
        "POST", "/orders", [new("content-type", "application/json")], [new("x-request", false)]);

    public static Http2SendResult TrySend(IHttp2RequestSender sender, long token) =>
        sender.TrySend(Template, "r1"u8, [], "{}"u8, token);

    public static Http2SendResult TrySend(IHttp2RequestSender sender, long token, ReadOnlySpan<byte> body) =>
        sender.TrySend(Template, "r1"u8, [], body, token);

    /// <summary>
    /// Options for one connection to a test server; by default reconnects are slow enough not to muddle what a
    /// test observes, and there are no keep-alive PINGs.
    /// </summary>
    public static Http2ClientOptions Options(
        Uri baseUri, TimeSpan? requestTimeout = null, TimeSpan? pingInterval = null, TimeSpan? reconnectMinDelay = null, int firstStreamId = 1) => new()
    {
        BaseUri = baseUri,
        ConnectionCount = 1,
        RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30),
        PingInterval = pingInterval ?? TimeSpan.Zero,
        ReconnectMinDelay = reconnectMinDelay ?? TimeSpan.FromSeconds(30),
        ReconnectMaxDelay = TimeSpan.FromSeconds(30),
        FirstStreamId = firstStreamId,
    };
}
