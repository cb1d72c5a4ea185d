namespace Oms.Load.Tests;

/// <summary>The <c>symbol orderId</c> files that <c>oms load --order-ids</c> reads and <c>oms venue --orders-out</c> writes.</summary>
public sealed class OrderIdsFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"oms-order-ids-{Guid.NewGuid():N}.txt");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Read_CommentsAndBlankLines_AreSkipped()
    {
        File.WriteAllLines(_path, ["# seeded", "", "BTC-PERP a1", "  ETH-PERP   a2  ", "BTC-PERP a3"]);

        var orders = OrderIdsFile.Read(_path);

        Assert.Equal([("BTC-PERP", "a1"), ("ETH-PERP", "a2"), ("BTC-PERP", "a3")], orders);
    }

    [Fact]
    public void Read_Limit_StopsThere()
    {
        File.WriteAllLines(_path, ["S a1", "S a2", "S a3"]);

        Assert.Equal(2, OrderIdsFile.Read(_path, limit: 2).Count);
    }

    [Fact]
    public void Read_RunOfOneSymbol_SharesOneString()
    {
        File.WriteAllLines(_path, ["BTC-PERP a1", "BTC-PERP a2"]);

        var orders = OrderIdsFile.Read(_path);

        Assert.Same(orders[0].Symbol, orders[1].Symbol);
    }

    [Fact]
    public void Read_LineOfOneField_NamesFileAndLine()
    {
        File.WriteAllLines(_path, ["S a1", "a2"]);

        var e = Assert.Throws<FormatException>(() => OrderIdsFile.Read(_path));

        Assert.Equal($"{_path}:2: expected 'symbol orderId'", e.Message);
    }

    [Fact]
    public void Read_CheckRefuses_NamesFileLineAndReason()
    {
        File.WriteAllLines(_path, ["S good", "S bad"]);

        var e = Assert.Throws<FormatException>(() => OrderIdsFile.Read(_path, check: (_, id) => id == "bad" ? "not this one" : null));

        Assert.Equal($"{_path}:2: not this one", e.Message);
    }
}
