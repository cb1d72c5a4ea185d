namespace Oms.Engine.Tests.Venues.AscendEx;

public sealed class CancelRequestWriterTests
{
    private static readonly byte[] s_requestId = "sPWweX8baCYeFsKdmqZEmHdpliWaJuGm"u8.ToArray();
    private static readonly byte[] s_orderId = "kIXfMP72VfFDp653WoNqNGcpZCK9W7ts"u8.ToArray();
    private static readonly byte[] s_symbol = "BTC-PERP"u8.ToArray();
    private const long Time = 1573596082932;

    /// <summary>The golden bodies: v1 as the contract has it, v2 with its respInst (ACK by default, or the one asked for).</summary>
    [Theory]
    [InlineData("v1", "kIXfMP72VfFDp653WoNqNGcpZCK9W7ts", """{"id":"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm","orderId":"kIXfMP72VfFDp653WoNqNGcpZCK9W7ts","symbol":"BTC-PERP","time":1573596082932}""")]
    [InlineData("v2", "kIXfMP72VfFDp653WoNqNGcpZCK9W7ts", """{"id":"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm","orderId":"kIXfMP72VfFDp653WoNqNGcpZCK9W7ts","symbol":"BTC-PERP","time":1573596082932,"respInst":"ACK"}""")]
    [InlineData("v2-done", "a1", """{"id":"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm","orderId":"a1","symbol":"BTC-PERP","time":1573596082932,"respInst":"DONE"}""")]
    public void Write_EachProfile_ProducesGoldenBody(string profile, string orderId, string expected)
    {
        using var writer = new CancelRequestWriter(profile switch
        {
            "v1" => CancelProfile.V1,
            "v2" => CancelProfile.V2,
            _ => CancelProfile.V2With(CancelRespInst.Done),
        });

        string body = Encoding.UTF8.GetString(writer.Write(s_requestId, Encoding.ASCII.GetBytes(orderId), s_symbol, Time));

        Assert.Equal(expected, body);
    }

    [Fact]
    public void Write_ShorterBodyAfterLongerOne_CarriesNothingOver()
    {
        using var writer = new CancelRequestWriter(CancelProfile.V1);
        writer.Write(s_requestId, s_orderId, "1000SHIB-PERP"u8, Time);

        string body = Encoding.UTF8.GetString(writer.Write(s_requestId, s_orderId, "ETH"u8, 1608133910000));

        Assert.Equal(
            """{"id":"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm","orderId":"kIXfMP72VfFDp653WoNqNGcpZCK9W7ts","symbol":"ETH","time":1608133910000}""",
            body);
    }

    [Fact]
    public void Write_WorstCaseEscapingAtTheBounds_FitsAndRoundTrips()
    {
        using var writer = new CancelRequestWriter(CancelProfile.V2);
        byte[] symbol = Encoding.ASCII.GetBytes(new string('<', CancelProfile.MaxSymbolLength));
        byte[] orderId = Encoding.ASCII.GetBytes(new string('-', CancelProfile.V2.MaxOrderIdLength));

        byte[] body = writer.Write(s_requestId, orderId, symbol, long.MaxValue).ToArray();

        using JsonDocument document = JsonDocument.Parse(body);
        JsonElement root = document.RootElement;
        Assert.Equal(new string('<', CancelProfile.MaxSymbolLength), root.GetProperty("symbol").GetString());
        Assert.Equal(new string('-', 32), root.GetProperty("orderId").GetString());
        Assert.Equal(long.MaxValue, root.GetProperty("time").GetInt64());
        Assert.InRange(body.Length, 1, writer.Capacity);
    }

    [Fact]
    public void Write_FieldOrder_IsIdOrderIdSymbolTimeRespInst()
    {
        using var writer = new CancelRequestWriter(CancelProfile.V2);
        byte[] body = writer.Write(s_requestId, s_orderId, s_symbol, Time).ToArray();

        var reader = new Utf8JsonReader(body);
        var names = new List<string>();
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                names.Add(reader.GetString()!);
            }
        }

        Assert.Equal(["id", "orderId", "symbol", "time", "respInst"], names);
    }

    [Fact]
    public void Write_OrderIdLongerThanProfileAllows_Throws()
    {
        using var writer = new CancelRequestWriter(CancelProfile.V1);

        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => writer.Write(s_requestId, new byte[33], s_symbol, Time));
        Assert.Equal("orderId", exception.ParamName);
    }

    [Fact]
    public void Write_RequestIdTooLong_Throws()
    {
        using var writer = new CancelRequestWriter(CancelProfile.V1);

        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => writer.Write(new byte[33], s_orderId, s_symbol, Time));
        Assert.Equal("requestId", exception.ParamName);
    }

    [Fact]
    public void Write_SymbolTooLong_Throws()
    {
        using var writer = new CancelRequestWriter(CancelProfile.V1);

        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => writer.Write(s_requestId, s_orderId, new byte[CancelProfile.MaxSymbolLength + 1], Time));
        Assert.Equal("symbol", exception.ParamName);
    }

    [Theory]
    [InlineData(0, "requestId")]
    [InlineData(1, "orderId")]
    [InlineData(2, "symbol")]
    public void Write_EmptyField_Throws(int emptyField, string expectedParam)
    {
        using var writer = new CancelRequestWriter(CancelProfile.V1);
        byte[] requestId = emptyField == 0 ? [] : s_requestId;
        byte[] orderId = emptyField == 1 ? [] : s_orderId;
        byte[] symbol = emptyField == 2 ? [] : s_symbol;

        var exception = Assert.Throws<ArgumentException>(() => writer.Write(requestId, orderId, symbol, Time));
        Assert.Equal(expectedParam, exception.ParamName);
    }

    [Fact]
    public void Write_UnvalidatedSymbolBytes_StillYieldValidJson()
    {
        using var writer = new CancelRequestWriter(CancelProfile.V1);

        byte[] body = writer.Write(s_requestId, s_orderId, [(byte)'A', 0xFF, (byte)'"', (byte)'\\'], Time).ToArray();

        using JsonDocument document = JsonDocument.Parse(body);
        Assert.Equal("A\uFFFD\"\\", document.RootElement.GetProperty("symbol").GetString());
    }

    [Fact]
    public void Write_AfterRefusedCall_StillWritesGoldenBody()
    {
        using var writer = new CancelRequestWriter(CancelProfile.V1);
        Assert.ThrowsAny<ArgumentException>(() => writer.Write(s_requestId, new byte[40], s_symbol, Time));

        string body = Encoding.UTF8.GetString(writer.Write(s_requestId, s_orderId, s_symbol, Time));

        Assert.Equal(
            """{"id":"sPWweX8baCYeFsKdmqZEmHdpliWaJuGm","orderId":"kIXfMP72VfFDp653WoNqNGcpZCK9W7ts","symbol":"BTC-PERP","time":1573596082932}""",
            body);
    }

    [Fact]
    public void Constructor_NullProfile_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new CancelRequestWriter(null!));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Write_SteadyState_AllocatesNothing(int version)
    {
        using var writer = new CancelRequestWriter(version == 1 ? CancelProfile.V1 : CancelProfile.V2);
        int totalLength = 0;
        for (int i = 0; i < 100; i++)
        {
            totalLength += writer.Write(s_requestId, s_orderId, s_symbol, Time + i).Length;
        }

        long allocated = AllocationMeter.LeastAllocatedBytes(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                totalLength += writer.Write(s_requestId, s_orderId, s_symbol, Time + i).Length;
            }
        });

        Assert.Equal(0, allocated);
        Assert.True(totalLength > 10_100 * 100);
    }
}
