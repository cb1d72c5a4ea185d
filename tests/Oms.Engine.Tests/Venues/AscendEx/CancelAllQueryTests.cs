namespace Oms.Engine.Tests.Venues.AscendEx;

public sealed class CancelAllQueryTests
{
    [Fact]
    public void Path_V1AndV2_TheGroupsFuturesOrderAll()
    {
        Assert.Equal("/5/api/pro/v1/futures/order/all", CancelAllQuery.Path(CancelProfile.V1, "5"));
        Assert.Equal("/5/api/pro/v2/futures/order/all", CancelAllQuery.Path(CancelProfile.V2, "5"));
        Assert.Equal("order/all", CancelAllQuery.Prehash(CancelProfile.V1));
        Assert.Equal("v2/futures/order/all", CancelAllQuery.Prehash(CancelProfile.V2));
    }

    [Fact]
    public void Body_OneSymbol_NamesIt() =>
        Assert.Equal("""{"symbol":"BTC-PERP"}""", Encoding.UTF8.GetString(CancelAllQuery.Body("BTC-PERP")));

    [Fact]
    public void Body_TheWholeAccount_IsAnEmptyObject() =>
        Assert.Equal("{}", Encoding.UTF8.GetString(CancelAllQuery.Body(null)));

    [Fact]
    public void Headers_SignedOverOrderAll()
    {
        const string secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQ=";
        var credentials = new ApiCredentials("key", secret);

        var headers = CancelAllQuery.Headers(CancelProfile.V1, credentials, 1_700_000_000_000);

        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var expected = Convert.ToBase64String(hmac.ComputeHash(Encoding.ASCII.GetBytes("1700000000000+order/all")));
        Assert.Contains(("x-auth-key", "key"), headers);
        Assert.Contains(("x-auth-timestamp", "1700000000000"), headers);
        Assert.Contains(("x-auth-signature", expected), headers);
    }

    [Fact]
    public void ParseAnswer_TheDocumentedAck_Succeeds() =>
        CancelAllQuery.ParseAnswer("""{"code":0,"data":{"ac":"FUTURES","accountId":"futX","action":"cancel-all","status":"Ack","info":{"id":"","orderId":"","orderType":"NULL_VAL","symbol":"","timestamp":1}}}"""u8);

    [Theory]
    [InlineData("""{"code":200001,"reason":"AUTHENTICATION_FAILED","message":"bad key"}""", 200001)]
    [InlineData("""{"code":100001,"reason":"INVALID_HTTP_INPUT","message":"x"}""", 100001)]
    [InlineData("""{"status":"Ack"}""", -1)]
    [InlineData("<html>404</html>", -1)]
    [InlineData("", -1)]
    public void ParseAnswer_AnythingElse_ThrowsWithTheCode(string body, long code)
    {
        var e = Assert.Throws<VenueQueryException>(() => CancelAllQuery.ParseAnswer(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(code, e.Code);
    }
}
