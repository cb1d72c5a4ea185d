namespace Oms.Engine.Tests.Faults;

/// <summary>Streams and connections that die: timeouts, resets, GOAWAY, a venue that allows one stream at a time.</summary>
[Collection(FaultCollection.Name)]
public sealed class TransportFaultTests
{
    [Fact]
    public async Task Venue_NeverAnswersAShare_TimedOutResentAndEveryOutcomeDecided()
    {
        await using var fault = await FaultRun.CancelSeededAsync(600, AckRelation.AtLeast, StreamRelation.Exact,
            new VenueOptions { Faults = new VenueFaults { NeverAnswerShare = 0.1 } },
            s => s with { RequestTimeout = TimeSpan.FromMilliseconds(300) });
        var (run, orders, counters) = fault;

        var neverAnswered = run.Venue.Stats.Count(VenueFault.NeverAnswered);
        Assert.True(neverAnswered > 0, "The venue held no stream: the fault did not happen.");
        Assert.True(counters.Retries + run.Engine.GetFailedCount(CancelFailureReason.TransportExhausted) >= neverAnswered, $"{neverAnswered} held streams, {counters}");
        AssertEachKnownOrderCanceledOrLost(run);
        Assert.True(counters.Acked >= orders.Count * 95 / 100, run.Listener.Summary());
    }

    [Fact]
    public async Task Venue_ResetsTheConnectionEveryNStreams_InFlightResentAndEveryOutcomeDecided()
    {
        // At most 16 streams in flight per connection, so that a reset every 50 streams loses some answers, not all.
        // With a full pipeline up to a third of the attempts die in a reset, so a cancel may be lost several times in
        // a row when the machine is busy: ten resends make running out of attempts negligible, and every order acked.
        await using var fault = await FaultRun.CancelSeededAsync(600, AckRelation.AtLeast, StreamRelation.AtMost,
            new VenueOptions { MaxConcurrentStreams = 16, Faults = new VenueFaults { ResetEveryNStreams = 50 } },
            s => s with { RequestTimeout = TimeSpan.FromSeconds(2), RetryAttempts = 10 });
        var (run, orders, counters) = fault;

        Assert.True(run.Venue.Stats.Count(VenueFault.ConnectionReset) > 0, "No connection was reset.");
        Assert.True(run.Venue.Stats.ConnectionsOpened > 2, "The engine never reconnected.");
        Assert.True(counters.Retries > 0, counters.ToString());
        Assert.Equal(orders.Count, counters.Acked + run.Listener.CountOf(VenueReason.InvalidOrderId));
        AssertEachKnownOrderCanceledOrLost(run);
    }

    /// <remarks>
    /// Kestrel names in its final GOAWAY the highest stream it has opened and finishes those; streams the engine sent
    /// before reading it are above it, never processed, and must be resent at once on another connection. That race
    /// needs the engine to be sending when the GOAWAY leaves: with 16 streams a connection it sends whenever an answer
    /// frees one, which every run measured (24 of 24, at least 12 streams resent each) made it lose. A connection retired
    /// after 10 streams has not proved the venue well, so by default it would be replaced only after the reconnect
    /// back-off, as GOAWAYs that come too often must be; a zero reset period makes any connection that served an answer
    /// count as proven, so each is replaced at once and the race is met over a hundred times. The race needs a reader
    /// thread reading the GOAWAY while the consumer sends: a consumer that reads its connections itself
    /// (<see cref="CancelEngineSettings.ReadOnConsumer"/>) reads it between two sends, and lost the race in only 2 of 6 runs.
    /// </remarks>
    [Fact]
    public async Task Venue_SendsGoAwayEveryNStreams_UnprocessedResentAndEveryOutcomeDecided()
    {
        await using var fault = await FaultRun.CancelSeededAsync(1200, AckRelation.AtLeast, StreamRelation.AtMost,
            new VenueOptions { MaxConcurrentStreams = 16, Faults = new VenueFaults { GoAwayEveryNStreams = 10 } },
            s => s with { RequestTimeout = TimeSpan.FromSeconds(2), ReconnectBackoffResetAfter = TimeSpan.Zero, ReadOnConsumer = false });
        var (run, orders, counters) = fault;

        var stats = run.Venue.Stats;
        Assert.True(stats.Count(VenueFault.GoAway) > 0, "No GOAWAY was sent.");
        Assert.True(stats.ConnectionsOpened > 2, "The engine never reconnected.");
        Assert.True(run.Engine.TransportCounters!.GoAwaysReceived > 0, "The engine read no GOAWAY.");

        // Streams above a GOAWAY's last-stream-id never reached the venue's handler: each was resent, so the engine
        // sent more requests than the venue saw streams, by the retries and no more.
        Assert.True(counters.Retries > 0, $"Nothing was resent: {counters}");
        Assert.Equal(counters.Requests, stats.Streams + counters.Retries);
        AssertEachKnownOrderCanceledOrLost(run);
        Assert.Equal(orders.Count, run.Listener.CountOf("acked") + run.Listener.CountOf(VenueReason.InvalidOrderId));
    }

    /// <remarks>
    /// The venue stops (every connection with it) while the first half of the cancels is in flight, and comes back on the
    /// same port with its book: answers lost with the connections are resent on the new ones, and meet the book as the
    /// stopped venue left it (Ack, or 300006 for an order it had canceled before its answer was lost).
    /// </remarks>
    [Fact]
    public async Task Venue_StopsMidRunAndComesBackOnTheSamePort_EngineReconnectsAndEveryOutcomeDecided()
    {
        using var checker = new InvariantChecker();
        await using var run = await VenueRun.StartAsync(
            new VenueOptions { Faults = new VenueFaults { LatencyMs = 100, JitterMs = 50 } },
            s => s with { RequestTimeout = TimeSpan.FromSeconds(2) });
        var orders = run.Seed(600);
        var firstHalf = orders.Take(300).ToArray();
        var secondHalf = orders.Skip(300).ToArray();

        run.CancelAll(firstHalf);
        await WaitUntilAsync(() => run.Venue.Stats.Acked >= 50, "the venue acked 50 cancels");
        var ackedBeforeStop = run.Venue.Stats.Acked;
        var connectionsBeforeStop = run.Venue.Stats.ConnectionsOpened;
        await run.RestartVenueAsync(TimeSpan.FromMilliseconds(300));
        run.CancelAll(secondHalf);
        await run.WaitForOutcomesAsync();
        var counters = await checker.StopAndVerifyAsync(run, AckRelation.AtLeast, StreamRelation.AtMost);

        Assert.True(ackedBeforeStop < firstHalf.Length, $"The first half was over before the venue stopped ({ackedBeforeStop} acked).");
        Assert.True(run.Venue.Stats.ConnectionsOpened > connectionsBeforeStop, "The engine never reconnected.");
        Assert.True(run.Engine.TransportCounters!.Reconnects > 0, "The client counted no reconnect.");
        Assert.True(counters.Retries > 0, $"Nothing in flight at the stop was resent: {counters}");
        AssertEachKnownOrderCanceledOrLost(run);
        Assert.Equal(0, run.Listener.CountOf("failed"));
        Assert.Equal(orders.Count, run.Listener.CountOf("acked") + run.Listener.CountOf(VenueReason.InvalidOrderId));
        Assert.All(orders, orderId => Assert.Equal(OrderBookState.Canceled, run.Venue.Book.GetState(orderId)));

        // What was handed over after the restart could only ever reach the new venue: all of it is acked.
        var secondHalfSet = secondHalf.ToHashSet(StringComparer.Ordinal);
        Assert.All(run.Listener.Outcomes.Values.Where(o => secondHalfSet.Contains(o.OrderId)), o => Assert.Equal("acked", o.Kind));
    }

    [Fact]
    public async Task Venue_AllowsOneStreamPerConnection_EveryCancelWaitsItsTurnAndIsAcked()
    {
        using var checker = new InvariantChecker();
        await using var run = await VenueRun.StartAsync(new VenueOptions { MaxConcurrentStreams = 1 });
        var orders = run.Seed(300);

        run.CancelAll(orders);
        await run.WaitForOutcomesAsync();
        await checker.StopAndVerifyAsync(run, AckRelation.Exact, StreamRelation.Exact);

        Assert.Equal(orders.Count, run.Listener.CountOf("acked"));
        Assert.Equal(orders.Count, run.Venue.Stats.Acked);
        Assert.Equal(0, run.Venue.Stats.Rejected);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < FakeEngine.Bound, $"Not seen within {FakeEngine.Bound.TotalSeconds} s: {what}.");
            await Task.Delay(1);
        }
    }

    /// <summary>
    /// Acked orders are canceled (the checker proves it); an order rejected 300006 was canceled by an earlier attempt
    /// whose answer was lost; a failed one may or may not have reached the book. Nothing else may happen.
    /// </summary>
    internal static void AssertEachKnownOrderCanceledOrLost(VenueRun run)
    {
        foreach (var outcome in run.Listener.Outcomes.Values)
        {
            switch (outcome.Kind)
            {
                case "acked":
                    break;
                case "rejected":
                    Assert.Equal(VenueReason.InvalidOrderId, outcome.Reason);
                    Assert.Equal(OrderBookState.Canceled, run.Venue.Book.GetState(outcome.OrderId));
                    break;
                case "failed":
                    Assert.Equal(CancelFailureReason.TransportExhausted, outcome.Failure);
                    break;
                default:
                    Assert.Fail($"Unexpected outcome {outcome}.");
                    break;
            }
        }

        // Every rejection the engine reports is one the venue made; the venue may have made more, whose answers a
        // reset then lost (the resend met another 300006).
        Assert.InRange(run.Listener.CountOf(VenueReason.InvalidOrderId), 0, run.Venue.Stats.Count(VenueCheck.AlreadyCanceled));
    }
}
