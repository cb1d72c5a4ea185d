namespace Oms.Transport.Tests.Connections;

/// <summary>
/// A request with a path query of its own (the engine's order-status query) goes out whole, keeps its path out of the
/// dynamic table, and leaves the constant headers that the frequent requests replay intact.
/// </summary>
public sealed class RequestPathQueryTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private static readonly Http2RequestTemplate s_status = new(
        "GET", "/g/status", [new("content-type", "application/json")], [new("x-request", false)]);

    [Fact]
    public async Task TrySend_QueryBetweenTemplatedRequests_EveryRequestDecodesWithItsOwnPath()
    {
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { DecodeRequests = true });
        var handler = new RecordingResponseHandler(5);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri), handler);
        var connection = await peer.ConnectionAsync(0);

        await SendAsync(client, handler, 0, c => PeerRequests.TrySend(c, 0));
        await SendAsync(client, handler, 1, c => c.TrySend(s_status, "?orderId=a,b,"u8, "r2"u8, [], [], 1));
        await SendAsync(client, handler, 2, c => PeerRequests.TrySend(c, 2));
        await SendAsync(client, handler, 3, c => c.TrySend(s_status, "?orderId=c,"u8, "r4"u8, [], [], 3));
        await SendAsync(client, handler, 4, c => PeerRequests.TrySend(c, 4));

        Assert.Null(connection.Error);
        var requests = connection.Requests;
        Assert.Equal(["/orders", "/g/status?orderId=a,b,", "/orders", "/g/status?orderId=c,", "/orders"], requests.Select(r => r.Header(":path")));
        Assert.Equal(["POST", "GET", "POST", "GET", "POST"], requests.Select(r => r.Header(":method")));
        Assert.Equal(["r1", "r2", "r1", "r4", "r1"], requests.Select(r => r.Header("x-request")));
        Assert.All(requests, r => Assert.Equal("application/json", r.Header("content-type")));

        // A GET without a body ends its stream on HEADERS: no DATA frame for it.
        Assert.DoesNotContain(connection.Frames, f => f.Type == Http2FrameType.Data && f.StreamId == requests[1].StreamId);

        // The queried paths never entered the dynamic table: once the constants are back in the cache, the
        // templated requests read exactly as before the queries.
        Assert.Equal(requests[2].HeaderBlock, requests[4].HeaderBlock);
    }

    [Fact]
    public async Task TrySend_QueryLongerThanTheScratch_ThrowsAndTheConnectionServesOn()
    {
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { DecodeRequests = true });
        var handler = new RecordingResponseHandler(2);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri), handler);
        var connection = await peer.ConnectionAsync(0);
        var query = new byte[8 * 1024];
        query.AsSpan().Fill((byte)'a');

        Assert.Throws<InvalidOperationException>(() => client.TrySend(s_status, query, "r"u8, [], [], 1));
        await SendAsync(client, handler, 0, c => PeerRequests.TrySend(c, 0));

        Assert.Null(connection.Error);
        Assert.Equal("/orders", Assert.Single(connection.Requests).Header(":path"));
    }

    private static async Task SendAsync(Http2Client client, RecordingResponseHandler handler, int token, Func<Http2Client, Http2SendResult> send)
    {
        Assert.Equal(Http2SendResult.Sent, send(client));
        client.Flush();
        Assert.True(await handler.WaitForOutcomesAsync(token + 1, s_wait));
    }
}
