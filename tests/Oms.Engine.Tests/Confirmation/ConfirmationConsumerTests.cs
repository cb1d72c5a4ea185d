using System.Globalization;
using Oms.Engine.Tests.Consumer;

namespace Oms.Engine.Tests.Confirmation;

/// <summary>
/// Order fates on the consumer alone (no ring thread, a fake transport): which source settles each fate on each path,
/// when the venue is asked, how the asks are batched, and that cancels go first.
/// </summary>
public sealed class ConfirmationConsumerTests
{
    private static readonly ConfirmationSettings s_quick = new()
    {
        StreamWait = TimeSpan.FromMilliseconds(30),
        RecheckInterval = TimeSpan.FromMilliseconds(20),
        Deadline = TimeSpan.FromSeconds(10),
        MaxIdsPerStatusRequest = 50,
    };

    [Theory]
    [InlineData(VenueOrderStatus.Canceled, OrderFate.Canceled)]
    [InlineData(VenueOrderStatus.Filled, OrderFate.Filled)]
    [InlineData(VenueOrderStatus.Rejected, OrderFate.NotFound)]
    internal void Acked_StreamLive_TheStreamMessageSettlesTheFateWithoutAStatusQuery(VenueOrderStatus status, OrderFate expected)
    {
        using var harness = Start();
        harness.Notes.OnStreamLive();
        var id = FakeEngine.OrderId(1);
        Ack(harness, id, tag: 7);

        harness.Notes.OnOrderStatus(Encoding.ASCII.GetBytes(id), status);
        harness.DeliverCompletions();

        Assert.Equal((expected, id), harness.Listener.Fates[7]);
        Assert.Equal(0, harness.Listener.FateOrderViolations);
        Assert.Empty(harness.StatusRequests);
        Assert.Equal(expected, FateIn(harness, id));
    }

    [Fact]
    public void Acked_StreamLiveButSilent_AskedByStatusAfterTheStreamWait()
    {
        using var harness = Start();
        harness.Notes.OnStreamLive();
        var id = FakeEngine.OrderId(1);
        Ack(harness, id, tag: 7);
        harness.DeliverCompletions();
        Assert.Empty(harness.StatusRequests);
        Assert.Equal(OrderFate.Pending, FateIn(harness, id));

        var asked = AskedFor(harness, id);
        Answer(harness, asked, (id, "Canceled"));

        Assert.Equal(OrderFate.Canceled, harness.Listener.Fates[7].Fate);
        Assert.Equal(1, harness.Counters.Snapshot().StatusRequests);
    }

    [Theory]
    [InlineData("Filled", OrderFate.Filled)]
    [InlineData("Canceled", OrderFate.Canceled)]
    [InlineData(null, OrderFate.NotFound)]
    public void Rejected300006_AskedAtOnce_TheStatusSaysWhichOfTheThreeItWas(string? status, OrderFate expected)
    {
        // 300006 answers an unknown order and one already filled or canceled alike: only the status query tells.
        using var harness = Start();
        harness.Notes.OnStreamLive();
        var id = FakeEngine.OrderId(1);
        harness.Intent(id, tag: 7);
        harness.Sender.Respond(harness.Sender.Requests[0], 200, FakeAnswers.OrderErr(harness.Sender.Requests[0], 300006, "INVALID_ORDER_ID", "The order is already filled or canceled."));
        harness.DeliverCompletions();

        var asked = Assert.Single(harness.StatusRequests);
        Assert.Equal($"/7/api/pro/v1/futures/order/status?orderId={id},", asked.Path);
        Answer(harness, asked, status is null ? [] : [(id, status)]);

        Assert.Equal(expected, harness.Listener.Fates[7].Fate);
        Assert.Equal("rejected", harness.Listener.Outcomes[7].Kind);
    }

    [Fact]
    public void Acked_StatusSaysNewThenCanceled_TheRaceAfterTheAckIsAskedAgainUntilItSettles()
    {
        using var harness = Start();
        var id = FakeEngine.OrderId(1);
        Ack(harness, id, tag: 7);
        harness.DeliverCompletions();

        Answer(harness, AskedFor(harness, id), (id, "New"));
        Assert.False(harness.Listener.Fates.ContainsKey(7));
        Answer(harness, AskedFor(harness, id, after: 1), (id, "New"));
        Answer(harness, AskedFor(harness, id, after: 2), (id, "Filled"));

        Assert.Equal(OrderFate.Filled, harness.Listener.Fates[7].Fate);
        Assert.Equal(3, harness.StatusRequests.Count);
    }

    [Fact]
    public void Acked_StatusSaysNewUntilTheDeadline_FateOpenNotUnconfirmed()
    {
        using var harness = Start(s_quick with { Deadline = TimeSpan.FromMilliseconds(300) });
        var id = FakeEngine.OrderId(1);
        Ack(harness, id, tag: 7);
        harness.DeliverCompletions();

        var answered = 0;
        Assert.True(harness.IdleUntil(() =>
        {
            foreach (var request in harness.StatusRequests.Skip(answered))
            {
                Answer(harness, request, (id, "New"));
                answered++;
            }

            return harness.Listener.Fates.ContainsKey(7);
        }));

        Assert.Equal(OrderFate.Open, harness.Listener.Fates[7].Fate);
        Assert.True(answered >= 2, $"{answered} status answers");
    }

    [Theory]
    [InlineData("New")]
    [InlineData("PartiallyFilled")]
    public void Failed_StatusSaysStillResting_FateOpenAtOnce(string status)
    {
        using var harness = Start(s_quick, retryAttempts: 0);
        var id = FakeEngine.OrderId(1);
        harness.Intent(id, tag: 7);
        harness.Sender.Fail(harness.Sender.Requests[0], Http2StreamFailure.ConnectionLost);
        harness.DeliverCompletions();
        Assert.Equal("failed", harness.Listener.Outcomes[7].Kind);

        Answer(harness, AskedFor(harness, id), (id, status));

        Assert.Equal(OrderFate.Open, harness.Listener.Fates[7].Fate);
    }

    [Fact]
    public void ManyRejections_StatusQueriesBatchTheIdsUpToTheSettingWithATrailingComma()
    {
        using var harness = Start(s_quick with { MaxIdsPerStatusRequest = 50 });
        var ids = Enumerable.Range(1, 120).Select(i => FakeEngine.OrderId(i)).ToArray();
        for (var i = 0; i < ids.Length; i++)
        {
            harness.Intent(ids[i], tag: i);
        }

        // The harness has 64 in-flight entries: answer the cancels as they go out, until every one is refused.
        var answered = 0;
        while (answered < ids.Length)
        {
            foreach (var request in harness.Sender.RequestsAfter(0).Where(r => r.OrderId is not null).Skip(answered))
            {
                harness.Sender.Respond(request, 200, FakeAnswers.OrderErr(request, 300006, "INVALID_ORDER_ID", "The order is already filled or canceled."));
                answered++;
            }

            harness.DeliverCompletions();
        }

        var asked = harness.StatusRequests;
        Assert.All(asked, r => Assert.InRange(IdsOf(r).Length, 1, 50));
        Assert.Equal(ids.Order(StringComparer.Ordinal), asked.SelectMany(IdsOf).Order(StringComparer.Ordinal));
        Assert.True(asked.Count <= 4, $"{asked.Count} status queries for {ids.Length} ids: {string.Join(", ", asked.Select(r => IdsOf(r).Length))}");
        Assert.Contains(asked, r => IdsOf(r).Length == 50);
        Assert.All(asked, r => Assert.EndsWith(",", r.Path, StringComparison.Ordinal));
        Assert.All(asked, r => Assert.Equal("GET", r.Method));
        Assert.All(asked, r => Assert.Empty(r.Body));

        // Signed over order/status with the request's own timestamp; the query is never signed.
        var signer = new CancelSigner(FakeEngine.Credentials, "order/status");
        Assert.All(asked, r => Assert.Equal(Encoding.ASCII.GetString(signer.GetSignature(long.Parse(r.Timestamp, CultureInfo.InvariantCulture))), r.Signature));
    }

    [Fact]
    public void StatusQuery_LeavesTheLimitersLastTokenToTheNextCancel()
    {
        // One token a second, two at most: the first cancel takes one; the status query due after its 300006 must not
        // take the other, so the next cancel goes out at once.
        using var harness = Start(s_quick, rateLimit: 1, burst: 2);
        harness.Intent(FakeEngine.OrderId(1), tag: 1);
        harness.Sender.Respond(harness.Sender.Requests[0], 200, FakeAnswers.OrderErr(harness.Sender.Requests[0], 300006, "INVALID_ORDER_ID", "x"));
        harness.DeliverCompletions();
        for (var i = 0; i < 10; i++)
        {
            harness.Consumer.OnIdle();
        }

        Assert.Empty(harness.StatusRequests);
        harness.Intent(FakeEngine.OrderId(2), tag: 2);

        Assert.Equal(FakeEngine.OrderId(2), harness.Sender.Requests[1].OrderId);
    }

    [Fact]
    public void RetryAfterHoldingTheCancels_NoStatusQueryGoesOutUntilTheHeldCancelHasGone()
    {
        using var harness = Start(s_quick);
        harness.Intent(FakeEngine.OrderId(1), tag: 1);
        harness.Intent(FakeEngine.OrderId(2), tag: 2);
        var requests = harness.Sender.Requests;
        harness.Sender.Respond(requests[0], 200, FakeAnswers.OrderErr(requests[0], 300006, "INVALID_ORDER_ID", "x"));
        harness.Sender.Respond(requests[1], 429, retryAfterSeconds: 1, FakeAnswers.TooManyRequestsHtml);
        harness.DeliverCompletions();

        Assert.True(harness.IdleUntil(() => harness.StatusRequests.Count == 1));

        var resent = harness.Sender.Requests.Last(r => r.OrderId == FakeEngine.OrderId(2));
        Assert.True(resent.Index < harness.StatusRequests[0].Index, "a status query went out while a cancel was held");
        Assert.True(
            harness.StatusRequests[0].RecordedTicks - requests[1].RecordedTicks >= Stopwatch.Frequency * 9 / 10,
            "the status query did not wait for the venue's retry-after");
    }

    [Fact]
    public void StreamMessage_ForAnOrderNotPending_IsCountedAndChangesNothing()
    {
        using var harness = Start();
        harness.Notes.OnStreamLive();

        harness.Notes.OnOrderStatus(Encoding.ASCII.GetBytes(FakeEngine.OrderId(9)), VenueOrderStatus.Canceled);
        harness.DeliverCompletions();

        Assert.Equal(1, harness.Counters.Snapshot().StreamMessagesUnmatched);
        Assert.Equal(0, harness.Listener.FateCount);
        Assert.Equal(CancelState.None, harness.States.GetState(FakeEngine.OrderId(9)));
    }

    [Fact]
    public void StreamMessage_BeforeTheAck_SettlesTheFateAsTheOutcomeArrives()
    {
        using var harness = Start();
        harness.Notes.OnStreamLive();
        var id = FakeEngine.OrderId(1);
        harness.Intent(id, tag: 7);

        harness.Notes.OnOrderStatus(Encoding.ASCII.GetBytes(id), VenueOrderStatus.Filled);
        harness.DeliverCompletions();
        Assert.Equal(0, harness.Listener.FateCount);
        harness.Sender.Ack(harness.Sender.Requests[0]);
        harness.DeliverCompletions();

        Assert.Equal(OrderFate.Filled, harness.Listener.Fates[7].Fate);
        Assert.Equal(0, harness.Listener.FateOrderViolations);
        Assert.Empty(harness.StatusRequests);
    }

    [Fact]
    public void StreamGap_OrdersWaitingForTheStreamAreAskedAtOnce()
    {
        using var harness = Start(s_quick with { StreamWait = TimeSpan.FromMinutes(1) });
        harness.Notes.OnStreamLive();
        var id = FakeEngine.OrderId(1);
        Ack(harness, id, tag: 7);
        harness.DeliverCompletions();
        harness.Consumer.OnIdle();
        Assert.Empty(harness.StatusRequests);

        harness.Notes.OnStreamGap();
        harness.Consumer.OnIdle();

        Answer(harness, Assert.Single(harness.StatusRequests), (id, "Canceled"));
        Assert.Equal(OrderFate.Canceled, harness.Listener.Fates[7].Fate);
    }

    [Theory]
    [InlineData("""{"code":0,"data":{"accountId":"a","ac":"FUTURES","action":"cancel-order","status":"Ack","info":{"id":"x"}}}""")]
    [InlineData("<html>429 Too Many Requests</html>")]
    [InlineData("""{"code":0}""")]
    [InlineData("""{"code":100001,"reason":"INVALID_HTTP_INPUT","message":"bad"}""")]
    public void StatusAnswer_NotTheDocumentedShape_NeverReadsAsNotFound_UnconfirmedByTheDeadline(string body)
    {
        using var harness = Start(s_quick with { Deadline = TimeSpan.FromMilliseconds(300) });
        var id = FakeEngine.OrderId(1);
        Ack(harness, id, tag: 7);
        harness.DeliverCompletions();

        var answered = 0;
        Assert.True(harness.IdleUntil(() =>
        {
            foreach (var request in harness.StatusRequests.Skip(answered))
            {
                harness.Sender.Respond(request, 200, body);
                harness.DeliverCompletions();
                answered++;
            }

            return harness.Listener.Fates.ContainsKey(7);
        }));

        Assert.Equal(OrderFate.Unconfirmed, harness.Listener.Fates[7].Fate);
        Assert.True(harness.Counters.Snapshot().StatusFailures >= 1);
    }

    [Fact]
    public void CoalescedIntentsAndALaterCancelOfTheSameOrder_EachIntentGetsTheOneFate()
    {
        using var harness = Start(s_quick with { StreamWait = TimeSpan.FromMinutes(1) });
        harness.Notes.OnStreamLive();
        var id = FakeEngine.OrderId(1);
        harness.Intent(id, tag: 1);
        harness.Intent(id, tag: 2);
        harness.Sender.Ack(harness.Sender.Requests[0]);
        harness.DeliverCompletions();

        // A new cancel of the order while its fate is still awaited: one fate for all three.
        harness.Intent(id, tag: 3);
        harness.Sender.Ack(harness.Sender.Requests[1]);
        harness.DeliverCompletions();
        harness.Notes.OnOrderStatus(Encoding.ASCII.GetBytes(id), VenueOrderStatus.Canceled);
        harness.DeliverCompletions();

        Assert.Equal([OrderFate.Canceled, OrderFate.Canceled, OrderFate.Canceled], new long[] { 1, 2, 3 }.Select(t => harness.Listener.Fates[t].Fate));
        var counters = harness.Counters.Snapshot();
        Assert.Equal(3, counters.Canceled);
        Assert.Equal(0, counters.ConfirmationsPending);
        Assert.Equal(0, harness.Listener.FateOrderViolations);
    }

    [Fact]
    public void ConfirmationOff_NoFateNoStatusQueryNoPendingState()
    {
        using var harness = new ConsumerHarness(FakeEngine.DefaultSettings);
        var id = FakeEngine.OrderId(1);
        Ack(harness, id, tag: 7);
        harness.DeliverCompletions();
        for (var i = 0; i < 20; i++)
        {
            Thread.Sleep(2);
            harness.Consumer.OnIdle();
        }

        Assert.Equal(0, harness.Listener.FateCount);
        Assert.Empty(harness.StatusRequests);
        Assert.Equal(OrderFate.None, FateIn(harness, id));
    }

    private static ConsumerHarness Start(ConfirmationSettings? confirmation = null, double rateLimit = 0, int burst = 20, int retryAttempts = 3) =>
        new(FakeEngine.DefaultSettings with
        {
            Confirmation = confirmation ?? s_quick,
            RateLimitPerSecond = rateLimit,
            RateLimitBurst = burst,
            RetryAttempts = retryAttempts,
        });

    private static void Ack(ConsumerHarness harness, string id, long tag)
    {
        harness.Intent(id, tag);
        harness.Sender.Ack(harness.Sender.Requests.Last(r => r.OrderId == id));
    }

    private static OrderFate FateIn(ConsumerHarness harness, string id)
    {
        harness.States.GetState(id.AsSpan(), out var fate);
        return fate;
    }

    private static string[] IdsOf(FakeRequest request) =>
        request.Path[(request.Path.IndexOf("?orderId=", StringComparison.Ordinal) + 9)..].Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The next status query naming <paramref name="id"/>, idling the consumer until it is sent.</summary>
    private static FakeRequest AskedFor(ConsumerHarness harness, string id, int after = 0)
    {
        Assert.True(harness.IdleUntil(() => harness.StatusRequests.Count > after), $"no status query #{after + 1}");
        var request = harness.StatusRequests[after];
        Assert.Contains(id, IdsOf(request));
        return request;
    }

    private static void Answer(ConsumerHarness harness, FakeRequest request, params (string OrderId, string Status)[] orders)
    {
        var entries = string.Join(",", orders.Select(o => $$"""{"orderId":"{{o.OrderId}}","symbol":"BTC-PERP","status":"{{o.Status}}","cumFilledQty":"0","seqNum":1}"""));
        harness.Sender.Respond(request, 200, $$"""{"ac":"FUTURES","accountId":"acc","code":0,"data":[{{entries}}]}""");
        harness.DeliverCompletions();
    }
}
