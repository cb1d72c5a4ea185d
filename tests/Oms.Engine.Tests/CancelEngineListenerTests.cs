namespace Oms.Engine.Tests;

/// <summary>The listener: called on the consumer thread only, and a listener that throws does not stop the engine.</summary>
[Collection(FakeEngine.Collection)]
public sealed class CancelEngineListenerTests
{
    [Fact]
    public async Task Listener_ReadsTheCountersWhenTold_EachOutcomeIsAlreadyCountedJoinedOnesIncluded()
    {
        var listener = new CounterReadingListener();
        await using var fake = FakeEngine.Start(listener: listener);
        listener.Engine = fake.Engine;

        // Two intents for one order (the second joins the first in flight), one for another order that is rejected.
        var first = fake.CancelFirst();
        fake.Cancel(FakeEngine.OrderId(1), tag: 2);
        fake.Cancel(FakeEngine.OrderId(3), tag: 3);
        var third = fake.Sender.WaitForRequest(1);
        await CancelEngineOutcomeTests.WaitUntilAsync(() => fake.Engine.GetCounters().Coalesced == 1, "the duplicate to join");
        fake.Sender.Ack(first);
        fake.Sender.Respond(third, 200, FakeAnswers.OrderErr(third, 300006, "INVALID_ORDER_ID", "unknown order"));
        await CancelEngineOutcomeTests.WaitUntilAsync(() => listener.Seen.Count == 3, "three outcomes");

        // Whoever is told an outcome finds it counted already, with every intent that shares it.
        Assert.Equal((2L, 0L), listener.Seen[1]);
        Assert.Equal((2L, 0L), listener.Seen[2]);
        Assert.Equal((2L, 1L), listener.Seen[3]);
    }

    /// <summary>Reads the engine's acked and rejected counters inside each callback.</summary>
    private sealed class CounterReadingListener : ICancelListener
    {
        public CancelEngine? Engine { get; set; }

        public System.Collections.Concurrent.ConcurrentDictionary<long, (long Acked, long Rejected)> Seen { get; } = new();

        public void OnAcked(long tag, ReadOnlySpan<byte> orderId) => Note(tag);

        public void OnRejected(long tag, ReadOnlySpan<byte> orderId, long code, Oms.Engine.Venues.VenueReason reason, ReadOnlySpan<byte> message) => Note(tag);

        public void OnFailed(long tag, ReadOnlySpan<byte> orderId, CancelFailureReason reason, ReadOnlySpan<byte> detail) => Note(tag);

        public void OnExpired(long tag, ReadOnlySpan<byte> orderId) => Note(tag);

        private void Note(long tag)
        {
            var counters = Engine!.GetCounters();
            Seen[tag] = (counters.Acked, counters.Rejected);
        }
    }

    [Fact]
    public async Task Listener_ThrowsOnSomeOutcomes_CountedAndTheEngineKeepsGoing()
    {
        var listener = new RecordingListener { ThrowFor = tag => tag % 3 == 0 };
        await using var fake = FakeEngine.Start(listener: listener);
        using var venue = new AutoResponder(fake.Sender, (sender, request) =>
        {
            if (request.Index % 2 == 0)
            {
                sender.Ack(request);
            }
            else
            {
                sender.Respond(request, 200, "garbage");
            }
        });

        fake.CancelOrders(30);

        var counters = await fake.WaitForOutcomesAndIdleAsync(30);

        Assert.Equal(10, counters.ListenerExceptions);
        Assert.Equal(30, listener.Count);
        Assert.Equal(0, listener.DoubleReports);
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task Listener_ThrowsOnAJoinedIntent_TheOtherJoinedTagsStillHearTheOutcome()
    {
        var listener = new RecordingListener { ThrowFor = tag => tag == 2 };
        await using var fake = FakeEngine.Start(listener: listener);
        var orderId = FakeEngine.OrderId(1);
        fake.Cancel(orderId, 1);
        var request = fake.Sender.WaitForRequest(0);
        fake.Cancel(orderId, 2);
        fake.Cancel(orderId, 3);
        await CancelEngineOutcomeTests.WaitUntilAsync(() => fake.Engine.GetCounters().Coalesced == 2, "the joiners");

        fake.Sender.Ack(request);
        var counters = await fake.WaitForOutcomesAndIdleAsync(3);

        Assert.All(listener.Outcomes.Values, o => Assert.Equal("acked", o.Kind));
        Assert.Equal((1L, 3L), (counters.ListenerExceptions, counters.Acked));
    }

    [Theory]
    [InlineData(WaitStrategyKind.Yielding)]
    [InlineData(WaitStrategyKind.Blocking)]
    [InlineData(WaitStrategyKind.Sleeping)]
    public async Task Listener_EveryKindOfOutcome_CalledOnTheConsumerThreadOnly(WaitStrategyKind wait)
    {
        var settings = FakeEngine.DefaultSettings with { WaitStrategy = wait, RetryAttempts = 0 };
        await using var fake = FakeEngine.Start(settings);
        using var venue = new AutoResponder(fake.Sender, (sender, request) =>
        {
            switch (request.Index % 4)
            {
                case 0:
                    sender.Ack(request);
                    break;
                case 1:
                    sender.Respond(request, 200, FakeAnswers.OrderErr(request, 300006, "INVALID_ORDER_ID", "x"));
                    break;
                case 2:
                    sender.Fail(request, Oms.Transport.Client.Http2StreamFailure.Reset);
                    break;
                default:
                    sender.Respond(request, 200, "");
                    break;
            }
        });

        fake.CancelOrders(40);

        await fake.WaitForOutcomesAsync(40);

        Assert.Equal(0, fake.Listener.WrongThreadCalls);
        Assert.Equal((10, 10, 20), (fake.Listener.CountOf("acked"), fake.Listener.CountOf("rejected"), fake.Listener.CountOf("failed")));
    }
}
