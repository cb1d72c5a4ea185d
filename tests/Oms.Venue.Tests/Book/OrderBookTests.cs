namespace Oms.Venue.Tests.Book;

public sealed class OrderBookTests
{
    [Fact]
    public void TryCancel_OpenOrder_CancelsOnceThenSaysAlreadyCanceled()
    {
        var book = new OrderBook();
        Assert.True(book.TrySeed("kIXfMP72VfFDp653WoNqNGcpZCK9W7ts", "BTC-PERP"));

        var first = book.TryCancel("kIXfMP72VfFDp653WoNqNGcpZCK9W7ts", "BTC-PERP");
        var second = book.TryCancel("kIXfMP72VfFDp653WoNqNGcpZCK9W7ts", "BTC-PERP");

        Assert.Equal(CancelResult.Canceled, first);
        Assert.Equal(CancelResult.AlreadyCanceled, second);
        Assert.Equal(OrderBookState.Canceled, book.GetState("kIXfMP72VfFDp653WoNqNGcpZCK9W7ts"));
        Assert.Equal(0, book.OpenCount);
    }

    [Fact]
    public void TryCancel_UnknownOrderOrOtherSymbol_IsUnknown()
    {
        var book = new OrderBook();
        book.TrySeed("kIXfMP72VfFDp653WoNqNGcpZCK9W7ts", "BTC-PERP");

        Assert.Equal(CancelResult.Unknown, book.TryCancel("kIXfMP72VfFDp653WoNqNGcpZCK9W7tX", "BTC-PERP"));
        Assert.Equal(CancelResult.Unknown, book.TryCancel("kIXfMP72VfFDp653WoNqNGcpZCK9W7ts", "ETH-PERP"));
        Assert.Equal(OrderBookState.Open, book.GetState("kIXfMP72VfFDp653WoNqNGcpZCK9W7ts"));
    }

    [Fact]
    public void TrySeed_SameIdTwice_IsRefusedTheSecondTime()
    {
        var book = new OrderBook();

        Assert.True(book.TrySeed("kIXfMP72VfFDp653WoNqNGcpZCK9W7ts", "BTC-PERP"));
        Assert.False(book.TrySeed("kIXfMP72VfFDp653WoNqNGcpZCK9W7ts", "BTC-PERP"));
    }

    [Fact]
    public void TryCancel_ManyThreadsRacingForEachOrder_ExactlyOneWinsPerOrder()
    {
        var book = new OrderBook();
        var ids = book.SeedGenerated(2_000, "BTC-PERP");
        var wins = 0;

        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            foreach (var id in ids)
            {
                if (book.TryCancel(id, "BTC-PERP") == CancelResult.Canceled)
                {
                    Interlocked.Increment(ref wins);
                }
            }
        });

        Assert.Equal(2_000, wins);
        Assert.Equal(0, book.OpenCount);
    }
}
