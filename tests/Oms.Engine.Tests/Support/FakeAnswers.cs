namespace Oms.Engine.Tests.Support;

/// <summary>Answer bodies in the shapes of the contract and the facts sheet, for a <see cref="FakeSender"/> to return.</summary>
internal static class FakeAnswers
{
    /// <summary>The account id the contract's examples carry.</summary>
    public const string AccountId = "fut1FfjKA3W1L7XZOipGKZNFBb34GRQ3";

    /// <summary>The CDN's 429 page: HTML, not JSON.</summary>
    public const string TooManyRequestsHtml =
        "<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n</body>\r\n</html>\r\n";

    /// <summary>The CDN's 403 page.</summary>
    public const string ForbiddenHtml =
        "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n</body>\r\n</html>\r\n";

    /// <summary>The contract's v1 Ack for a request, echoing its id, order id and symbol.</summary>
    public static byte[] Ack(FakeRequest request) => Ack(request.Id ?? "", request.OrderId ?? "", request.Symbol ?? "");

    /// <summary>The contract's v1 Ack with the given echoed values.</summary>
    public static byte[] Ack(string id, string orderId, string symbol) => Encoding.UTF8.GetBytes(
        "{\"code\":0,\"data\":{\"accountId\":\"" + AccountId + "\",\"ac\":\"FUTURES\",\"action\":\"cancel-order\",\"status\":\"Ack\","
        + "\"info\":{\"id\":\"" + id + "\",\"orderId\":\"" + orderId + "\",\"orderType\":\"\",\"symbol\":\"" + symbol
        + "\",\"timestamp\":" + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "}}}");

    /// <summary>The contract's v1 Err: top-level fields and <c>info.id</c> echoing the request's id.</summary>
    public static byte[] OrderErr(FakeRequest request, long code, string reason, string message) => OrderErr(request.Id ?? "", request.Symbol ?? "", code, reason, message);

    /// <summary>The contract's v1 Err with a given echoed id.</summary>
    public static byte[] OrderErr(string id, string symbol, long code, string reason, string message) => Encoding.UTF8.GetBytes(
        "{\"code\":" + code.ToString(CultureInfo.InvariantCulture) + ",\"accountId\":\"" + AccountId + "\",\"ac\":\"FUTURES\",\"action\":\"cancel-order\",\"status\":\"Err\","
        + "\"message\":\"" + message + "\",\"reason\":\"" + reason + "\",\"info\":{\"id\":\"" + id + "\",\"symbol\":\"" + symbol + "\"}}");

    /// <summary>An error that is not about the order and echoes no id, as 200001 is answered.</summary>
    public static byte[] ShortErr(long code, string reason, string message) => Encoding.UTF8.GetBytes(
        "{\"code\":" + code.ToString(CultureInfo.InvariantCulture) + ",\"reason\":\"" + reason + "\",\"message\":\"" + message + "\"}");

    /// <summary>The same id with its last character changed: plausible, but not the one sent.</summary>
    public static string WrongId(string id) => string.Concat(id.AsSpan(0, id.Length - 1), id[^1] == 'Z' ? "Y" : "Z");
}
