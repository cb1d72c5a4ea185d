namespace Oms.Engine.Tests.Support;

/// <summary>
/// The contract's cancel-order bodies (AscendEX futures, v1 and v2) and the ids they echo, as the example tests and
/// the property tests of the response parser both read them.
/// </summary>
internal static class ContractBodies
{
    public const string AckId = "sPWweX8baCYeFsKdmqZEmHdpliWaJuGm";
    public const string ErrId = "ku30AehuWoHzMeyGEAS8heeDXpb1heOS";

    /// <summary>A rate limiter's HTML page in place of JSON, as a CDN in front of the venue sends it.</summary>
    public const string Html429 =
        "<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n";

    /// <summary>The contract's v1 ack example, comment included.</summary>
    public const string V1AckContract = """
        {
            "code": 0,
            "data": {
                "accountId": "fut1FfjKA3W1L7XZOipGKZNFBb34GRQ3",
                "ac": "CASH",
                "action": "cancel-order",
                "status": "Ack",
                "info": {
                    "id":        "sPWweX8baCYeFsKdmqZEmHdpliWaJuGm",
                    "orderId":   "kIXfMP72VfFDp653WoNqNGcpZCK9W7ts",
                    "orderType": "", // could be empty
                    "symbol":    "BTC-PERP",
                    "timestamp":  1573596082932
                }
            }
        }
        """;

    public const string V1Ack =
        """{"code":0,"data":{"accountId":"fut1FfjKA3W1L7XZOipGKZNFBb34GRQ3","ac":"FUTURES","action":"cancel-order","status":"Ack","info":{"id":"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm","orderId":"kIXfMP72VfFDp653WoNqNGcpZCK9W7ts","orderType":"","symbol":"BTC-PERP","timestamp":1573596082932}}}""";

    public const string V1ErrContract = """
        {
            "code": 300006,
            "accountId": "fut1FfjKA3W1L7XZOipGKZNFBb34GRQ3",
            "ac": "CASH",
            "action": "cancel-order",
            "status": "Err",
            "message": "Invalid Client Order Id: ku30AehuWoHzMeyGEAS8heeDXpb1heOS",
            "reason":  "INVALID_ORDER_ID",
            "info": {
                "id": "ku30AehuWoHzMeyGEAS8heeDXpb1heOS",
                "symbol":  "BTC-PERP"
            }
        }
        """;

    public const string V1Err =
        """{"code":300006,"accountId":"fut1FfjKA3W1L7XZOipGKZNFBb34GRQ3","ac":"CASH","action":"cancel-order","status":"Err","message":"Invalid Client Order Id: ku30AehuWoHzMeyGEAS8heeDXpb1heOS","reason":"INVALID_ORDER_ID","info":{"id":"ku30AehuWoHzMeyGEAS8heeDXpb1heOS","symbol":"BTC-PERP"}}""";

    public const string AuthFailed = """{"code":200001,"reason":"AUTHENTICATION_FAILED","message":"API signature mismatch"}""";

    public const string V2Ack =
        """{"code":0,"data":{"meta":{"action":"cancel-order","id":"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm","respInst":"ACK"},"order":{"ac":"FUTURES","accountId":"fut1FfjKA3W1L7XZOipGKZNFBb34GRQ3","time":1573596082932,"orderId":"kIXfMP72VfFDp653WoNqNGcpZCK9W7ts","seqNum":-1,"orderType":"Limit","side":"Buy","symbol":"BTC-PERP","price":"7000","orderQty":"0.1","status":"New","lastExecTime":1573596082932,"cumFilledQty":"0","errorCode":""}}}""";

    public const string V2Err =
        """{"code":300006,"ac":"FUTURES","accountId":"fut1FfjKA3W1L7XZOipGKZNFBb34GRQ3","action":"cancel-order","status":"Err","message":"Invalid Client Order Id: ku30AehuWoHzMeyGEAS8heeDXpb1heOS","reason":"INVALID_ORDER_ID","info":{"id":"ku30AehuWoHzMeyGEAS8heeDXpb1heOS","symbol":"BTC-PERP"}}""";
}
