using System.Diagnostics;
using System.Net.WebSockets;
using static Oms.Testing.Waiting.Waiting;

namespace Oms.Venue.Tests.Streaming;

/// <summary>The private order stream, probed with <see cref="ClientWebSocket"/> over HTTP/2 as the engine will connect.</summary>
public sealed class OrderStreamTests
{
    private const string Symbol = "BTC-PERP";

    [Fact]
    public async Task Connect_GoodAuthOverH2cExact_AcceptedAndSaysConnected()
    {
        await using var venue = await TestVenues.StartAsync();

        using var client = await StreamClient.ConnectAsync(venue);
        var first = await client.ReceiveAsync();

        Assert.Equal(WebSocketState.Open, client.Socket.State);
        Assert.Equal(HttpStatusCode.OK, client.Socket.HttpStatusCode);
        Assert.Equal("connected", first!.Value.GetProperty("m").GetString());
        Assert.Equal("auth", first.Value.GetProperty("type").GetString());
        Assert.Equal(1, venue.Stats.StreamSessions);
    }

    [Fact]
    public async Task Connect_GoodAuthOverTlsVersionOrLower_AcceptedOverHttp2()
    {
        await using var venue = await TestVenues.StartAsync(new VenueOptions { UseTls = true });

        using var client = await StreamClient.ConnectAsync(venue);
        var first = await client.ReceiveAsync();

        // The venue speaks HTTP/2 only, so an accepted upgrade is an RFC 8441 one: 200 to the extended CONNECT, not 101.
        Assert.Equal(HttpStatusCode.OK, client.Socket.HttpStatusCode);
        Assert.Equal("connected", first!.Value.GetProperty("m").GetString());
    }

    [Fact]
    public async Task Connect_V2StreamWithV2Prehash_Accepted()
    {
        await using var venue = await TestVenues.StartAsync();

        using var client = await StreamClient.ConnectAsync(venue, v2: true);

        Assert.Equal("connected", (await client.ReceiveAsync())!.Value.GetProperty("m").GetString());
    }

    [Theory]
    [InlineData("bad signature", HttpStatusCode.Unauthorized)]
    [InlineData("stale timestamp", HttpStatusCode.Unauthorized)]
    [InlineData("v1 prehash on the v2 stream", HttpStatusCode.Unauthorized)]
    [InlineData("wrong account group", HttpStatusCode.BadRequest)]
    public async Task Connect_UpgradeTheChecksRefuse_RefusedWithStatusAndCounted(string problem, HttpStatusCode status)
    {
        await using var venue = await TestVenues.StartAsync();

        var refused = await Assert.ThrowsAsync<RefusedException>(() => problem switch
        {
            "bad signature" => StreamClient.ConnectAsync(venue, signature: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
            "stale timestamp" => StreamClient.ConnectAsync(venue, timestampMs: VenueClient.NowMs() - 31_000),
            "v1 prehash on the v2 stream" => StreamClient.ConnectAsync(venue, v2: true, prehash: "stream"),
            _ => StreamClient.ConnectAsync(venue, accountGroup: "999"),
        });

        Assert.Equal(status, refused.Status);
        Assert.Equal(1, venue.Stats.StreamUpgradesRejected);
        Assert.Equal(0, venue.Stats.StreamSessions);
    }

    [Fact]
    public async Task Upgrade_BadSignature_Answers401WithTheRestBody()
    {
        await using var venue = await TestVenues.StartAsync();

        var (status, body) = await StreamClient.RawUpgradeAsync(venue, signature: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("{\"code\":200001,\"reason\":\"AUTHENTICATION_FAILED\",\"message\":\"API signature mismatch\"}", body);
    }

    [Fact]
    public async Task Upgrade_PlainGetOnTheStreamPath_Answers400AndIsNoSession()
    {
        await using var venue = await TestVenues.StartAsync();

        var (status, body) = await StreamClient.RawUpgradeAsync(venue, signature: "x", websocket: false);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("100001", body, StringComparison.Ordinal);
        Assert.Equal(0, venue.Stats.StreamSessions);
    }

    [Theory]
    [InlineData(false, "order:futures")]
    [InlineData(true, "futures-order")]
    public async Task Sub_OrderChannel_AnsweredWithCodeZeroEchoingIdAndChannel(bool v2, string channel)
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = await StreamClient.ConnectAsync(venue, v2);

        var answer = await client.SubscribeAsync(v2, id: "abc123");

        Assert.Equal("abc123", answer.GetProperty("id").GetString());
        Assert.Equal(channel, answer.GetProperty("ch").GetString());
        Assert.Equal(0, answer.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Sub_UnknownChannel_AnsweredWithNonZeroCode()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = await StreamClient.ConnectAsync(venue);
        await client.ReceiveAsync("connected");

        await client.SendAsync("{\"op\":\"sub\",\"id\":\"x1\",\"ch\":\"bar:BTC-PERP\"}");
        var answer = await client.ReceiveAsync("sub");

        Assert.Equal("x1", answer.GetProperty("id").GetString());
        Assert.NotEqual(0, answer.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Ping_FromClient_AnsweredPongWithServerTime()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = await StreamClient.ConnectAsync(venue);
        await client.ReceiveAsync("connected");
        var before = VenueClient.NowMs();

        await client.SendAsync("{\"op\":\"ping\"}");
        var pong = await client.ReceiveAsync("pong");

        Assert.Equal(0, pong.GetProperty("code").GetInt32());
        Assert.Equal(2, pong.GetProperty("hp").GetInt32());
        Assert.InRange(pong.GetProperty("ts").GetInt64(), before, VenueClient.NowMs());
    }

    [Fact]
    public async Task NotJson_FromClient_AnsweredError100005AndSessionStays()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = await StreamClient.ConnectAsync(venue);
        await client.ReceiveAsync("connected");

        await client.SendAsync("hello");
        var error = await client.ReceiveAsync("error");
        await client.SendAsync("{\"op\":\"ping\"}");

        Assert.Equal(100005, error.GetProperty("code").GetInt32());
        Assert.Equal("pong", (await client.ReceiveAsync("pong")).GetProperty("m").GetString());
    }

    [Fact]
    public async Task QuietClient_TwoPingsUnanswered_DisconnectedWith100005ThenClose()
    {
        await using var venue = await TestVenues.StartAsync(new VenueOptions { StreamPingIntervalMs = 100 });
        using var client = await StreamClient.ConnectAsync(venue);
        await client.ReceiveAsync("connected");

        var first = await client.ReceiveAsync();
        var second = await client.ReceiveAsync();
        var last = await client.ReceiveAsync();
        var end = await client.ReceiveAsync();

        Assert.Equal("{\"m\":\"ping\",\"hp\":3}", first!.Value.GetRawText());
        Assert.Equal("ping", second!.Value.GetProperty("m").GetString());
        Assert.Equal("disconnected", last!.Value.GetProperty("m").GetString());
        Assert.Equal(100005, last.Value.GetProperty("code").GetInt32());
        Assert.Equal("INVALID_WS_REQUEST_DATA", last.Value.GetProperty("reason").GetString());
        Assert.Null(end);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.Socket.CloseStatus);
    }

    [Fact]
    public async Task QuietClient_AnsweringEachPing_IsNeverDisconnected()
    {
        await using var venue = await TestVenues.StartAsync(new VenueOptions { StreamPingIntervalMs = 100 });
        using var client = await StreamClient.ConnectAsync(venue);
        await client.ReceiveAsync("connected");

        for (var i = 0; i < 4; i++)
        {
            var message = await client.ReceiveAsync();
            Assert.Equal("ping", message!.Value.GetProperty("m").GetString());
            await client.SendAsync("{\"op\":\"pong\"}");
        }

        Assert.Equal(WebSocketState.Open, client.Socket.State);
    }

    [Fact]
    public async Task CanceledAfterAck_Subscribed_OrderMessageSaysCanceled()
    {
        await using var venue = await TestVenues.StartAsync(new VenueOptions { CancelDelayMs = 50 });
        using var rest = new VenueClient(venue);
        using var client = await StreamClient.ConnectAsync(venue);
        await client.SubscribeAsync();
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];

        var ack = await rest.CancelAsync(orderId);
        var message = await client.ReceiveAsync("order");

        Assert.Equal(0, ack.Code);
        Assert.Equal("FUTURES", message.GetProperty("ac").GetString());
        Assert.Equal("futQ8mWZrUb2Mc5HvnoLc3f2Dbs4ApeW", message.GetProperty("accountId").GetString());
        Assert.True(message.GetProperty("execId").GetInt64() > 0);
        var data = message.GetProperty("data");
        Assert.Equal(orderId, data.GetProperty("orderId").GetString());
        Assert.Equal(Symbol, data.GetProperty("s").GetString());
        Assert.Equal("Canceled", data.GetProperty("st").GetString());
        Assert.Equal("0", data.GetProperty("cfq").GetString());
        Assert.True(venue.Book.TryGetOrder(orderId, out var order));
        Assert.Equal(order.LastExecTimeMs, data.GetProperty("t").GetInt64());
        Assert.Equal(1, venue.Stats.StreamMessagesSent);
    }

    [Fact]
    public async Task FilledAfterAck_Subscribed_OrderMessageSaysFilled()
    {
        await using var venue = await TestVenues.StartAsync(new VenueOptions { FillAfterAckShare = 1.0, CancelDelayMs = 50 });
        using var rest = new VenueClient(venue);
        using var client = await StreamClient.ConnectAsync(venue);
        await client.SubscribeAsync();
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];

        var ack = await rest.CancelAsync(orderId);
        var data = (await client.ReceiveAsync("order")).GetProperty("data");

        Assert.Equal(0, ack.Code);
        Assert.Equal(orderId, data.GetProperty("orderId").GetString());
        Assert.Equal("Filled", data.GetProperty("st").GetString());
        Assert.Equal(data.GetProperty("q").GetString(), data.GetProperty("cfq").GetString());
    }

    [Fact]
    public async Task FilledBeforeCancel_Subscribed_OrderMessageSaysFilledAndCancelGets300006()
    {
        await using var venue = await TestVenues.StartAsync(new VenueOptions { FillBeforeCancelShare = 1.0 });
        using var rest = new VenueClient(venue);
        using var client = await StreamClient.ConnectAsync(venue);
        await client.SubscribeAsync();
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];

        var answer = await rest.CancelAsync(orderId);
        var data = (await client.ReceiveAsync("order")).GetProperty("data");

        Assert.Equal(300006, answer.Code);
        Assert.Equal(orderId, data.GetProperty("orderId").GetString());
        Assert.Equal("Filled", data.GetProperty("st").GetString());
    }

    [Fact]
    public async Task TwoOrders_Subscribed_ExecIdIncreases()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = await StreamClient.ConnectAsync(venue);
        await client.SubscribeAsync();
        var orders = venue.Book.SeedGenerated(2, Symbol);

        venue.Book.TryCancel(orders[0], Symbol);
        venue.Book.TryCancel(orders[1], Symbol);
        var first = await client.ReceiveAsync("order");
        var second = await client.ReceiveAsync("order");

        Assert.Equal(orders[0], first.GetProperty("data").GetProperty("orderId").GetString());
        Assert.True(second.GetProperty("execId").GetInt64() > first.GetProperty("execId").GetInt64());
    }

    [Fact]
    public async Task V2Stream_CanceledOrder_FlatFuturesOrderMessageWithSeqNum()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = await StreamClient.ConnectAsync(venue, v2: true);
        await client.SubscribeAsync(v2: true);
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];

        venue.Book.TryCancel(orderId, Symbol);
        var message = await client.ReceiveAsync("futures-order");

        Assert.False(message.TryGetProperty("data", out _));
        Assert.Equal(orderId, message.GetProperty("orderId").GetString());
        Assert.Equal("Canceled", message.GetProperty("st").GetString());
        Assert.Equal("0", message.GetProperty("cfq").GetString());
        Assert.True(venue.Book.TryGetOrder(orderId, out var order));
        Assert.Equal(order.SeqNum, message.GetProperty("sn").GetInt64());
    }

    [Fact]
    public async Task NotSubscribed_OrderCanceled_NoOrderMessageIsSent()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = await StreamClient.ConnectAsync(venue);
        await client.ReceiveAsync("connected");
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];

        venue.Book.TryCancel(orderId, Symbol);
        await client.SendAsync("{\"op\":\"ping\"}");
        await client.ReceiveAsync("pong");

        Assert.Equal(0, venue.Stats.StreamMessagesSent);
        Assert.Equal(0, venue.Stats.StreamMessagesDropped);
    }

    [Fact]
    public async Task Stop_SessionOpen_VenueStopsWithinBoundAndClientSeesTheEnd()
    {
        var venue = await TestVenues.StartAsync();
        using var client = await StreamClient.ConnectAsync(venue);
        await client.SubscribeAsync();

        var stopping = Stopwatch.StartNew();
        await venue.DisposeAsync();
        var ended = await Record.ExceptionAsync(async () => Assert.Null(await client.ReceiveAsync()));

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(15), $"stop took {stopping.Elapsed}");
        Assert.True(ended is null or WebSocketException, $"unexpected {ended}");
    }

    [Fact]
    public async Task Stats_AfterASession_JsonHasEveryStreamCounter()
    {
        await using var venue = await TestVenues.StartAsync();
        using var rest = new VenueClient(venue);
        using (var client = await StreamClient.ConnectAsync(venue))
        {
            await client.SubscribeAsync();
            venue.Book.TryCancel(venue.Book.SeedGenerated(1, Symbol)[0], Symbol);
            await client.ReceiveAsync("order");
        }

        using var stats = await rest.StatsAsync();

        var root = stats.RootElement;
        Assert.Equal(1, root.GetProperty("streamSessions").GetInt64());
        Assert.Equal(1, root.GetProperty("streamMessagesSent").GetInt64());
        foreach (var name in (string[])["streamUpgradesRejected", "streamUpgradesRefused", "streamMessagesDropped", "streamBacklogDropped", "streamClosedByFault"])
        {
            Assert.Equal(0, root.GetProperty(name).GetInt64());
        }
    }

    [Fact]
    public async Task SlowSession_QueueOverflows_OldestDroppedAndCountedAndBookNeverWaits()
    {
        const int orderCount = 20_000;
        await using var venue = await TestVenues.StartAsync(new VenueOptions { StreamQueueCapacity = 8 });
        using var client = await StreamClient.ConnectAsync(venue);
        await client.SubscribeAsync();
        var seeded = venue.Book.SeedGenerated(orderCount, Symbol);

        // The client reads nothing while the book cancels: flow control stops the session's writer, never the book.
        foreach (var orderId in seeded)
        {
            Assert.Equal(CancelResult.Canceled, venue.Book.TryCancel(orderId, Symbol));
        }

        // Every offer is made by now, so the drop count is final: the client can expect exactly the rest.
        var dropped = venue.Stats.StreamBacklogDropped;
        for (var i = 0; i < orderCount - dropped; i++)
        {
            await client.ReceiveAsync("order");
        }

        Assert.True(dropped > 0);
        Assert.True(await WaitUntilAsync(() => venue.Stats.StreamMessagesSent == orderCount - dropped));
    }
}
