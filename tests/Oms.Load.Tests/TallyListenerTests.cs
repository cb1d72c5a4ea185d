using Oms.Engine;

namespace Oms.Load.Tests;

public sealed class TallyListenerTests
{
    [Fact]
    public void OnFate_EachKind_IsCountedApartAndInTheTotal()
    {
        var tally = new TallyListener();

        tally.OnFate(1, "a"u8, OrderFate.Canceled);
        tally.OnFate(2, "b"u8, OrderFate.Canceled);
        tally.OnFate(3, "c"u8, OrderFate.Filled);
        tally.OnFate(4, "d"u8, OrderFate.NotFound);
        tally.OnFate(5, "e"u8, OrderFate.Unconfirmed);

        Assert.Equal(
            (2L, 1L, 0L, 1L, 1L, 5L),
            (tally.Fate(OrderFate.Canceled), tally.Fate(OrderFate.Filled), tally.Fate(OrderFate.Open), tally.Fate(OrderFate.NotFound), tally.Fate(OrderFate.Unconfirmed), tally.Fates));
    }

    [Fact]
    public void OnFate_FromFourThreads_CountsEveryFate()
    {
        var tally = new TallyListener();
        var fates = new[] { OrderFate.Canceled, OrderFate.Filled, OrderFate.Open, OrderFate.NotFound, OrderFate.Unconfirmed };

        Parallel.For(0, 4, thread =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                tally.OnFate(i, "x"u8, fates[i % fates.Length]);
            }
        });

        Assert.Equal(40_000, tally.Fates);
        Assert.All(fates, fate => Assert.Equal(8_000, tally.Fate(fate)));
    }

    [Fact]
    public void OnFate_WithANextListener_PassesEveryFateOn()
    {
        var next = new FateRecorder();
        var tally = new TallyListener(next);

        tally.OnFate(7, "order-7"u8, OrderFate.Filled);

        Assert.Equal([(7L, "order-7", OrderFate.Filled)], next.Fates);
    }

    private sealed class FateRecorder : ICancelListener
    {
        public List<(long Tag, string OrderId, OrderFate Fate)> Fates { get; } = [];

        public void OnAcked(long tag, ReadOnlySpan<byte> orderId)
        {
        }

        public void OnRejected(long tag, ReadOnlySpan<byte> orderId, long code, Oms.Engine.Venues.VenueReason reason, ReadOnlySpan<byte> message)
        {
        }

        public void OnFailed(long tag, ReadOnlySpan<byte> orderId, CancelFailureReason reason, ReadOnlySpan<byte> detail)
        {
        }

        public void OnExpired(long tag, ReadOnlySpan<byte> orderId)
        {
        }

        public void OnFate(long tag, ReadOnlySpan<byte> orderId, OrderFate fate) => Fates.Add((tag, System.Text.Encoding.ASCII.GetString(orderId), fate));
    }
}
