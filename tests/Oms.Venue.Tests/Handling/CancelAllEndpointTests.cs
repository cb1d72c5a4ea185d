using System.Text.Json;

namespace Oms.Venue.Tests.Handling;

/// <summary>The cancel-all: every open order of the account or of one symbol, best effort on request.</summary>
public sealed class CancelAllEndpointTests
{
    private const string Symbol = "BTC-PERP";
    private const string OtherSymbol = "ETH-PERP";

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    public async Task CancelAll_NoSymbol_EveryOpenOrderOfTheAccountCanceledAndCounted(string body)
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var orderIds = venue.Book.SeedGenerated(5, Symbol).Concat(venue.Book.SeedGenerated(3, OtherSymbol)).ToArray();

        var answer = await client.CancelAllAsync(body);

        Assert.Equal(0, answer.Code);
        Assert.All(orderIds, id => Assert.Equal(OrderBookState.Canceled, venue.Book.GetState(id)));
        Assert.Equal((1L, 1L, 8L, 8L), (venue.Stats.CancelAllRequests, venue.Stats.CancelAllAcked, venue.Stats.OrdersCanceledByCancelAll, venue.Stats.OrdersCanceled));
    }

    [Fact]
    public async Task CancelAll_Ack_HasExactlyTheDocumentedShape()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var before = VenueClient.NowMs();

        var answer = await client.CancelAllAsync();

        var json = answer.Json;
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(["code", "data"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0, answer.Code);
        var data = json.GetProperty("data");
        Assert.Equal(["ac", "accountId", "action", "status", "info"], data.EnumerateObject().Select(p => p.Name));
        Assert.Equal("FUTURES", data.GetProperty("ac").GetString());
        Assert.Equal("futQ8mWZrUb2Mc5HvnoLc3f2Dbs4ApeW", data.GetProperty("accountId").GetString());
        Assert.Equal("cancel-all", data.GetProperty("action").GetString());
        Assert.Equal("Ack", data.GetProperty("status").GetString());
        var info = data.GetProperty("info");
        Assert.Equal(["id", "orderId", "orderType", "symbol", "timestamp"], info.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("", "", "NULL_VAL", ""), (info.GetProperty("id").GetString(), info.GetProperty("orderId").GetString(), info.GetProperty("orderType").GetString(), info.GetProperty("symbol").GetString()));
        Assert.InRange(info.GetProperty("timestamp").GetInt64(), before, VenueClient.NowMs());
    }

    [Fact]
    public async Task CancelAll_OneSymbol_OnlyThatSymbolsOrdersCanceled()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var btc = venue.Book.SeedGenerated(4, Symbol);
        var eth = venue.Book.SeedGenerated(3, OtherSymbol);

        var answer = await client.CancelAllAsync("{\"symbol\":\"ETH-PERP\"}");

        Assert.Equal(0, answer.Code);
        Assert.All(eth, id => Assert.Equal(OrderBookState.Canceled, venue.Book.GetState(id)));
        Assert.All(btc, id => Assert.Equal(OrderBookState.Open, venue.Book.GetState(id)));
        Assert.Equal(3, venue.Stats.OrdersCanceledByCancelAll);
    }

    [Fact]
    public async Task CancelAll_V2_AckedAndEveryOrderCanceled()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var orderIds = venue.Book.SeedGenerated(3, Symbol);

        var answer = await client.CancelAllAsync("{\"symbol\":\"BTC-PERP\"}", v2: true);

        Assert.Equal(0, answer.Code);
        Assert.Equal("cancel-all", answer.Json.GetProperty("data").GetProperty("action").GetString());
        Assert.All(orderIds, id => Assert.Equal(OrderBookState.Canceled, venue.Book.GetState(id)));
    }

    [Fact]
    public async Task CancelAll_Subscribed_StreamTellsEveryOrdersFateWithFillsAfterTheAck()
    {
        await using var venue = await TestVenues.StartAsync(new VenueOptions { FillAfterAckShare = 1.0, CancelDelayMs = 20 });
        using var client = new VenueClient(venue);
        using var stream = await StreamClient.ConnectAsync(venue);
        await stream.SubscribeAsync();
        var orderIds = venue.Book.SeedGenerated(4, Symbol);

        var answer = await client.CancelAllAsync();
        var told = new List<string>();
        for (var i = 0; i < orderIds.Count; i++)
        {
            var data = (await stream.ReceiveAsync("order")).GetProperty("data");
            Assert.Equal("Filled", data.GetProperty("st").GetString());
            told.Add(data.GetProperty("orderId").GetString()!);
        }

        Assert.Equal(0, answer.Code);
        Assert.Equal(orderIds.Order(), told.Order());
        Assert.Equal((4L, 0L), (venue.Stats.FilledAfterAck, venue.Stats.OrdersCanceledByCancelAll));
    }

    [Fact]
    public async Task CancelAll_SurvivorsFault_SomeRecentOrdersStayOpenCountedAndCancellableAfterwards()
    {
        await using var venue = await TestVenues.StartAsync(new VenueFaults { CancelAllSurvivorShare = 0.5, CancelAllSurvivorWindowMs = 600_000 });
        using var client = new VenueClient(venue);
        var orderIds = venue.Book.SeedGenerated(40, Symbol);

        var answer = await client.CancelAllAsync();
        var survivors = orderIds.Where(id => venue.Book.GetState(id) == OrderBookState.Open).ToArray();
        var open = await client.OpenOrdersAsync();
        var cancels = await Task.WhenAll(survivors.Select(id => client.CancelAsync(id)));

        Assert.Equal(0, answer.Code);
        Assert.InRange(survivors.Length, 1, 39);
        Assert.Equal(survivors.Length, venue.Stats.CancelAllSurvivors);
        Assert.Equal(40 - survivors.Length, venue.Stats.OrdersCanceledByCancelAll);
        Assert.Equal(survivors.Order(), open.Json.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("orderId").GetString()).Order());
        Assert.All(cancels, c => Assert.Equal(0, c.Code));
        Assert.Equal(0, venue.Book.OpenCount);
    }

    [Fact]
    public async Task CancelAll_SurvivorsFaultSameSeed_TheSameOrdersSurvive()
    {
        var book = new OrderBook();
        var orderIds = book.SeedGenerated(30, Symbol);
        var faults = new VenueFaults { CancelAllSurvivorShare = 0.5, CancelAllSurvivorWindowMs = 600_000 };
        var copy = new OrderBook();
        foreach (var id in orderIds)
        {
            copy.TrySeed(id, Symbol);
        }

        string[] first, second;
        await using (var venue = await TestVenues.StartAsync(new VenueOptions { Book = book, Faults = faults }))
        {
            using var client = new VenueClient(venue);
            await client.CancelAllAsync();
            first = [.. orderIds.Where(id => book.GetState(id) == OrderBookState.Open)];
        }

        await using (var venue = await TestVenues.StartAsync(new VenueOptions { Book = copy, Faults = faults }))
        {
            using var client = new VenueClient(venue);
            await client.CancelAllAsync();
            second = [.. orderIds.Where(id => copy.GetState(id) == OrderBookState.Open)];
        }

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task CancelAll_SurvivorsFaultOrdersOlderThanTheWindow_NoneSurvive()
    {
        await using var venue = await TestVenues.StartAsync(new VenueFaults { CancelAllSurvivorShare = 1.0, CancelAllSurvivorWindowMs = 1 });
        using var client = new VenueClient(venue);
        var orderIds = venue.Book.SeedGenerated(10, Symbol);
        await Task.Delay(100);

        var answer = await client.CancelAllAsync();

        Assert.Equal(0, answer.Code);
        Assert.All(orderIds, id => Assert.Equal(OrderBookState.Canceled, venue.Book.GetState(id)));
        Assert.Equal(0, venue.Stats.CancelAllSurvivors);
    }

    [Theory]
    [InlineData("{\"symbol\":1}", 100004)]
    [InlineData("{\"side\":\"Buy\"}", 100004)]
    [InlineData("{\"symbol\":\"\"}", 100008)]
    [InlineData("[", 150001)]
    [InlineData("{\"symbol\":\"BTC-PERP\",\"time\":1}", 100011)]
    public async Task CancelAll_BadBody_RefusedAndNothingCanceled(string body, int code)
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];

        var answer = await client.CancelAllAsync(body);

        Assert.Equal(code, answer.Code);
        Assert.Equal(OrderBookState.Open, venue.Book.GetState(orderId));
        Assert.Equal((1L, 0L), (venue.Stats.CancelAllRejected, venue.Stats.CancelAllAcked));
    }

    [Theory]
    [InlineData(false, "order")]
    [InlineData(true, "order/all")]
    public async Task CancelAll_SignedOverAnotherPrehash_Refused200001AndNothingCanceled(bool v2, string prehash)
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];

        var answer = await client.CancelAllAsync(v2: v2, prehash: prehash);

        Assert.Equal(200001, answer.Code);
        Assert.Equal(OrderBookState.Open, venue.Book.GetState(orderId));
    }

    [Fact]
    public async Task CancelAll_EmptyBook_AckedAnyway()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);

        var answer = await client.CancelAllAsync();

        Assert.Equal(0, answer.Code);
        Assert.Equal(0, venue.Stats.OrdersCanceledByCancelAll);
    }
}
