namespace Oms.Engine.Tests.Venues.AscendEx;

public sealed class OrderStreamProtocolTests
{
    private const string Id32 = "a18bcdef0123U1234567890abcdefghi";

    public static IEnumerable<object?[]> Malformed =>
    [
        [""],
        ["   "],
        ["{"],
        ["{\"m\":\"order\",\"data\":{\"orderId\":\"a1\",\"st\":\"Canceled\"}"],
        ["{\"m\":\"order\",\"data\":{\"orderId\":\"a1\",\"st\":\"Canceled\"}}}"],
        ["{\"m\":\"ping\"} trailing"],
        ["[1,2,3]"],
        ["\"ping\""],
        ["null"],
        ["{\"m\":ping}"],
        ["{\"m\":\"pong\",\"ts\":12,}"],
        ["{\"m\":\"order\",\"data\":{\"orderId\":\"a\\ud800\",\"st\":\"Filled\"}}"],
        ["\u00ff\u00fe"],
    ];

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Parse_MalformedOrNotAnObject_IsOtherAndNeverThrows(string text)
    {
        var kind = Parse(text, out var message, out _);

        Assert.Equal(OrderStreamMessageKind.Other, kind);
        Assert.Equal(OrderStreamMessageKind.Other, message.Kind);
    }

    [Fact]
    public void Parse_EveryPrefixOfAnOrderMessage_IsOtherOrTheWholeMessage()
    {
        string whole = $$$"""{"m":"order","data":{"orderId":"{{{Id32}}}","st":"Canceled"}}""";
        for (int length = 0; length < whole.Length; length++)
        {
            Assert.Equal(OrderStreamMessageKind.Other, Parse(whole[..length], out _, out _));
        }

        Assert.Equal(OrderStreamMessageKind.Order, Parse(whole, out _, out _));
    }

    [Theory]
    [InlineData("""{"m":"connected","type":"auth"}""", true)]
    [InlineData("""{"op":"connected","type":"auth"}""", true)]
    [InlineData("""{"type":"auth","m":"connected"}""", true)]
    [InlineData("""{"m":"connected","type":"unauth"}""", false)]
    [InlineData("""{"m":"connected"}""", false)]
    public void Parse_Connected_SaysWhetherAuthenticated(string text, bool authenticated)
    {
        var kind = Parse(text, out var message, out _);

        Assert.Equal(OrderStreamMessageKind.Connected, kind);
        Assert.Equal(authenticated, message.Authenticated);
    }

    [Theory]
    [InlineData("""{"m":"sub","id":"oms-orders","ch":"order:futures","code":0}""", 0)]
    [InlineData("""{"m":"sub","id":"oms-orders","ch":"order:futures","code":100005,"err":"bad"}""", 100005)]
    [InlineData("""{"code":200006,"m":"sub"}""", 200006)]
    [InlineData("""{"m":"sub","code":"0"}""", -1)]
    public void Parse_SubAck_CarriesTheCode(string text, long code)
    {
        var kind = Parse(text, out var message, out _);

        Assert.Equal(OrderStreamMessageKind.SubAck, kind);
        Assert.Equal(code, message.Code);
    }

    [Fact]
    public void Parse_PingAndPong_AreClassified_PongCarriesTheServerTime()
    {
        Assert.Equal(OrderStreamMessageKind.Ping, Parse("""{"m":"ping","hp":3}""", out _, out _));
        Assert.Equal(OrderStreamMessageKind.Pong, Parse("""{"m":"pong","code":0,"ts":1700000000123,"hp":2}""", out var pong, out _));
        Assert.Equal(1_700_000_000_123, pong.ServerTimeMs);
        Assert.Equal(OrderStreamMessageKind.Pong, Parse("""{"m":"pong","ts":"soon"}""", out var odd, out _));
        Assert.Equal(0, odd.ServerTimeMs);
    }

    [Fact]
    public void Parse_Disconnected_CarriesTheCode()
    {
        var kind = Parse("""{"m":"disconnected","code":100005,"reason":"INVALID_WS_REQUEST_DATA","info":"missing pong"}""", out var message, out _);

        Assert.Equal(OrderStreamMessageKind.Disconnected, kind);
        Assert.Equal(100005, message.Code);
    }

    [Theory]
    [InlineData("""{"m":"order","accountId":"x","ac":"FUTURES","execId":229,"txNum":0,"data":{"orderId":"ID","s":"BTC-PERP","st":"Canceled","cfq":"0","q":"0.1","p":"8000","sd":"Buy","ot":"Limit","t":1586288919298,"err":""}}""", "Canceled")]
    [InlineData("""{"data":{"st":"Filled","orderId":"ID","extra":{"nested":[1,{"st":"New"}]}},"m":"order"}""", "Filled")]
    [InlineData("""{"m":"futures-order","orderId":"ID","st":"PartiallyFilled","cfq":"1","sn":9}""", "PartiallyFilled")]
    [InlineData("""{"st":"New","orderId":"ID","m":"futures-order"}""", "New")]
    [InlineData("""{"m":"order","orderId":"top-level-is-not-v1","data":{"orderId":"ID","st":"Rejected"}}""", "Rejected")]
    [InlineData("""{"m":"order","data":{"orderId":"\u0049D","st":"PendingNew"}}""", "PendingNew")]
    public void Parse_OrderMessage_V1AndV2_GiveIdAndStatus(string text, string status)
    {
        var kind = Parse(text.Replace("\"ID\"", $"\"{Id32}\"", StringComparison.Ordinal).Replace("\\u0049D", "\\u0061" + Id32[1..], StringComparison.Ordinal), out var message, out var id);

        Assert.Equal(OrderStreamMessageKind.Order, kind);
        Assert.Equal(Id32, id);
        Assert.Equal(Enum.Parse<VenueOrderStatus>(status), message.Status);
    }

    [Theory]
    [InlineData("""{"m":"order","data":{"orderId":"a1","st":"Expired"}}""")]
    [InlineData("""{"m":"order","data":{"orderId":"a1","st":"canceled"}}""")]
    [InlineData("""{"m":"order","data":{"orderId":"a1","st":7}}""")]
    [InlineData("""{"m":"order","data":{"orderId":"a1","st":{"x":"Canceled"}}}""")]
    [InlineData("""{"m":"order","data":{"orderId":"a1"}}""")]
    public void Parse_OrderWithUnknownOrMissingStatus_IsUnknown(string text)
    {
        var kind = Parse(text, out var message, out var id);

        Assert.Equal(OrderStreamMessageKind.Order, kind);
        Assert.Equal("a1", id);
        Assert.Equal(VenueOrderStatus.Unknown, message.Status);
    }

    [Theory]
    [InlineData("""{"m":"order","data":{"st":"Canceled"}}""")]
    [InlineData("""{"m":"order","orderId":"a1","st":"Canceled"}""")]
    [InlineData("""{"m":"order","data":{"orderId":"","st":"Canceled"}}""")]
    [InlineData("""{"m":"order","data":{"orderId":12,"st":"Canceled"}}""")]
    [InlineData("""{"m":"order","data":{"orderId":"a18bcdef0123U1234567890abcdefghi9","st":"Canceled"}}""")]
    [InlineData("""{"m":"order","data":[{"orderId":"a1","st":"Canceled"}]}""")]
    [InlineData("""{"m":"futures-order","data":{"orderId":"a1","st":"Canceled"}}""")]
    [InlineData("""{"m":"position","data":{"orderId":"a1","st":"Canceled"}}""")]
    [InlineData("""{"m":7,"data":{"orderId":"a1","st":"Canceled"}}""")]
    [InlineData("""{"m":"auth","id":"1","code":0}""")]
    [InlineData("""{}""")]
    public void Parse_OrderWithoutAUsableIdOrOtherMessages_IsOther(string text)
    {
        Assert.Equal(OrderStreamMessageKind.Other, Parse(text, out _, out _));
    }

    [Theory]
    [InlineData("New", VenueOrderStatus.New)]
    [InlineData("PendingNew", VenueOrderStatus.PendingNew)]
    [InlineData("PartiallyFilled", VenueOrderStatus.PartiallyFilled)]
    [InlineData("Filled", VenueOrderStatus.Filled)]
    [InlineData("Canceled", VenueOrderStatus.Canceled)]
    [InlineData("Rejected", VenueOrderStatus.Rejected)]
    [InlineData("Cancelled", VenueOrderStatus.Unknown)]
    [InlineData("", VenueOrderStatus.Unknown)]
    [InlineData("FILLED", VenueOrderStatus.Unknown)]
    internal void StatusWords_MapToVenueOrderStatus(string word, VenueOrderStatus status)
    {
        Assert.Equal(status, OrderStatusWords.FromUtf8(Encoding.UTF8.GetBytes(word)));
    }

    [Fact]
    public void Constants_PathsPrehashesChannelsAndMessages_AreTheVenues()
    {
        Assert.Equal("/4/api/pro/v1/stream", OrderStreamProtocol.Path(CancelApiVersion.V1, "4"));
        Assert.Equal("/4/api/pro/v2/stream", OrderStreamProtocol.Path(CancelApiVersion.V2, "4"));
        Assert.Equal("stream", OrderStreamProtocol.Prehash(CancelApiVersion.V1));
        Assert.Equal("v2/stream", OrderStreamProtocol.Prehash(CancelApiVersion.V2));
        Assert.Equal("""{"op":"ping"}""", Encoding.UTF8.GetString(OrderStreamProtocol.Ping));
        Assert.Equal("""{"op":"pong"}""", Encoding.UTF8.GetString(OrderStreamProtocol.Pong));
        using var v1 = JsonDocument.Parse(OrderStreamProtocol.Subscribe(CancelApiVersion.V1).ToArray());
        using var v2 = JsonDocument.Parse(OrderStreamProtocol.Subscribe(CancelApiVersion.V2).ToArray());
        Assert.Equal("order:futures", v1.RootElement.GetProperty("ch").GetString());
        Assert.Equal(OrderStreamProtocol.Channel(CancelApiVersion.V2), v2.RootElement.GetProperty("ch").GetString());
        Assert.Equal("sub", v2.RootElement.GetProperty("op").GetString());
    }

    [Fact]
    public void Parse_OrderMessage_AllocatesNothing()
    {
        byte[] json = Encoding.UTF8.GetBytes($$$"""{"m":"order","accountId":"x","execId":1,"data":{"orderId":"{{{Id32}}}","s":"BTC-PERP","st":"Canceled","t":1586288919298}}""");
        byte[] scratch = new byte[OrderStreamProtocol.OrderIdScratchLength];
        OrderStreamProtocol.Parse(json, scratch, out _);

        long bytes = AllocationMeter.LeastAllocatedBytes(() =>
        {
            for (int i = 0; i < 1_000; i++)
            {
                OrderStreamProtocol.Parse(json, scratch, out _);
            }
        });

        Assert.Equal(0, bytes);
    }

    private static OrderStreamMessageKind Parse(string text, out OrderStreamMessage message, out string id)
    {
        byte[] scratch = new byte[OrderStreamProtocol.OrderIdScratchLength];
        scratch.AsSpan().Fill(0xFF);
        var kind = OrderStreamProtocol.Parse(Encoding.UTF8.GetBytes(text), scratch, out message);
        Assert.Equal(kind, message.Kind);
        id = kind == OrderStreamMessageKind.Order ? Encoding.ASCII.GetString(scratch, 0, message.OrderIdLength) : "";
        return kind;
    }
}
