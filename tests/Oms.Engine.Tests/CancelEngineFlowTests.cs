namespace Oms.Engine.Tests;

/// <summary>How intents flow when they cannot all go at once: coalescing, expiry, back-pressure, the rate limiter.</summary>
[Collection(FakeEngine.Collection)]
public sealed class CancelEngineFlowTests
{
    [Fact]
    public async Task TryCancel_SameOrderWhileInFlight_NoSecondRequestAndBothTagsGetTheOutcome()
    {
        await using var fake = FakeEngine.Start();
        var orderId = FakeEngine.OrderId(1);
        fake.Cancel(orderId, tag: 1);
        var request = fake.Sender.WaitForRequest(0);

        fake.Cancel(orderId, tag: 2);
        await CancelEngineOutcomeTests.WaitUntilAsync(() => fake.Engine.GetCounters().Coalesced == 1, "the second intent to join the first");
        fake.Sender.Ack(request);
        var counters = await fake.WaitForOutcomesAndIdleAsync(2);

        Assert.Equal(1, fake.Sender.RequestCount);
        Assert.Equal("acked", fake.Listener.Outcomes[1].Kind);
        Assert.Equal(("acked", orderId), (fake.Listener.Outcomes[2].Kind, fake.Listener.Outcomes[2].OrderId));
        Assert.Equal((2L, 2L, 1L, 1L), (counters.Intents, counters.Acked, counters.Coalesced, counters.Requests));
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task TryCancel_SameOrderWhileInFlightThenRejected_EveryJoinedTagRejected()
    {
        await using var fake = FakeEngine.Start();
        var orderId = FakeEngine.OrderId(1);
        fake.Cancel(orderId, tag: 1);
        var request = fake.Sender.WaitForRequest(0);

        fake.Cancel(orderId, tag: 2);
        fake.Cancel(orderId, tag: 3);
        await CancelEngineOutcomeTests.WaitUntilAsync(() => fake.Engine.GetCounters().Coalesced == 2, "two intents to join the first");
        fake.Sender.Respond(request, 200, FakeAnswers.OrderErr(request, 300006, "INVALID_ORDER_ID", "already canceled"));
        var counters = await fake.WaitForOutcomesAndIdleAsync(3);

        Assert.All(fake.Listener.Outcomes.Values, o => Assert.Equal(("rejected", 300006L, "already canceled"), (o.Kind, o.Code, o.Text)));
        Assert.Equal(3, fake.Engine.GetRejectedCount(VenueReason.InvalidOrderId));
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task TryCancel_SameOrderAfterItsOutcome_SendsANewRequest()
    {
        await using var fake = FakeEngine.Start();
        var orderId = FakeEngine.OrderId(1);
        fake.Cancel(orderId, tag: 1);
        fake.Sender.Respond(fake.Sender.WaitForRequest(0), 200, FakeAnswers.ShortErr(510001, "SERVER_ERROR", "x"));
        fake.Sender.Respond(fake.Sender.WaitForRequest(1), 200, FakeAnswers.ShortErr(300006, "INVALID_ORDER_ID", "x"));
        await fake.Listener.WaitForTagAsync(1, FakeEngine.Bound);

        fake.Cancel(orderId, tag: 2);
        fake.Sender.Ack(fake.Sender.WaitForRequest(2));
        var second = await fake.Listener.WaitForTagAsync(2, FakeEngine.Bound);

        Assert.Equal("acked", second.Kind);
        Assert.Equal(0, fake.Engine.GetCounters().Coalesced);
        Assert.Equal(CancelState.Acked, fake.Engine.GetCancelState(orderId));
    }

    [Fact]
    public async Task TryCancel_MoreJoinersThanNodes_ExtraJoinerFailedStateTableFullOthersShareTheOutcome()
    {
        // A ring of 2 gives 2 joiner nodes.
        await using var fake = FakeEngine.Start(FakeEngine.DefaultSettings with { RingSize = 2 });
        var orderId = FakeEngine.OrderId(1);
        fake.Cancel(orderId, tag: 1);
        var request = fake.Sender.WaitForRequest(0);
        for (var tag = 2; tag <= 4; tag++)
        {
            Assert.True(fake.Engine.TryCancel(orderId, "BTC-PERP", tag, FakeEngine.Bound, out var refusal), refusal.ToString());
        }

        await fake.Listener.WaitForTagAsync(4, FakeEngine.Bound);
        fake.Sender.Ack(request);
        var counters = await fake.WaitForOutcomesAndIdleAsync(4);

        Assert.Equal(("failed", CancelFailureReason.StateTableFull), (fake.Listener.Outcomes[4].Kind, fake.Listener.Outcomes[4].Failure));
        Assert.Equal(["acked", "acked", "acked"], new long[] { 1, 2, 3 }.Select(tag => fake.Listener.Outcomes[tag].Kind));
        Assert.Equal((2L, 1L), (counters.Coalesced, counters.Requests));
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task TryCancel_StateTableFullOfOrdersInFlight_FailedStateTableFullAndNotSent()
    {
        await using var fake = FakeEngine.Start(FakeEngine.DefaultSettings with { OrderStateCapacity = 16 });

        fake.CancelOrders(20);

        await fake.WaitForOutcomesAsync(4);
        var sent = fake.Sender.Requests;
        fake.Sender.AckAll(sent);

        var counters = await fake.WaitForOutcomesAndIdleAsync(20);

        Assert.Equal(16, sent.Count);
        Assert.Equal(16, fake.Listener.CountOf("acked"));
        Assert.Equal(4, fake.Listener.CountOf(CancelFailureReason.StateTableFull));
        Assert.Equal(4, fake.Engine.GetFailedCount(CancelFailureReason.StateTableFull));
        Assert.Equal((4L, 4L), (counters.StateTableFull, counters.Failed));
        Assert.Equal(16, counters.OrderStates);
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task TryCancel_TransportFullLongerThanTheWindow_ExpiredNeverSent()
    {
        var settings = FakeEngine.DefaultSettings with { ExpiryMargin = TimeSpan.FromSeconds(29.9) };
        await using var fake = FakeEngine.Start(settings);
        fake.Sender.RefuseWith = Http2SendResult.NoCapacity;

        fake.CancelOrders(5);

        // The window is 100 ms; the transport stays full for three times that.
        await Task.Delay(300);
        fake.Sender.RefuseWith = Http2SendResult.Sent;
        var counters = await fake.WaitForOutcomesAndIdleAsync(5);

        Assert.All(fake.Listener.Outcomes.Values, o => Assert.Equal("expired", o.Kind));
        Assert.Equal(0, fake.Sender.RequestCount);
        Assert.True(fake.Sender.Refused > 0);
        Assert.Equal((5L, 0L), (counters.Expired, counters.Requests));
        Assert.Equal(CancelState.Expired, fake.Engine.GetCancelState(FakeEngine.OrderId(0)));
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task TryCancel_RetryWhoseBackoffOutlivesTheWindow_FailedNotExpired()
    {
        // Sent once, then its retry could only go after the window: it was sent, so it is Failed, never Expired.
        var settings = FakeEngine.DefaultSettings with { ExpiryMargin = TimeSpan.FromSeconds(29), RetryBackoff = TimeSpan.FromSeconds(2) };
        await using var fake = FakeEngine.Start(settings);

        fake.Sender.Respond(fake.CancelFirst(), 500, "{\"code\":510001}");
        var outcome = await fake.Listener.WaitForTagAsync(1, FakeEngine.Bound);

        Assert.Equal(("failed", CancelFailureReason.VenueUnavailable), (outcome.Kind, outcome.Failure));
        Assert.Equal(CancelState.Failed, fake.Engine.GetCancelState(FakeEngine.OrderId(1)));
    }

    [Fact]
    public async Task TryCancel_RingSizeUnsentAlready_RefusedRingFullAndCounted()
    {
        await using var fake = FakeEngine.Start(FakeEngine.DefaultSettings with { RingSize = 4 });
        fake.Sender.RefuseWith = Http2SendResult.NoCapacity;

        var results = Enumerable.Range(0, 6).Select(i => (Accepted: fake.Engine.TryCancel(FakeEngine.OrderId(i), "BTC-PERP", i, out var refusal), Refusal: refusal)).ToArray();
        var during = fake.Engine.GetCounters();
        fake.Sender.RefuseWith = Http2SendResult.Sent;
        using var venue = new AutoResponder(fake.Sender);
        var counters = await fake.WaitForOutcomesAndIdleAsync(4);

        Assert.Equal([true, true, true, true, false, false], results.Select(r => r.Accepted));
        Assert.Equal([CancelRefusal.RingFull, CancelRefusal.RingFull], results.Skip(4).Select(r => r.Refusal));
        Assert.Equal((2L, 2L, 4L), (during.RingFullRefusals, during.Refusals, during.Intents));
        Assert.Equal(4, fake.Listener.CountOf("acked"));
        Assert.Equal([0L, 1L, 2L, 3L], fake.Listener.Outcomes.Keys.Order());
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task TryCancelWithWait_RingFullUntilTheTransportFrees_WaitsAndSucceeds()
    {
        await using var fake = FakeEngine.Start(FakeEngine.DefaultSettings with { RingSize = 4 });
        fake.Sender.RefuseWith = Http2SendResult.NoCapacity;
        fake.CancelOrders(4);

        var waiting = Task.Factory.StartNew(
            () => (fake.Engine.TryCancel(FakeEngine.OrderId(4), "BTC-PERP", 4, FakeEngine.Bound, out var refusal), refusal),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        await Task.Delay(50);
        var stillWaiting = !waiting.IsCompleted;
        fake.Sender.RefuseWith = Http2SendResult.Sent;
        var (accepted, refusal) = await waiting.WaitAsync(FakeEngine.Bound);
        using var venue = new AutoResponder(fake.Sender);
        await fake.WaitForOutcomesAsync(5);

        Assert.True(stillWaiting, "TryCancel with a wait returned while the ring was full.");
        Assert.True(accepted, refusal.ToString());
        Assert.Equal(5, fake.Listener.CountOf("acked"));
        Assert.Equal(0, fake.Engine.GetCounters().RingFullRefusals);
    }

    [Fact]
    public async Task TryCancelWithWait_RingStaysFull_GivesUpAfterItsDeadline()
    {
        await using var fake = FakeEngine.Start(FakeEngine.DefaultSettings with { RingSize = 4 });
        fake.Sender.RefuseWith = Http2SendResult.NoCapacity;
        fake.CancelOrders(4);

        var wait = TimeSpan.FromMilliseconds(60);
        var started = Stopwatch.GetTimestamp();
        var accepted = fake.Engine.TryCancel(FakeEngine.OrderId(4), "BTC-PERP", 4, wait, out var refusal);
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.False(accepted);
        Assert.Equal(CancelRefusal.RingFull, refusal);
        Assert.True(elapsed >= wait, $"Gave up after {elapsed}.");
        Assert.Equal(1, fake.Engine.GetCounters().RingFullRefusals);
    }

    [Fact]
    public async Task TryCancel_MoreAnswersAtOnceThanTheRingHolds_EveryCompletionStillDecided()
    {
        // A ring of 2 intents (4 slots): fifty answers arriving together cannot all be handed back through it.
        await using var fake = FakeEngine.Start(FakeEngine.DefaultSettings with { RingSize = 2 });
        for (var i = 0; i < 50; i++)
        {
            Assert.True(fake.Engine.TryCancel(FakeEngine.OrderId(i), "BTC-PERP", i, FakeEngine.Bound, out var refusal), refusal.ToString());
        }

        var requests = Enumerable.Range(0, 50).Select(fake.Sender.WaitForRequest).ToArray();
        fake.Sender.AckAll(requests);

        var counters = await fake.WaitForOutcomesAndIdleAsync(50);

        Assert.Equal(50, fake.Listener.CountOf("acked"));
        Assert.Equal(50, fake.Sender.RequestCount);
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task TryCancel_RateLimited_AllSentEventuallyAndNeverFasterThanTheBucketAllows()
    {
        const double rate = 20;
        const int burst = 2;
        await using var fake = FakeEngine.Start(FakeEngine.DefaultSettings with { RateLimitPerSecond = rate, RateLimitBurst = burst });
        using var venue = new AutoResponder(fake.Sender);

        fake.CancelOrders(10);

        await fake.WaitForOutcomesAsync(10);
        var requests = fake.Sender.Requests;

        Assert.Equal(10, requests.Count);
        Assert.Equal(10, fake.Listener.CountOf("acked"));

        // Request i needs i + 1 tokens: the burst, then one per 1/rate seconds. Lower bounds only, with 20 ms of
        // slack for the first request being recorded late (preempted after taking its token).
        for (var i = burst; i < requests.Count; i++)
        {
            var earliest = TimeSpan.FromSeconds((i + 1 - burst) / rate) - TimeSpan.FromMilliseconds(20);
            var actual = Stopwatch.GetElapsedTime(requests[0].RecordedTicks, requests[i].RecordedTicks);
            Assert.True(actual >= earliest, $"Request {i} went {actual} after the first; the bucket allows it at {earliest} at the earliest.");
        }
    }
}
