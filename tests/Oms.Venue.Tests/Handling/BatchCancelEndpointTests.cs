using System.Text.Json;

namespace Oms.Venue.Tests.Handling;

/// <summary>The batch cancel: up to ten orders, all cancelled or none, refusals shaped as the facts sheet shows.</summary>
public sealed class BatchCancelEndpointTests
{
    private const string Symbol = "BTC-PERP";
    private const string AlreadyFinal = "The order is already filled or canceled.";
    private const string UnknownId = "aUNKNOWN00000000000000000000000X";

    [Fact]
    public async Task Batch_OneOrder_AckedInTheDocumentedShapeCanceledAndCounted()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];
        var body = client.BatchBody([orderId]);
        var requestId = JsonDocument.Parse(body).RootElement.GetProperty("orders")[0].GetProperty("id").GetString();

        var answer = await client.BatchCancelAsync(body);

        Assert.Equal(0, answer.Code);
        var data = answer.Json.GetProperty("data");
        Assert.Equal("FUTURES", data.GetProperty("ac").GetString());
        Assert.Equal("futQ8mWZrUb2Mc5HvnoLc3f2Dbs4ApeW", data.GetProperty("accountId").GetString());
        Assert.Equal("batch-cancel-order", data.GetProperty("action").GetString());
        Assert.Equal("Ack", data.GetProperty("status").GetString());
        var info = Assert.Single(data.GetProperty("info").EnumerateArray());
        Assert.Equal(requestId, info.GetProperty("id").GetString());
        Assert.Equal(orderId, info.GetProperty("orderId").GetString());
        Assert.Equal("Limit", info.GetProperty("orderType").GetString());
        Assert.Equal(Symbol, info.GetProperty("symbol").GetString());
        Assert.Equal(JsonValueKind.Number, info.GetProperty("timestamp").ValueKind);
        Assert.Equal(OrderBookState.Canceled, venue.Book.GetState(orderId));
        Assert.Equal((1L, 1L, 1L, 1L), (venue.Stats.BatchRequests, venue.Stats.BatchAcked, venue.Stats.BatchOrders, venue.Stats.BatchesOfSize(1)));
        Assert.Equal((1L, 1L, 0L, 0L), (venue.Stats.OrdersCanceled, venue.Stats.OrdersCanceledByBatch, venue.Stats.OrdersCanceledSingly, venue.Stats.Acked));
    }

    [Fact]
    public async Task Batch_TenOrdersSubscribed_EveryOrderCanceledEachToldOnTheStreamAndCounted()
    {
        await using var venue = await TestVenues.StartAsync(new VenueOptions { CancelDelayMs = 20 });
        using var client = new VenueClient(venue);
        using var stream = await StreamClient.ConnectAsync(venue);
        await stream.SubscribeAsync();
        var orderIds = venue.Book.SeedGenerated(10, Symbol);

        var answer = await client.BatchCancelAsync(client.BatchBody(orderIds));
        var told = new List<string>();
        for (var i = 0; i < orderIds.Count; i++)
        {
            var data = (await stream.ReceiveAsync("order")).GetProperty("data");
            Assert.Equal("Canceled", data.GetProperty("st").GetString());
            told.Add(data.GetProperty("orderId").GetString()!);
        }

        using var stats = await client.StatsAsync();

        Assert.Equal(0, answer.Code);
        Assert.Equal(orderIds, answer.Json.GetProperty("data").GetProperty("info").EnumerateArray().Select(e => e.GetProperty("orderId").GetString()));
        Assert.Equal(orderIds.Order(), told.Order());
        Assert.All(orderIds, id => Assert.Equal(OrderBookState.Canceled, venue.Book.GetState(id)));
        var root = stats.RootElement;
        Assert.Equal(1, root.GetProperty("batchRequests").GetInt64());
        Assert.Equal(10, root.GetProperty("batchOrders").GetInt64());
        Assert.Equal(10, root.GetProperty("ordersCanceledByBatch").GetInt64());
        Assert.Equal([0L, 0, 0, 0, 0, 0, 0, 0, 0, 1], root.GetProperty("batchSizes").EnumerateArray().Select(e => e.GetInt64()));
    }

    [Fact]
    public async Task Batch_ElevenOrders_RefusedAsInvalidInputAndNothingCanceled()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var orderIds = venue.Book.SeedGenerated(11, Symbol);

        var answer = await client.BatchCancelAsync(client.BatchBody(orderIds));

        Assert.Equal(100004, answer.Code);
        Assert.Equal("INVALID_REQUEST_DATA", answer.Reason);
        Assert.Equal(11, venue.Book.OpenCount);
        Assert.Equal((1L, 0L, 0L), (venue.Stats.BatchRejected, venue.Stats.BatchRefused, venue.Stats.BatchAcked));
    }

    [Theory]
    [InlineData("{\"orders\":[]}", 100004)]
    [InlineData("{\"orders\":", 150001)]
    [InlineData("not json", 150001)]
    [InlineData("{\"orders\":[{\"id\":\"T0000000000000000000000000000001\"}]}", 100004)]
    [InlineData("{\"orders\":[1]}", 100004)]
    [InlineData("{\"orders\":[],\"extra\":1}", 100004)]
    [InlineData("{\"symbol\":\"BTC-PERP\"}", 100004)]
    public async Task Batch_BodyNotABatch_RefusedWithTheSingleCancelsCodeInTheShortShape(string body, int code)
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);

        var answer = await client.BatchCancelAsync(body);

        Assert.Equal(code, answer.Code);
        Assert.False(answer.Json.TryGetProperty("info", out _));
        Assert.Equal(1, venue.Stats.BatchRejected);
    }

    [Fact]
    public async Task Batch_OneUnknownAmongNineGood_Refused300013NamingItAndNoneCanceled()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var good = venue.Book.SeedGenerated(9, Symbol);
        var body = client.BatchBody([.. good.Take(4), UnknownId, .. good.Skip(4)]);
        var unknownRequestId = JsonDocument.Parse(body).RootElement.GetProperty("orders")[4].GetProperty("id").GetString();

        var answer = await client.BatchCancelAsync(body);

        var json = answer.Json;
        Assert.Equal(300013, answer.Code);
        Assert.Equal("INVALID_BATCH_ORDER", answer.Reason);
        Assert.Equal("Batch Order failed, please check each order info for detail.", json.GetProperty("message").GetString());
        Assert.Equal("Err", json.GetProperty("status").GetString());
        Assert.Equal("futQ8mWZrUb2Mc5HvnoLc3f2Dbs4ApeW", json.GetProperty("accountId").GetString());
        Assert.Equal("FUTURES", json.GetProperty("ac").GetString());
        Assert.Equal("batch-cancel-order", json.GetProperty("action").GetString());
        Assert.False(json.TryGetProperty("data", out _));
        var entry = Assert.Single(json.GetProperty("info").EnumerateArray());
        Assert.Equal(300006, entry.GetProperty("code").GetInt32());
        Assert.Equal(unknownRequestId, entry.GetProperty("id").GetString());
        Assert.Equal(UnknownId, entry.GetProperty("orderId").GetString());
        Assert.Equal("INVALID_ORDER_ID", entry.GetProperty("reason").GetString());
        Assert.Equal(AlreadyFinal, entry.GetProperty("message").GetString());
        Assert.Equal("", entry.GetProperty("symbol").GetString());
        Assert.All(good, id => Assert.Equal(OrderBookState.Open, venue.Book.GetState(id)));
        Assert.Equal((1L, 0L, 0L), (venue.Stats.BatchRefused, venue.Stats.BatchAcked, venue.Stats.OrdersCanceled));
    }

    [Fact]
    public async Task Batch_AfterARefusal_TheGoodOrdersAreStillCancellable()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var good = venue.Book.SeedGenerated(3, Symbol);
        await client.BatchCancelAsync(client.BatchBody([.. good, UnknownId]));

        var single = await client.CancelAsync(good[0]);
        var batch = await client.BatchCancelAsync(client.BatchBody(good.Skip(1)));

        Assert.Equal((0L, 0L), (single.Code, batch.Code));
        Assert.All(good, id => Assert.Equal(OrderBookState.Canceled, venue.Book.GetState(id)));
        Assert.Equal((1L, 2L), (venue.Stats.OrdersCanceledSingly, venue.Stats.OrdersCanceledByBatch));
    }

    [Fact]
    public async Task Batch_OrdersThatFillBeforeTheBatchArrives_Refused300006ForEachAndTheyStayFilled()
    {
        await using var venue = await TestVenues.StartAsync(new VenueOptions { FillBeforeCancelShare = 1.0 });
        using var client = new VenueClient(venue);
        var orderIds = venue.Book.SeedGenerated(2, Symbol);

        var answer = await client.BatchCancelAsync(client.BatchBody(orderIds));

        Assert.Equal(300013, answer.Code);
        var info = answer.Json.GetProperty("info").EnumerateArray().ToArray();
        Assert.Equal(orderIds, info.Select(e => e.GetProperty("orderId").GetString()));
        Assert.All(info, e => Assert.Equal((300006, AlreadyFinal), (e.GetProperty("code").GetInt32(), e.GetProperty("message").GetString())));
        Assert.All(orderIds, id => Assert.Equal(OrderBookState.Filled, venue.Book.GetState(id)));
        Assert.Equal(2, venue.Stats.FilledBeforeCancel);
    }

    [Fact]
    public async Task Batch_AnAlreadyCanceledOrderAndTheSameOrderTwice_EachNamed300006()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var orderIds = venue.Book.SeedGenerated(3, Symbol);
        await client.CancelAsync(orderIds[0]);

        var answer = await client.BatchCancelAsync(client.BatchBody([orderIds[0], orderIds[1], orderIds[2], orderIds[2]]));

        Assert.Equal(300013, answer.Code);
        Assert.Equal([orderIds[0], orderIds[2]], answer.Json.GetProperty("info").EnumerateArray().Select(e => e.GetProperty("orderId").GetString()));
        Assert.Equal((OrderBookState.Open, OrderBookState.Open), (venue.Book.GetState(orderIds[1]), venue.Book.GetState(orderIds[2])));
    }

    [Fact]
    public async Task Batch_AnOrderFailingAValueCheck_NamedWithThatChecksCode()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];
        var now = VenueClient.NowMs();
        var body = JsonSerializer.Serialize(new
        {
            orders = new object[]
            {
                new { id = client.NextRequestId(), orderId, symbol = Symbol, time = now },
                new { id = client.NextRequestId(), orderId = "short", symbol = Symbol, time = now },
                new { id = client.NextRequestId(), orderId = UnknownId, symbol = Symbol, time = now - 60_000 },
            },
        });

        var answer = await client.BatchCancelAsync(body);

        Assert.Equal(300013, answer.Code);
        var info = answer.Json.GetProperty("info").EnumerateArray().ToArray();
        Assert.Equal([300006, 100011], info.Select(e => e.GetProperty("code").GetInt32()));
        Assert.Equal(["short", UnknownId], info.Select(e => e.GetProperty("orderId").GetString()));
        Assert.Equal(OrderBookState.Open, venue.Book.GetState(orderId));
    }

    [Fact]
    public async Task Batch_WrongInfoFault_InfoAlsoNamesAnOrderNotInTheBatchAndIsCounted()
    {
        await using var venue = await TestVenues.StartAsync(new VenueFaults { BatchWrongInfoShare = 1.0 });
        using var client = new VenueClient(venue);
        var good = venue.Book.SeedGenerated(2, Symbol);
        string[] sent = [.. good, UnknownId];

        var answer = await client.BatchCancelAsync(client.BatchBody(sent));

        Assert.Equal(300013, answer.Code);
        var named = answer.Json.GetProperty("info").EnumerateArray().Select(e => e.GetProperty("orderId").GetString()!).ToArray();
        Assert.Equal(2, named.Length);
        Assert.Contains(UnknownId, named);
        var stranger = Assert.Single(named, id => !sent.Contains(id));
        Assert.Equal(32, stranger.Length);
        Assert.Equal(1, venue.Stats.Count(VenueFault.BatchWrongInfo));
        Assert.All(good, id => Assert.Equal(OrderBookState.Open, venue.Book.GetState(id)));
    }

    [Fact]
    public async Task Batch_WrongInfoFault_NeverTouchesAnAck()
    {
        await using var venue = await TestVenues.StartAsync(new VenueFaults { BatchWrongInfoShare = 1.0 });
        using var client = new VenueClient(venue);
        var orderIds = venue.Book.SeedGenerated(2, Symbol);

        var answer = await client.BatchCancelAsync(client.BatchBody(orderIds));

        Assert.Equal(0, answer.Code);
        Assert.Equal(2, answer.Json.GetProperty("data").GetProperty("info").GetArrayLength());
        Assert.Equal(0, venue.Stats.Count(VenueFault.BatchWrongInfo));
    }

    [Fact]
    public async Task Batch_V2_AckedInTheV2EnvelopeAndCanceled()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var orderIds = venue.Book.SeedGenerated(3, Symbol);

        var answer = await client.BatchCancelAsync(client.BatchBody(orderIds, respInst: "ACK"), v2: true);

        Assert.Equal(0, answer.Code);
        var data = answer.Json.GetProperty("data");
        Assert.Equal("batch-cancel-order", data.GetProperty("meta").GetProperty("action").GetString());
        var orders = data.GetProperty("orders").EnumerateArray().ToArray();
        Assert.Equal(orderIds, orders.Select(e => e.GetProperty("orderId").GetString()));
        Assert.All(orders, e => Assert.Equal(("ACK", "New", 32), (e.GetProperty("respInst").GetString(), e.GetProperty("status").GetString(), e.GetProperty("id").GetString()!.Length)));
        Assert.All(orderIds, id => Assert.Equal(OrderBookState.Canceled, venue.Book.GetState(id)));
    }

    [Fact]
    public async Task Batch_V2WithAnUnknownOrder_Refused300013()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];

        var answer = await client.BatchCancelAsync(client.BatchBody([orderId, UnknownId]), v2: true);

        Assert.Equal(300013, answer.Code);
        Assert.Equal(OrderBookState.Open, venue.Book.GetState(orderId));
    }

    [Theory]
    [InlineData(false, "order")]
    [InlineData(false, "v2/futures/order/batch")]
    [InlineData(true, "order/batch")]
    public async Task Batch_SignedOverAnotherPrehash_Refused200001AndNothingCanceled(bool v2, string prehash)
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];

        var answer = await client.BatchCancelAsync(client.BatchBody([orderId]), v2, prehash);

        Assert.Equal(200001, answer.Code);
        Assert.Equal("AUTHENTICATION_FAILED", answer.Reason);
        Assert.Equal(OrderBookState.Open, venue.Book.GetState(orderId));
        Assert.Equal(1, venue.Stats.BatchRejected);
    }
}
