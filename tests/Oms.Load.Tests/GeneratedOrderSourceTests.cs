using Oms.Engine.Venues;
using Oms.Engine.Venues.AscendEx;

namespace Oms.Load.Tests;

public sealed class GeneratedOrderSourceTests
{
    [Fact]
    public void GetOrderId_EveryIndex_HasTheExchangeShapeAndPassesBothProfiles()
    {
        var source = new GeneratedOrderSource(1000, "BTC-PERP", placedAtMs: 1_573_596_082_932, userNumber: 42);
        Span<char> scratch = stackalloc char[OrderSource.MaxOrderIdLength];

        for (var i = 0; i < source.Count; i++)
        {
            var id = source.GetOrderId(i, scratch).ToString();

            Assert.Matches("^a[0-9a-f]{11}U[0-9]{10}[A-Za-z0-9]{9}$", id);
            Assert.StartsWith("a16e61a2b2f4U0000000042", id, StringComparison.Ordinal);
            Assert.True(CancelProfile.V1.TryValidate(id, source.GetSymbol(i), out _));
            Assert.True(CancelProfile.V2.TryValidate(id, source.GetSymbol(i), out _));
        }
    }

    [Fact]
    public void Constructor_HundredMillionOrders_StoresNothingPerOrder()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();

        var source = new GeneratedOrderSource(100_000_000, "BTC-PERP", placedAtMs: 1, userNumber: 1);

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(allocated, 0, 64 * 1024);
        Assert.Equal(100_000_000, source.Count);
        Assert.EndsWith("00006laZD", source.GetOrderId(99_999_999, stackalloc char[OrderSource.MaxOrderIdLength]).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void GetOrderId_ManyIndexes_AreDistinctAndTheSameEachTime()
    {
        var source = new GeneratedOrderSource(200_000, "BTC-PERP", placedAtMs: 1, userNumber: 1);
        Span<char> scratch = stackalloc char[OrderSource.MaxOrderIdLength];
        var seen = new HashSet<string>(StringComparer.Ordinal);

        for (var i = 0; i < source.Count; i++)
        {
            Assert.True(seen.Add(source.GetOrderId(i, scratch).ToString()));
        }

        Assert.Equal(source.GetOrderId(123_456, scratch).ToString(), source.GetOrderId(123_456, stackalloc char[OrderSource.MaxOrderIdLength]).ToString());
        Assert.EndsWith("000000000", source.GetOrderId(0, scratch).ToString(), StringComparison.Ordinal);
        Assert.EndsWith("00000000z", source.GetOrderId(61, scratch).ToString(), StringComparison.Ordinal);
        Assert.EndsWith("000000010", source.GetOrderId(62, scratch).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void GetOrderId_LargestIndex_StillHasItsOwnSuffix()
    {
        var source = new GeneratedOrderSource(int.MaxValue, "BTC-PERP", placedAtMs: 1, userNumber: 1);
        Span<char> scratch = stackalloc char[OrderSource.MaxOrderIdLength];

        var last = source.GetOrderId(int.MaxValue - 1, scratch).ToString();

        Assert.Equal(32, last.Length);
        Assert.NotEqual(source.GetOrderId(0, stackalloc char[OrderSource.MaxOrderIdLength]).ToString(), last);
        Assert.Throws<ArgumentOutOfRangeException>(() => source.GetOrderId(int.MaxValue, new char[OrderSource.MaxOrderIdLength]));
    }
}
