using System.Diagnostics;

namespace Oms.Venue.Tests.Handling;

/// <summary>The venue as a small matching engine: fills that win the race, cancels that take effect after a delay, seeded.</summary>
public sealed class MatchingRulesTests
{
    private const string Symbol = "BTC-PERP";
    private const string AlreadyFinal = "The order is already filled or canceled.";

    private static string FixedOrderId(int i) => "a" + i.ToString("D31", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Cancel_OrderThatFillsBeforeItsCancel_Answers300006AlreadyFilledAndStatusSaysFilled()
    {
        await using var venue = await TestVenues.StartAsync(new VenueOptions { FillBeforeCancelShare = 1.0 });
        using var client = new VenueClient(venue);
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];

        var answer = await client.CancelAsync(orderId);
        var status = await client.StatusAsync(orderId);

        Assert.Equal(300006, answer.Code);
        Assert.Equal("INVALID_ORDER_ID", answer.Reason);
        Assert.Equal("Err", answer.Json.GetProperty("status").GetString());
        Assert.Equal(AlreadyFinal, answer.Json.GetProperty("message").GetString());
        Assert.Equal(answer.SentRequestId, answer.Json.GetProperty("info").GetProperty("id").GetString());
        Assert.False(answer.Json.TryGetProperty("data", out _));
        Assert.Equal("Filled", status.Json.GetProperty("data").GetProperty("status").GetString());
        Assert.True(venue.Book.TryGetOrder(orderId, out var order));
        Assert.Equal((OrderStatus.Filled, FillTiming.BeforeCancel), (order.Status, order.Fill));
        Assert.Equal(OrderBookState.Filled, venue.Book.GetState(orderId));
        Assert.Equal((1L, 0L, 0L, 0L), (venue.Stats.FilledBeforeCancel, venue.Stats.FilledAfterAck, venue.Stats.OrdersCanceled, venue.Stats.Acked));
        Assert.Equal(1, venue.Stats.Count(VenueCheck.AlreadyFilled));
    }

    [Fact]
    public async Task Cancel_OrderThatFillsAfterTheAck_AnswersAckThenStatusSaysFilled()
    {
        await using var venue = await TestVenues.StartAsync(new VenueOptions { FillAfterAckShare = 1.0 });
        using var client = new VenueClient(venue);
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];

        var answer = await client.CancelAsync(orderId);
        var status = await client.StatusAsync(orderId);
        var again = await client.CancelAsync(orderId);

        Assert.Equal(0, answer.Code);
        Assert.Equal("Ack", answer.Json.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal("Filled", status.Json.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal("0.1", status.Json.GetProperty("data").GetProperty("cumFilledQty").GetString());
        Assert.True(venue.Book.TryGetOrder(orderId, out var order));
        Assert.Equal((OrderStatus.Filled, FillTiming.AfterAck), (order.Status, order.Fill));
        Assert.Equal(AlreadyFinal, again.Json.GetProperty("message").GetString());
        Assert.Equal((0L, 1L, 0L, 1L), (venue.Stats.FilledBeforeCancel, venue.Stats.FilledAfterAck, venue.Stats.OrdersCanceled, venue.Stats.Acked));
    }

    [Fact]
    public async Task Cancel_WithCancelDelay_StatusSaysNewDuringTheDelayThenCanceled()
    {
        await using var venue = await TestVenues.StartAsync(new VenueOptions { CancelDelayMs = 400 });
        using var client = new VenueClient(venue);
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];

        var answer = await client.CancelAsync(orderId);
        var during = await client.StatusAsync(orderId);
        var stateDuring = venue.Book.GetState(orderId);
        var canceledDuring = venue.Stats.OrdersCanceled;
        var secondCancel = await client.CancelAsync(orderId);
        var deadline = Stopwatch.StartNew();
        while (venue.Book.GetState(orderId) == OrderBookState.Open && deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20);
        }

        var after = await client.StatusAsync(orderId);

        Assert.Equal(0, answer.Code);
        Assert.Equal("New", during.Json.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal(OrderBookState.Open, stateDuring);
        Assert.Equal(0, canceledDuring);
        Assert.Equal(300006, secondCancel.Code);
        Assert.Equal("Canceled", after.Json.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal(OrderBookState.Canceled, venue.Book.GetState(orderId));
        Assert.Equal(1, venue.Stats.OrdersCanceled);
    }

    [Fact]
    public async Task Cancel_PlainWithoutDelay_StatusSaysCanceledAtOnce()
    {
        await using var venue = await TestVenues.StartAsync(new VenueOptions());
        using var client = new VenueClient(venue);
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];

        var answer = await client.CancelAsync(orderId);
        var status = await client.StatusAsync(orderId);

        Assert.Equal(0, answer.Code);
        Assert.Equal("Canceled", status.Json.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal(1, venue.Stats.OrdersCanceled);
    }

    [Fact]
    public async Task DisposeAsync_CancelsStillDelayed_StopsInBoundedTimeAndLeavesThemFinal()
    {
        var venue = await TestVenues.StartAsync(new VenueOptions { CancelDelayMs = 60_000 });
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];
        using (var client = new VenueClient(venue))
        {
            Assert.Equal(0, (await client.CancelAsync(orderId)).Code);
        }

        var stopping = Stopwatch.StartNew();
        await venue.DisposeAsync();
        var deadline = Stopwatch.StartNew();
        while (venue.Book.GetState(orderId) == OrderBookState.Open && deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(10);
        }

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Equal(OrderBookState.Canceled, venue.Book.GetState(orderId));
    }

    [Fact]
    public async Task Cancel_SameSeedAndIds_FillTheSameOrdersWhateverTheOrder()
    {
        const int orders = 300;
        var first = await CancelAllAsync(seed: 7, reverse: false);
        var second = await CancelAllAsync(seed: 7, reverse: true);
        var otherSeed = await CancelAllAsync(seed: 8, reverse: false);

        Assert.Equal(first.Outcomes, second.Outcomes);
        Assert.NotEqual(first.Outcomes, otherSeed.Outcomes);
        var before = first.Outcomes.Count(o => o == FillTiming.BeforeCancel);
        var after = first.Outcomes.Count(o => o == FillTiming.AfterAck);
        Assert.InRange(before, orders * 0.2 - 30, orders * 0.2 + 30);
        Assert.InRange(after, orders * 0.1 - 25, orders * 0.1 + 25);
        Assert.Equal((long)before, first.Stats.FilledBeforeCancel);
        Assert.Equal((long)before, first.Stats.Count(VenueCheck.AlreadyFilled));
        Assert.Equal((long)after, first.Stats.FilledAfterAck);
        Assert.Equal(orders - before - after, first.Stats.OrdersCanceled);
        Assert.Equal(first.Stats.Acked, first.Stats.FilledAfterAck + first.Stats.OrdersCanceled);

        static async Task<(FillTiming[] Outcomes, VenueStats Stats)> CancelAllAsync(int seed, bool reverse)
        {
            await using var venue = await TestVenues.StartAsync(new VenueOptions { Seed = seed, FillBeforeCancelShare = 0.2, FillAfterAckShare = 0.1 });
            using var client = new VenueClient(venue);
            var ids = Enumerable.Range(0, orders).Select(FixedOrderId).ToArray();
            foreach (var id in ids)
            {
                venue.Book.TrySeed(id, Symbol);
            }

            foreach (var id in reverse ? ids.Reverse() : ids)
            {
                await client.CancelAsync(id);
            }

            return (ids.Select(id => venue.Book.TryGetOrder(id, out var order) ? order.Fill : FillTiming.None).ToArray(), venue.Stats);
        }
    }

    [Theory]
    [InlineData(0.7, 0.4, 0)]
    [InlineData(-0.1, 0, 0)]
    [InlineData(0, 1.5, 0)]
    [InlineData(0, 0, -1)]
    public async Task StartAsync_MatchingSettingOutOfRange_Throws(double before, double after, int delayMs)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => TestVenues.StartAsync(
            new VenueOptions { FillBeforeCancelShare = before, FillAfterAckShare = after, CancelDelayMs = delayMs }));
    }

    [Fact]
    public void TryCancel_ConcurrentCancelsOfOneOrder_ExactlyOneWins()
    {
        var book = new OrderBook();
        var ids = Enumerable.Range(0, 200).Select(FixedOrderId).ToArray();
        foreach (var id in ids)
        {
            book.TrySeed(id, Symbol);
        }

        var wins = 0;
        Parallel.For(0, 4, _ =>
        {
            foreach (var id in ids)
            {
                if (book.TryCancel(id, Symbol) == CancelResult.Canceled)
                {
                    Interlocked.Increment(ref wins);
                }
            }
        });

        Assert.Equal(ids.Length, wins);
        Assert.Equal(0, book.OpenCount);
        Assert.Empty(book.OpenOrders());
    }
}
