using Oms.Engine.Protocol;
using Oms.Engine.Tests.Support;
using Oms.Venue;
using Oms.Venue.Book;
using Oms.Venue.Stats;
using static Oms.Engine.Tests.Support.InvariantChecker;

namespace Oms.Engine.Tests.Faults;

/// <summary>Streams and connections that die: timeouts, resets, GOAWAY, a venue that allows one stream at a time.</summary>
[Collection(FaultCollection.Name)]
public sealed class TransportFaultTests
{
    [Fact]
    public async Task Venue_NeverAnswersAShare_TimedOutResentAndEveryOutcomeDecided()
    {
        using var checker = new InvariantChecker();
        await using var run = await VenueRun.StartAsync(
            new VenueOptions { Faults = new VenueFaults { NeverAnswerShare = 0.1 } },
            s => s with { RequestTimeout = TimeSpan.FromMilliseconds(300) });
        var orders = run.Seed(600);

        run.CancelAll(orders);
        await run.WaitForOutcomesAsync();
        var counters = await checker.StopAndVerifyAsync(run, AckRelation.AtLeast, StreamRelation.Exact);

        var neverAnswered = run.Venue.Stats.Count(VenueFault.NeverAnswered);
        Assert.True(neverAnswered > 0, "The venue held no stream: the fault did not happen.");
        Assert.True(counters.Retries + run.Engine.GetFailedCount(CancelFailureReason.TransportExhausted) >= neverAnswered, $"{neverAnswered} held streams, {counters}");
        AssertEachKnownOrderCanceledOrLost(run);
        Assert.True(counters.Acked >= orders.Count * 95 / 100, run.Listener.Summary());
    }

    /// <remarks>
    /// Cannot pass today because of a bug in Oms.Transport, not the engine: after a peer reset,
    /// <c>Http2Connection.Abort</c> disposes the socket and stream, then completes its <c>StreamPipeWriter</c>, which
    /// flushes buffered bytes into the disposed <c>NetworkStream</c> and throws. The exception escapes
    /// <c>ReadLoopAsync</c> unobserved, and <c>Abort</c> never reaches <c>_closed.TrySetResult</c>, so the pool never
    /// replaces the connection: runs were seen stalling for the whole venue window, then expiring what waited.
    /// </remarks>
    [Fact]
    public async Task Venue_ResetsTheConnectionEveryNStreams_InFlightResentAndEveryOutcomeDecided()
    {
        using var checker = new InvariantChecker();

        // At most 16 streams in flight per connection, so that a reset every 50 streams loses some answers, not all.
        // With a full pipeline up to a third of the attempts die in a reset, so a cancel may be lost several times in
        // a row when the machine is busy: ten resends make running out of attempts negligible, and every order acked.
        await using var run = await VenueRun.StartAsync(
            new VenueOptions { MaxConcurrentStreams = 16, Faults = new VenueFaults { ResetEveryNStreams = 50 } },
            s => s with { RequestTimeout = TimeSpan.FromSeconds(2), RetryAttempts = 10 });
        var orders = run.Seed(600);

        run.CancelAll(orders);
        await run.WaitForOutcomesAsync();
        var counters = await checker.StopAndVerifyAsync(run, AckRelation.AtLeast, StreamRelation.AtMost);

        Assert.True(run.Venue.Stats.Count(VenueFault.ConnectionReset) > 0, "No connection was reset.");
        Assert.True(run.Venue.Stats.ConnectionsOpened > 2, "The engine never reconnected.");
        Assert.True(counters.Retries > 0, counters.ToString());
        Assert.Equal(orders.Count, counters.Acked + run.Listener.CountOf(VenueReason.InvalidOrderId));
        AssertEachKnownOrderCanceledOrLost(run);
    }

    /// <remarks>
    /// Meets the same Oms.Transport bug as the reset case: when the venue closes a connection after its GOAWAY, the read
    /// loop's <c>Abort</c> can throw from <c>_output.Complete()</c> (seen in about one run in six), leaving an unobserved
    /// exception and a pool slot that is never reconnected.
    /// </remarks>
    [Fact]
    public async Task Venue_SendsGoAwayEveryNStreams_UnprocessedResentAndEveryOutcomeDecided()
    {
        using var checker = new InvariantChecker();
        await using var run = await VenueRun.StartAsync(
            new VenueOptions { Faults = new VenueFaults { GoAwayEveryNStreams = 40 } },
            s => s with { RequestTimeout = TimeSpan.FromSeconds(2) });
        var orders = run.Seed(600);

        run.CancelAll(orders);
        await run.WaitForOutcomesAsync();
        await checker.StopAndVerifyAsync(run, AckRelation.AtLeast, StreamRelation.AtMost);

        Assert.True(run.Venue.Stats.Count(VenueFault.GoAway) > 0, "No GOAWAY was sent.");
        Assert.True(run.Venue.Stats.ConnectionsOpened > 2, "The engine never reconnected.");
        AssertEachKnownOrderCanceledOrLost(run);
        Assert.Equal(orders.Count, run.Listener.CountOf("acked") + run.Listener.CountOf(VenueReason.InvalidOrderId));
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
