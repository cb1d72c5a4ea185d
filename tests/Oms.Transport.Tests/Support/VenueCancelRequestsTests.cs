using System.Net.Http.Headers;

namespace Oms.Transport.Tests.Support;

public sealed class VenueCancelRequestsTests
{
    [Fact]
    public async Task Create_Body_HasTheContractFieldsAndLengths()
    {
        await using var venue = await VenueServer.StartAsync(new VenueOptions());
        var requests = new VenueCancelRequests(venue);

        var cancel = requests.Create("a18e6a0b0e1U1234567890abcdefghi", nowMs: 1_700_000_000_123);

        using var json = JsonDocument.Parse(cancel.Body);
        Assert.Equal(cancel.RequestId, json.RootElement.GetProperty("id").GetString());
        Assert.Equal(32, cancel.RequestId.Length);
        Assert.True(cancel.RequestId.All(char.IsAsciiLetterOrDigit));
        Assert.Equal("a18e6a0b0e1U1234567890abcdefghi", json.RootElement.GetProperty("orderId").GetString());
        Assert.Equal("BTC-PERP", json.RootElement.GetProperty("symbol").GetString());
        Assert.Equal(1_700_000_000_123, json.RootElement.GetProperty("time").GetInt64());
        Assert.Equal("1700000000123"u8.ToArray(), cancel.Timestamp);
    }

    [Fact]
    public void Sign_KnownInput_MatchesHmacOfTimestampPlusOrder()
    {
        var secret = Encoding.UTF8.GetBytes("secret");
        using var hmac = new HMACSHA256(secret);
        var expected = Convert.ToBase64String(hmac.ComputeHash(Encoding.ASCII.GetBytes("1700000000123+order")));

        Assert.Equal(expected, VenueCancelRequests.Sign(secret, "1700000000123"));
    }

    [Fact]
    public async Task Create_ManyTimes_RequestIdsAreUnique()
    {
        await using var venue = await VenueServer.StartAsync(new VenueOptions());
        var requests = new VenueCancelRequests(venue);

        var ids = Enumerable.Range(0, 1000).Select(_ => requests.Create("x").RequestId).ToHashSet();

        Assert.Equal(1000, ids.Count);
    }

    [Fact]
    public async Task Create_SentByAnIndependentClient_VenueAnswersAckEchoingTheId()
    {
        // HttpClient, not our transport: proves the helper speaks the venue's contract on its own.
        await using var venue = await VenueServer.StartAsync(new VenueOptions());
        var requests = new VenueCancelRequests(venue);
        var orderId = venue.Book.SeedGenerated(1, VenueCancelRequests.Symbol)[0];
        var cancel = requests.Create(orderId);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Delete, venue.CancelUri())
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(cancel.Body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("x-auth-key", venue.Credentials.ApiKey);
        request.Headers.TryAddWithoutValidation("x-auth-timestamp", Encoding.ASCII.GetString(cancel.Timestamp));
        request.Headers.TryAddWithoutValidation("x-auth-signature", Encoding.ASCII.GetString(cancel.Signature));

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, VenueCancelRequests.Code(body));
        Assert.Equal(cancel.RequestId, VenueCancelRequests.EchoedId(body));
        Assert.Equal(1, venue.Stats.Acked);
    }

    [Fact]
    public void EchoedId_ErrShape_ReadsInfoId()
    {
        var body = """{"code":300013,"accountId":"a","ac":"FUTURES","action":"cancel-order","status":"Err","message":"m","reason":"r","info":{"id":"abc","symbol":"BTC-PERP"}}"""u8;

        Assert.Equal("abc", VenueCancelRequests.EchoedId(body));
        Assert.Equal(300013, VenueCancelRequests.Code(body));
    }

    [Fact]
    public void EchoedId_ShortErrWithoutInfo_IsNull()
    {
        Assert.Null(VenueCancelRequests.EchoedId("""{"code":200001,"reason":"AUTH","message":"m"}"""u8));
    }

    [Fact]
    public async Task Template_ConstantsAndVariables_FollowTheContract()
    {
        await using var venue = await VenueServer.StartAsync(new VenueOptions());

        var template = new VenueCancelRequests(venue).Template;

        Assert.Equal("DELETE", template.Method);
        Assert.Equal(venue.CancelUri().AbsolutePath, template.Path);
        Assert.Equal(2, template.VariableHeaderCount);
    }
}
