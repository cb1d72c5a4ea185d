using System.Diagnostics;
using System.Text.Json;

namespace Oms.Venue.Tests.Handling;

/// <summary>The order status and open-orders endpoints: shapes from the facts sheet, signing as REST, the unknown-id switch.</summary>
public sealed class OrderQueryEndpointTests
{
    private const string Symbol = "BTC-PERP";
    private const string UnknownId = "aUNKNOWN00000000000000000000000X";

    private static readonly string[] s_stringFields = ["orderId", "symbol", "status", "cumFilledQty", "orderQty", "avgPx", "price", "side", "orderType", "errorCode", "execInst", "stopPrice", "cumFee", "feeAsset"];

    [Fact]
    public async Task Status_OneId_AnswersEnvelopeWithDataObjectOfEveryField()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];

        var answer = await client.StatusAsync(orderId);

        var json = answer.Json;
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("FUTURES", json.GetProperty("ac").GetString());
        Assert.Equal(JsonValueKind.String, json.GetProperty("accountId").ValueKind);
        Assert.Equal(0, json.GetProperty("code").GetInt64());
        var data = json.GetProperty("data");
        Assert.Equal(JsonValueKind.Object, data.ValueKind);
        Assert.All(s_stringFields, field => Assert.Equal(JsonValueKind.String, data.GetProperty(field).ValueKind));
        Assert.Equal(JsonValueKind.Number, data.GetProperty("lastExecTime").ValueKind);
        Assert.Equal(JsonValueKind.Number, data.GetProperty("seqNum").ValueKind);
        Assert.Equal(orderId, data.GetProperty("orderId").GetString());
        Assert.Equal(Symbol, data.GetProperty("symbol").GetString());
        Assert.Equal("New", data.GetProperty("status").GetString());
        Assert.Equal(1, venue.Stats.StatusRequests);
    }

    [Fact]
    public async Task Status_OneIdFollowedByComma_AnswersList()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];

        var answer = await client.StatusAsync(orderId + ",");

        var data = answer.Json.GetProperty("data");
        Assert.Equal(JsonValueKind.Array, data.ValueKind);
        Assert.Equal([orderId], data.EnumerateArray().Select(e => e.GetProperty("orderId").GetString()));
    }

    [Fact]
    public async Task Status_SeveralIds_AnswersListInRequestOrder()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var ids = venue.Book.SeedGenerated(3, Symbol);
        await client.CancelAsync(ids[1]);

        var answer = await client.StatusAsync(string.Join(',', ids));

        var data = answer.Json.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(ids, data.Select(e => e.GetProperty("orderId").GetString()));
        Assert.Equal(["New", "Canceled", "New"], data.Select(e => e.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Status_UnknownIdsAmongKnown_AreLeftOut()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];

        var mixed = await client.StatusAsync(UnknownId + "," + orderId);
        var alone = await client.StatusAsync(UnknownId);

        Assert.Equal([orderId], mixed.Json.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("orderId").GetString()));
        Assert.Equal(0, alone.Code);
        Assert.Equal(JsonValueKind.Array, alone.Json.GetProperty("data").ValueKind);
        Assert.Equal(0, alone.Json.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Status_UnknownIdWithLeaveOutSwitchOff_RefusesWith300006()
    {
        await using var venue = await TestVenues.StartAsync(new VenueOptions { StatusLeavesOutUnknownIds = false });
        using var client = new VenueClient(venue);
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];

        var mixed = await client.StatusAsync(orderId + "," + UnknownId);
        var known = await client.StatusAsync(orderId);

        Assert.Equal(300006, mixed.Code);
        Assert.Equal("INVALID_ORDER_ID", mixed.Reason);
        Assert.Equal(0, known.Code);
    }

    [Fact]
    public async Task Status_NoOrderId_Refuses100004()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);

        var answer = await client.StatusAsync(",");

        Assert.Equal(100004, answer.Code);
    }

    [Fact]
    public async Task Status_WrongSignature_RefusedExactlyLikeACancel()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];
        const string wrong = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

        var status = await client.StatusAsync(orderId, signature: wrong);
        var cancel = await client.CancelAsync(orderId, signature: wrong);

        Assert.Equal(200001, status.Code);
        Assert.Equal(cancel.Status, status.Status);
        Assert.Equal(cancel.Body, status.Body);
        Assert.Equal(OrderBookState.Open, venue.Book.GetState(orderId));
    }

    [Fact]
    public async Task Status_SignedOverTheQueryString_Refused()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];

        var answer = await client.QueryAsync("/api/pro/v1/futures/order/status?orderId=" + orderId, "order/status?orderId=" + orderId);

        Assert.Equal(200001, answer.Code);
        Assert.Equal("API signature mismatch", answer.Json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Status_V2Path_SignedOverV2Prehash_AnswersAndV1PrehashRefused()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];

        var answer = await client.StatusAsync(orderId, v2: true);
        var wrongPrehash = await client.QueryAsync("/api/pro/v2/futures/order/status?orderId=" + orderId, "order/status");

        Assert.Equal(orderId, answer.Json.GetProperty("data").GetProperty("orderId").GetString());
        Assert.Equal(200001, wrongPrehash.Code);
    }

    [Fact]
    public async Task OpenOrders_AfterCancelsAndFills_ListsExactlyTheNewOrders()
    {
        await using var venue = await TestVenues.StartAsync(new VenueOptions { CancelDelayMs = 60_000 });
        using var client = new VenueClient(venue);
        var ids = venue.Book.SeedGenerated(5, Symbol);
        venue.Book.TryCancel(ids[0], Symbol);
        await client.CancelAsync(ids[1]);

        var answer = await client.OpenOrdersAsync();

        // ids[1]'s cancel was acknowledged but is still pending: the order is New until it takes effect.
        var listed = answer.Json.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(ids.Skip(1).Order(StringComparer.Ordinal), listed.Select(e => e.GetProperty("orderId").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(listed, e => Assert.Equal("New", e.GetProperty("status").GetString()));
        Assert.Equal("FUTURES", answer.Json.GetProperty("ac").GetString());
        Assert.Equal(1, venue.Stats.OpenOrdersRequests);
    }

    [Fact]
    public async Task OpenOrders_WrongPrehash_Refused()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);

        var answer = await client.QueryAsync("/api/pro/v1/futures/order/open", "order/status");

        Assert.Equal(200001, answer.Code);
    }

    [Fact]
    public async Task Stats_AfterQueriesFillsAndCancels_CountsEachInJson()
    {
        await using var venue = await TestVenues.StartAsync(new VenueOptions { CancelDelayMs = 0 });
        using var client = new VenueClient(venue);
        var ids = venue.Book.SeedGenerated(2, Symbol);
        await client.CancelAsync(ids[0]);
        await client.StatusAsync(ids[0]);
        await client.StatusAsync(ids[1] + ",");
        await client.OpenOrdersAsync();

        using var stats = await client.StatsAsync();

        var root = stats.RootElement;
        Assert.Equal(1, root.GetProperty("ordersCanceled").GetInt64());
        Assert.Equal(0, root.GetProperty("filledBeforeCancel").GetInt64());
        Assert.Equal(0, root.GetProperty("filledAfterAck").GetInt64());
        Assert.Equal(2, root.GetProperty("statusRequests").GetInt64());
        Assert.Equal(1, root.GetProperty("openOrdersRequests").GetInt64());
        Assert.Equal(0, root.GetProperty("checks").GetProperty("already-filled").GetInt64());
    }

    [Fact]
    public async Task Status_WithStatusDelayFault_AnswersAfterTheDelayAndCancelsDoNot()
    {
        await using var venue = await TestVenues.StartAsync(new VenueFaults { StatusDelayMs = 400 });
        using var client = new VenueClient(venue);
        var ids = venue.Book.SeedGenerated(2, Symbol);
        await client.StatusAsync(ids[0]);

        var statusTime = Stopwatch.StartNew();
        var status = await client.StatusAsync(ids[0]);
        statusTime.Stop();
        var cancelTime = Stopwatch.StartNew();
        var cancel = await client.CancelAsync(ids[1]);
        cancelTime.Stop();

        Assert.Equal(0, status.Code);
        Assert.Equal(0, cancel.Code);
        Assert.True(statusTime.Elapsed >= TimeSpan.FromMilliseconds(380), $"status answered in {statusTime.Elapsed}");
        Assert.True(cancelTime.Elapsed < TimeSpan.FromMilliseconds(380), $"cancel answered in {cancelTime.Elapsed}");
    }

    [Fact]
    public async Task Status_WithStatusFailsFault_Answers500ServerErrorWhileCancelsAndOpenOrdersServe()
    {
        await using var venue = await TestVenues.StartAsync(new VenueFaults { StatusFails = true });
        using var client = new VenueClient(venue);
        var ids = venue.Book.SeedGenerated(2, Symbol);

        var status = await client.StatusAsync(ids[0]);
        var cancel = await client.CancelAsync(ids[1]);

        Assert.Equal(510001, status.Code);
        Assert.Equal(0, cancel.Code);
        Assert.Equal(1, venue.Stats.StatusRequests);
    }

    [Fact]
    public async Task DisposeAsync_StatusHeldByDelayFault_StopsInBoundedTime()
    {
        var venue = await TestVenues.StartAsync(new VenueFaults { StatusDelayMs = 600_000 });
        using var client = new VenueClient(venue, timeout: TimeSpan.FromSeconds(15));
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];
        var pending = client.StatusAsync(orderId);
        await Task.Delay(200);

        var stopping = Stopwatch.StartNew();
        await venue.DisposeAsync();

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10));
        await Assert.ThrowsAnyAsync<Exception>(() => pending);
    }
}
