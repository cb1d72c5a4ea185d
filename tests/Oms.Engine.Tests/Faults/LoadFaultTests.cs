namespace Oms.Engine.Tests.Faults;

/// <summary>More intents than the venue or the ring can take: expiry of what waited too long, refusals when full.</summary>
[Collection(FaultCollection.Name)]
public sealed class LoadFaultTests
{
    [Fact]
    public async Task Venue_SlowerThanTheWindow_QueuedIntentsExpireUnsentAndSentOnesAreAcked()
    {
        // One connection of 8 streams answering after 1.2 s, and a window of 0.5 s: whatever waits for a stream expires.
        await using var fault = await FaultRun.CancelSeededAsync(200, AckRelation.Exact, StreamRelation.Exact,
            new VenueOptions { MaxConcurrentStreams = 8, Faults = new VenueFaults { LatencyMs = 1200 } },
            s => s with { Connections = 1, ExpiryMargin = TimeSpan.FromSeconds(29.5) });
        var (run, orders, counters) = fault;

        Assert.True(counters.Expired > 0, counters.ToString());
        Assert.InRange(counters.Requests, 1, 2 * 8);
        Assert.Equal(counters.Requests, counters.Acked);
        Assert.Equal(orders.Count, counters.Acked + counters.Expired);
        Assert.Equal(counters.Requests, run.Venue.Stats.CancelRequests);
        var expiredOrders = run.Listener.Outcomes.Values.Where(o => o.Kind == "expired").Select(o => o.OrderId);
        Assert.All(expiredOrders, orderId => Assert.Equal(OrderBookState.Open, run.Venue.Book.GetState(orderId)));
    }

    [Fact]
    public async Task Engine_RingFillsUnderABurst_RefusalsCountedAndNothingAcceptedIsLost()
    {
        using var checker = new InvariantChecker();
        await using var run = await VenueRun.StartAsync(
            new VenueOptions { MaxConcurrentStreams = 4, Faults = new VenueFaults { LatencyMs = 5 } },
            s => s with { Connections = 1, RingSize = 16 });
        var orders = run.Seed(2000);

        var producers = Enumerable.Range(0, 2).Select(p => Task.Factory.StartNew(
            () =>
            {
                for (var i = p; i < orders.Count; i += 2)
                {
                    run.TryCancel(orders[i]);
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();
        await Task.WhenAll(producers).WaitAsync(FakeEngine.Bound);
        await run.WaitForOutcomesAsync();
        var counters = await checker.StopAndVerifyAsync(run, AckRelation.Exact, StreamRelation.Exact);

        var accepted = run.OrderIds.Values.ToHashSet(StringComparer.Ordinal);
        Assert.True(run.Refused > 0, "The ring never filled.");
        Assert.Equal(run.Refused, counters.RingFullRefusals);
        Assert.Equal(run.Refused, counters.Refusals);
        Assert.Equal(orders.Count, accepted.Count + run.Refused);
        Assert.Equal(accepted.Count, counters.Acked);
        Assert.Equal(accepted.Count, run.Venue.Stats.Acked);
        Assert.All(orders, orderId => Assert.Equal(accepted.Contains(orderId) ? OrderBookState.Canceled : OrderBookState.Open, run.Venue.Book.GetState(orderId)));
        Assert.Equal(0, run.Engine.GetRejectedCount(VenueReason.InvalidOrderId));
    }
}
