namespace Oms.Engine.Tests.Faults;

/// <summary>The venue says "not now" (500, 429, 403), "your clock is off" (100011) or "who are you" (200001).</summary>
[Collection(FaultCollection.Name)]
public sealed class VenueErrorFaultTests
{
    [Fact]
    public async Task Venue_Answers500And429And403ToAShare_BackedOffResentAndAcked()
    {
        await using var fault = await FaultRun.CancelSeededAsync(600, AckRelation.Exact, StreamRelation.Exact, new VenueOptions
        {
            Faults = new VenueFaults { ServerErrorShare = 0.1, TooManyRequestsShare = 0.1, ForbiddenShare = 0.05, RetryAfterSeconds = 1 },
        });
        var (run, orders, counters) = fault;

        var stats = run.Venue.Stats;
        var faulted = stats.Count(VenueFault.ServerError) + stats.Count(VenueFault.TooManyRequests) + stats.Count(VenueFault.Forbidden);
        Assert.True(stats.Count(VenueFault.ServerError) > 0 && stats.Count(VenueFault.TooManyRequests) > 0 && stats.Count(VenueFault.Forbidden) > 0, "A fault kind never happened.");

        // Every faulted answer was either retried or, at the end of the attempts, reported.
        Assert.Equal(faulted, counters.Retries + run.Engine.GetFailedCount(CancelFailureReason.VenueUnavailable));
        Assert.Equal(stats.CancelRequests, counters.Requests - faulted);
        Assert.Equal(orders.Count, counters.Acked + run.Engine.GetFailedCount(CancelFailureReason.VenueUnavailable));
        Assert.Equal(0, stats.Rejected);

        // Every 429 and 403 carried retry-after: each was honoured (the 500s carried none).
        Assert.Equal(stats.Count(VenueFault.TooManyRequests) + stats.Count(VenueFault.Forbidden), counters.RetryAfterHonoured);
    }

    [Fact]
    public async Task Venue_ClockFortySecondsAhead_ResignedOnceThenRejectedAndSkewReported()
    {
        await using var fault = await FaultRun.CancelSeededAsync(200, AckRelation.Exact, StreamRelation.Exact, new VenueOptions { Faults = new VenueFaults { ClockOffsetMs = 40_000 } });
        var (run, orders, counters) = fault;

        Assert.All(run.Listener.Outcomes.Values, o => Assert.Equal(("rejected", 100011L, VenueReason.InvalidTimestamp), (o.Kind, o.Code, o.Reason)));
        Assert.Equal(2 * orders.Count, counters.Requests);
        Assert.Equal(2 * orders.Count, counters.ClockSkewEvents);
        Assert.InRange(counters.LastClockSkewSeconds, 38, 42);
        Assert.Equal(2 * orders.Count, run.Venue.Stats.Count(VenueCheck.StaleTimestamp));
        Assert.Equal(0, run.Venue.Stats.Acked);
        Assert.All(orders, orderId => Assert.Equal(OrderBookState.Open, run.Venue.Book.GetState(orderId)));
    }

    [Fact]
    public async Task Venue_RefusesTheSecret_FailsFastStopsSendingAndRefusesLaterIntents()
    {
        using var checker = new InvariantChecker();
        // The venue's latency keeps the first 200001 away until all 50 intents are in (later ones are refused at the call).
        await using var run = await VenueRun.StartAsync(
            new VenueOptions { Faults = new VenueFaults { LatencyMs = 250 } },
            credentials: venue => new ApiCredentials(venue.Credentials.ApiKey, "not-the-venue-secret"));
        var orders = run.Seed(100);

        run.CancelAll(orders.Take(50));
        await run.WaitForOutcomesAsync();
        var requestsAtFailure = run.Engine.GetCounters().Requests;
        var laterAccepted = orders.Skip(50).Count(orderId => run.TryCancel(orderId) > 0);
        await Task.Delay(100);
        var counters = await checker.StopAndVerifyAsync(run, AckRelation.Exact, StreamRelation.Exact);

        Assert.All(run.Listener.Outcomes.Values, o => Assert.Equal(("failed", CancelFailureReason.AuthenticationFailed), (o.Kind, o.Failure)));
        Assert.Equal(0, laterAccepted);
        Assert.True(counters.AuthenticationFailed);
        Assert.Equal(50, counters.Refusals);
        // Nothing proved the key before the first answer, so no more than the engine's unproven-key limit went out.
        Assert.InRange(counters.Requests, 1, 4);
        Assert.Equal(requestsAtFailure, counters.Requests);
        Assert.Equal(counters.Requests, run.Venue.Stats.CancelRequests);
        Assert.Equal(counters.Requests, run.Venue.Stats.Count(VenueCheck.BadSignature));
        Assert.All(orders, orderId => Assert.Equal(OrderBookState.Open, run.Venue.Book.GetState(orderId)));
    }
}
