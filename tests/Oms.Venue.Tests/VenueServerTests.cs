namespace Oms.Venue.Tests;

/// <summary>Every check of the contract, probed over h2c by an independent HTTP/2 client.</summary>
public sealed class VenueServerTests
{
    private const string Symbol = "BTC-PERP";
    private const string OrderId = "kIXfMP72VfFDp653WoNqNGcpZCK9W7ts";

    [Fact]
    public async Task Cancel_OpenOrder_AnswersContractAckEchoingId()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];

        var answer = await client.CancelAsync(orderId);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(new Version(2, 0), answer.Version);
        var json = answer.Json;
        Assert.Equal(0, json.GetProperty("code").GetInt64());
        var data = json.GetProperty("data");
        Assert.Equal("cancel-order", data.GetProperty("action").GetString());
        Assert.Equal("Ack", data.GetProperty("status").GetString());
        Assert.Equal(answer.SentRequestId, data.GetProperty("info").GetProperty("id").GetString());
        Assert.Equal(orderId, data.GetProperty("info").GetProperty("orderId").GetString());
        Assert.Equal(Symbol, data.GetProperty("info").GetProperty("symbol").GetString());
        Assert.Equal(1, venue.Stats.Acked);
    }

    [Fact]
    public async Task Cancel_SameOrderTwice_SecondAnswersErr300006EchoingItsId()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];
        await client.CancelAsync(orderId);

        var answer = await client.CancelAsync(orderId);

        AssertOrderErr(answer, 300006, "INVALID_ORDER_ID");
        Assert.Equal(1, venue.Stats.Count(VenueCheck.AlreadyCanceled));
    }

    [Fact]
    public async Task Cancel_UnknownOrder_AnswersErr300006WithContractShape()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);

        var answer = await client.CancelAsync("kIXfMP72VfFDp653WoNqNGcpZCK9W7ts");

        AssertOrderErr(answer, 300006, "INVALID_ORDER_ID");
        Assert.Equal($"Invalid Client Order Id: {answer.SentRequestId}", answer.Json.GetProperty("message").GetString());
        Assert.Equal("cancel-order", answer.Json.GetProperty("action").GetString());
        Assert.False(answer.Json.TryGetProperty("data", out _));
        Assert.Equal(1, venue.Stats.Count(VenueCheck.UnknownOrder));
    }

    /// <summary>Requests the venue refuses: each gets its Err (the order's shape or the short one) and, where the
    /// venue names the check that failed, is counted under it.</summary>
    [Theory]
    [InlineData("wrong account group", false, 100001, "INVALID_HTTP_INPUT", VenueCheck.AccountGroup)]
    [InlineData("POST instead of DELETE", false, 100001, "INVALID_HTTP_INPUT", VenueCheck.Method)]
    [InlineData("no api key", false, 200001, "AUTHENTICATION_FAILED", VenueCheck.MissingApiKey)]
    [InlineData("unknown api key", false, 200001, "AUTHENTICATION_FAILED", VenueCheck.UnknownApiKey)]
    [InlineData("no signature", false, 200001, "AUTHENTICATION_FAILED", null)]
    [InlineData("body not JSON", false, 150001, "INVALID_JSON_FORMAT", VenueCheck.InvalidJson)]
    [InlineData("order id of 31 chars", true, 300006, "INVALID_ORDER_ID", VenueCheck.MalformedOrderId)]
    [InlineData("empty symbol", true, 100008, "SYMBOL_ERROR", VenueCheck.EmptySymbol)]
    [InlineData("body over the limit", false, 100001, "INVALID_HTTP_INPUT", VenueCheck.BodyTooLarge)]
    public async Task Cancel_RequestTheVenueRefuses_AnswersItsErrAndCountsTheCheck(
        string request, bool orderShape, int code, string reason, VenueCheck? check)
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);

        var answer = await (request switch
        {
            "wrong account group" => client.CancelAsync(OrderId, accountGroup: "999"),
            "POST instead of DELETE" => client.CancelAsync(OrderId, method: HttpMethod.Post),
            "no api key" => client.CancelAsync(OrderId, omitKey: true),
            "unknown api key" => client.CancelAsync(OrderId, apiKey: "someoneelse"),
            "no signature" => client.CancelAsync(OrderId, omitSignature: true),
            "body not JSON" => client.CancelAsync(OrderId, body: "id=1&orderId=2"),
            "order id of 31 chars" => client.CancelAsync(OrderId[..31]),
            "empty symbol" => client.CancelAsync(OrderId, symbol: ""),
            "body over the limit" => client.CancelAsync("x", body: new string(' ', 5000) + "{}"),
            _ => throw new ArgumentOutOfRangeException(nameof(request), request, null),
        });

        if (orderShape)
        {
            AssertOrderErr(answer, code, reason);
        }
        else
        {
            AssertShortErr(answer, code, reason);
        }

        if (check is { } counted)
        {
            Assert.Equal(1, venue.Stats.Count(counted));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("170000000000")]
    [InlineData("17000000000000")]
    [InlineData("1700000000.00")]
    public async Task Cancel_TimestampNotThirteenDigits_Answers100011(string timestamp)
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);

        var answer = timestamp.Length == 0
            ? await client.CancelAsync("kIXfMP72VfFDp653WoNqNGcpZCK9W7ts", omitTimestamp: true)
            : await client.CancelAsync("kIXfMP72VfFDp653WoNqNGcpZCK9W7ts", timestamp: timestamp);

        AssertShortErr(answer, 100011, "INVALID_TIMESTAMP");
        Assert.Equal(1, venue.Stats.Count(VenueCheck.MalformedTimestamp));
    }

    [Theory]
    [InlineData(-31_000)]
    [InlineData(31_000)]
    public async Task Cancel_TimestampOutsideThirtySeconds_Answers100011(long skewMs)
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);

        var answer = await client.CancelAsync("kIXfMP72VfFDp653WoNqNGcpZCK9W7ts", clockMs: VenueClient.NowMs() + skewMs);

        AssertShortErr(answer, 100011, "INVALID_TIMESTAMP");
        Assert.Equal(1, venue.Stats.Count(VenueCheck.StaleTimestamp));
    }

    [Fact]
    public async Task Cancel_SignatureOfAnotherPrehash_Answers200001SignatureMismatch()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var ts = VenueClient.NowMs().ToString(CultureInfo.InvariantCulture);

        var answer = await client.CancelAsync("kIXfMP72VfFDp653WoNqNGcpZCK9W7ts", timestamp: ts,
            signature: VenueClient.Sign(TestVenues.Credentials.ApiSecret, ts, "v2/futures/order"));

        AssertShortErr(answer, 200001, "AUTHENTICATION_FAILED");
        Assert.Equal("API signature mismatch", answer.Json.GetProperty("message").GetString());
        Assert.Equal(1, venue.Stats.Count(VenueCheck.BadSignature));
    }

    [Fact]
    public async Task Cancel_SignatureFromWrongSecret_Answers200001()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var ts = VenueClient.NowMs().ToString(CultureInfo.InvariantCulture);

        var answer = await client.CancelAsync("kIXfMP72VfFDp653WoNqNGcpZCK9W7ts", timestamp: ts, signature: VenueClient.Sign("wrong-secret", ts, "order"));

        AssertShortErr(answer, 200001, "AUTHENTICATION_FAILED");
    }

    [Fact]
    public async Task Cancel_BodyWithExtraField_Answers100004()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var now = VenueClient.NowMs();

        var answer = await client.CancelAsync("x", body: $$"""{"id":"{{client.NextRequestId()}}","orderId":"kIXfMP72VfFDp653WoNqNGcpZCK9W7ts","symbol":"BTC-PERP","time":{{now}},"side":"Buy"}""");

        AssertShortErr(answer, 100004, "INVALID_REQUEST_DATA");
        Assert.Equal(1, venue.Stats.Count(VenueCheck.InvalidFields));
    }

    [Fact]
    public async Task Cancel_RequestIdNotAlphanumeric_Answers100004()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var now = VenueClient.NowMs();

        var answer = await client.CancelAsync("x", body: VenueClient.CancelBody("sPWweX8baCYeFsKdmqZEmHdpliWaJu_m", "kIXfMP72VfFDp653WoNqNGcpZCK9W7ts", Symbol, now));

        AssertShortErr(answer, 100004, "INVALID_REQUEST_DATA");
        Assert.Equal(1, venue.Stats.Count(VenueCheck.InvalidRequestId));
    }

    [Fact]
    public async Task Cancel_BodyTimeFortySecondsOld_Answers100011()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];

        var answer = await client.CancelAsync("x", body: VenueClient.CancelBody(client.NextRequestId(), orderId, Symbol, VenueClient.NowMs() - 40_000));

        AssertOrderErr(answer, 100011, "INVALID_TIMESTAMP");
        Assert.Equal(1, venue.Stats.Count(VenueCheck.StaleTime));
        Assert.Equal(1, venue.Book.OpenCount);
    }

    [Fact]
    public async Task Cancel_V2OpenOrder_AnswersMetaAndOrderEchoingId()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];
        var id = client.NextRequestId();

        var answer = await client.CancelAsync("x", v2: true,
            body: $$"""{"id":"{{id}}","orderId":"{{orderId}}","symbol":"BTC-PERP","time":{{VenueClient.NowMs()}},"respInst":"ACK"}""");

        Assert.Equal(0, answer.Code);
        var data = answer.Json.GetProperty("data");
        Assert.Equal("cancel-order", data.GetProperty("meta").GetProperty("action").GetString());
        Assert.Equal(id, data.GetProperty("meta").GetProperty("id").GetString());
        Assert.Equal("ACK", data.GetProperty("meta").GetProperty("respInst").GetString());
        Assert.Equal(orderId, data.GetProperty("order").GetProperty("orderId").GetString());
        Assert.Equal("New", data.GetProperty("order").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Cancel_V2SignedWithV1Prehash_Answers200001()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var ts = VenueClient.NowMs().ToString(CultureInfo.InvariantCulture);

        var answer = await client.CancelAsync("kIXfMP72VfFDp653WoNqNGcpZCK9W7ts", v2: true, timestamp: ts,
            signature: VenueClient.Sign(TestVenues.Credentials.ApiSecret, ts, "order"));

        AssertShortErr(answer, 200001, "AUTHENTICATION_FAILED");
    }

    [Fact]
    public async Task Cancel_V2UnknownOrder_AnswersErr300006()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);

        var answer = await client.CancelAsync("kIXfMP72VfFDp653WoNqNGcpZCK9W7ts", v2: true);

        AssertOrderErr(answer, 300006, "INVALID_ORDER_ID");
    }

    [Fact]
    public async Task Cancel_UnknownPath_Answers404()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);

        using var http = new HttpClient(new SocketsHttpHandler()) { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await http.DeleteAsync(new Uri(venue.BaseUri, "/6/api/pro/v1/spot/order"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, venue.Stats.Streams);
    }

    [Fact]
    public async Task Cancel_SameRequestIdTwice_CountsOneDuplicate()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var body = VenueClient.CancelBody("sPWweX8baCYeFsKdmqZEmHdpliWaJuGm", "kIXfMP72VfFDp653WoNqNGcpZCK9W7ts", Symbol, VenueClient.NowMs());

        await client.CancelAsync("x", body: body);
        await client.CancelAsync("x", body: body);

        Assert.Equal(1, venue.Stats.DuplicateRequestIds);
    }

    [Fact]
    public async Task Stats_AfterMixedTraffic_ReconcilesInProcessAndAsJson()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var orders = venue.Book.SeedGenerated(3, Symbol);
        foreach (var orderId in orders)
        {
            await client.CancelAsync(orderId);
        }

        await client.CancelAsync(orders[0]);
        await client.CancelAsync(orders[0], apiKey: "nobody");

        using var stats = await client.StatsAsync();

        var root = stats.RootElement;
        Assert.Equal(5, venue.Stats.Streams);
        Assert.Equal(3, venue.Stats.Acked);
        Assert.Equal(2, venue.Stats.Rejected);
        Assert.Equal(5, root.GetProperty("streams").GetInt64());
        Assert.Equal(3, root.GetProperty("acked").GetInt64());
        Assert.Equal(2, root.GetProperty("rejected").GetInt64());
        Assert.Equal(1, root.GetProperty("checks").GetProperty("already-canceled").GetInt64());
        Assert.Equal(1, root.GetProperty("checks").GetProperty("unknown-api-key").GetInt64());
        Assert.Equal(0, root.GetProperty("duplicateRequestIds").GetInt64());
        Assert.Equal(1, root.GetProperty("connectionsOpened").GetInt64());
        Assert.Equal(0, root.GetProperty("faults").GetProperty("server-error").GetInt64());
    }

    [Fact]
    public async Task Cancel_ThousandConcurrentOnSeededBook_EveryOrderAckedOnce()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var orders = venue.Book.SeedGenerated(1_000, Symbol);

        var answers = await Task.WhenAll(orders.Select(id => client.CancelAsync(id)));

        Assert.All(answers, a => Assert.Equal(0, a.Code));
        Assert.Equal(1_000, venue.Stats.Acked);
        Assert.Equal(0, venue.Book.OpenCount);
        Assert.Equal(0, venue.Stats.DuplicateRequestIds);
    }

    [Fact]
    public async Task Restart_SamePortWithTheBookAndStats_ContinuesWhereTheStoppedVenueLeftOff()
    {
        var first = await TestVenues.StartAsync();
        var orders = first.Book.SeedGenerated(2, Symbol);
        var body = VenueClient.CancelBody("sPWweX8baCYeFsKdmqZEmHdpliWaJuGm", orders[0], Symbol, VenueClient.NowMs());
        using (var client = new VenueClient(first))
        {
            Assert.Equal(0, (await client.CancelAsync(orders[0], body: body)).Code);
        }

        await first.DisposeAsync();

        await using var second = await VenueServer.StartAsync(new VenueOptions
        {
            Port = first.Port, Credentials = TestVenues.Credentials, Book = first.Book, Stats = first.Stats,
        });
        using var again = new VenueClient(second);
        var resent = await again.CancelAsync(orders[0], body: body);
        var other = await again.CancelAsync(orders[1]);

        Assert.Equal(first.Port, second.Port);
        Assert.Equal(300006, resent.Code);
        Assert.Equal(0, other.Code);
        Assert.Same(first.Book, second.Book);
        Assert.Same(first.Stats, second.Stats);
        Assert.Equal(2, second.Stats.Acked);
        Assert.Equal(1, second.Stats.Count(VenueCheck.AlreadyCanceled));
        Assert.Equal(1, second.Stats.DuplicateRequestIds);
        Assert.Equal(2, second.Stats.ConnectionsOpened);
    }

    private static void AssertOrderErr(VenueAnswer answer, long code, string reason)
    {
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(code, answer.Code);
        Assert.Equal(reason, answer.Reason);
        Assert.Equal("Err", answer.Json.GetProperty("status").GetString());
        Assert.Equal(answer.SentRequestId, answer.Json.GetProperty("info").GetProperty("id").GetString());
        Assert.True(answer.Json.GetProperty("info").TryGetProperty("symbol", out _));
    }

    private static void AssertShortErr(VenueAnswer answer, long code, string reason)
    {
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(code, answer.Code);
        Assert.Equal(reason, answer.Reason);
        Assert.False(string.IsNullOrEmpty(answer.Json.GetProperty("message").GetString()));
        Assert.False(answer.Json.TryGetProperty("info", out _));
    }
}
