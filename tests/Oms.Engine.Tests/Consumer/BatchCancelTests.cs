using System.Globalization;
using System.Text.Json;

namespace Oms.Engine.Tests.Consumer;

/// <summary>
/// Batch cancels on the consumer alone: a backlog behind the rate limiter leaves ten cancels to a request; each order
/// of a batch gets its own outcome, whatever its neighbours'.
/// </summary>
public sealed class BatchCancelTests
{
    private const string BatchPath = "/7/api/pro/v1/futures/order/batch";

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(10)]
    public void Backlog_BehindTheLimiter_LeavesInOneBatchAndEachOrderIsAcked(int backlog)
    {
        using var harness = Start();
        var ids = Backlog(harness, backlog);

        var batch = NextBatch(harness);
        Assert.Equal(ids, batch.Orders.Select(o => o.OrderId));
        Assert.Equal("DELETE", batch.Request.Method);
        Assert.Equal(backlog, batch.Orders.Select(o => o.Id).Distinct().Count());
        Assert.All(batch.Orders, o => Assert.Equal("BTC-PERP", o.Symbol));
        var signer = new CancelSigner(FakeEngine.Credentials, "order/batch");
        Assert.Equal(Encoding.ASCII.GetString(signer.GetSignature(long.Parse(batch.Request.Timestamp, CultureInfo.InvariantCulture))), batch.Request.Signature);

        harness.Sender.Respond(batch.Request, 200, BatchAck(batch.Orders));
        harness.DeliverCompletions();

        Assert.All(ids, id => Assert.Equal("acked", harness.Listener.Outcomes.Values.Single(o => o.OrderId == id).Kind));
        var counters = harness.Counters.Snapshot();
        Assert.Equal((1, backlog), (counters.BatchRequests, counters.BatchOrders));
        Assert.Equal(0, counters.IdMismatches);
        Assert.All(ids, id => Assert.Equal(CancelState.Acked, harness.States.GetState(id)));
    }

    [Fact]
    public void Backlog_OfTwelve_LeavesTenThenTwo()
    {
        using var harness = Start();
        var ids = Backlog(harness, 12);

        var first = NextBatch(harness);
        var second = NextBatch(harness, after: first.Request.Index);

        Assert.Equal(10, first.Orders.Length);
        Assert.Equal(2, second.Orders.Length);
        Assert.Equal(ids, first.Orders.Concat(second.Orders).Select(o => o.OrderId));
    }

    [Fact]
    public void Refused300013_OneBadAmongTen_TheBadOneGetsItsOwnCodeAndTheNineGoAgainWithNewIds()
    {
        using var harness = Start();
        var ids = Backlog(harness, 10);
        var batch = NextBatch(harness);
        var bad = batch.Orders[3];

        harness.Sender.Respond(batch.Request, 200, Refused(batch.Orders[3]));
        harness.DeliverCompletions();

        var rejected = harness.Listener.Outcomes.Values.Single(o => o.OrderId == bad.OrderId);
        Assert.Equal(("rejected", 300006L, VenueReason.InvalidOrderId), (rejected.Kind, rejected.Code, rejected.Reason));
        Assert.Equal("The order is already filled or canceled.", rejected.Text);
        Assert.Equal(1, harness.Listener.Count);

        var again = NextBatch(harness, after: batch.Request.Index);
        Assert.Equal(ids.Where(id => id != bad.OrderId), again.Orders.Select(o => o.OrderId));
        Assert.Empty(again.Orders.Select(o => o.Id).Intersect(batch.Orders.Select(o => o.Id)));
        harness.Sender.Respond(again.Request, 200, BatchAck(again.Orders));
        harness.DeliverCompletions();

        Assert.Equal(9, harness.Listener.CountOf("acked"));
        Assert.Equal(10, harness.Listener.Count);
        Assert.Equal(0, harness.Listener.DoubleReports);
    }

    [Fact]
    public void Refused300013_NamingAnOrderNotInTheBatch_IsCountedAndEveryOrderStillGetsItsOwnOutcome()
    {
        using var harness = Start();
        var ids = Backlog(harness, 4);
        var batch = NextBatch(harness);
        var stranger = new BatchOrder("zz", FakeEngine.OrderId(999), "BTC-PERP");

        harness.Sender.Respond(batch.Request, 200, Refused(batch.Orders[0], stranger));
        harness.DeliverCompletions();

        Assert.Equal(1, harness.Counters.Snapshot().IdMismatches);
        Assert.Equal("rejected", harness.Listener.Outcomes.Values.Single(o => o.OrderId == ids[0]).Kind);
        var again = NextBatch(harness, after: batch.Request.Index);
        Assert.Equal(ids.Skip(1), again.Orders.Select(o => o.OrderId));
    }

    [Fact]
    public void Ack_EchoingAnotherIdForOneOrder_ThatOrderIsReportedAsAMismatchAndStillAcked()
    {
        using var harness = Start();
        var ids = Backlog(harness, 3);
        var batch = NextBatch(harness);
        var echoed = batch.Orders.Select((o, i) => i == 1 ? o with { Id = "not-what-was-sent" } : o).ToArray();

        harness.Sender.Respond(batch.Request, 200, BatchAck(echoed));
        harness.DeliverCompletions();

        var mismatch = Assert.Single(harness.Listener.IdMismatches);
        Assert.Equal((batch.Orders[1].Id, "not-what-was-sent"), (mismatch.SentId, mismatch.EchoedId));
        Assert.Equal(3, harness.Listener.CountOf("acked"));
    }

    [Fact]
    public void WholeBatchTooManyRequests_EachOrderIsRetriedAndAckedOnce()
    {
        using var harness = Start();
        var ids = Backlog(harness, 5);
        var batch = NextBatch(harness);

        harness.Sender.Respond(batch.Request, 429, FakeAnswers.TooManyRequestsHtml);
        harness.DeliverCompletions();
        Assert.Equal(0, harness.Listener.Count);

        // Each goes again after its back-off (in batches or singly, as the limiter lets them out), and is acked once.
        var answered = batch.Request.Index;
        Assert.True(harness.IdleUntil(() =>
        {
            foreach (var request in harness.Sender.Requests.Where(r => r.Index > answered))
            {
                harness.Sender.Respond(request, 200, request.Path == BatchPath ? BatchAck(Parse(request).Orders) : Encoding.UTF8.GetString(FakeAnswers.Ack(request)));
                answered = request.Index;
            }

            harness.DeliverCompletions();
            return harness.Listener.CountOf("acked") == ids.Length;
        }));
        Assert.Equal(ids.Order(StringComparer.Ordinal), harness.Listener.Outcomes.Values.Select(o => o.OrderId).Order(StringComparer.Ordinal));
        Assert.Equal(0, harness.Listener.DoubleReports);
    }

    [Fact]
    public void StrategyCancel_BehindACancelAllsBacklog_GoesOutFirst()
    {
        // A kill switch's cancels (their reserved tags) queue behind the limiter; a strategy's cancel that comes after
        // them leaves in the very next request, ahead of them.
        using var harness = Start();
        harness.Intent(FakeEngine.OrderId(1000), tag: 1000);
        for (var i = 0; i < 15; i++)
        {
            harness.Intent(FakeEngine.OrderId(i), tag: CancelEngine.CancelAllTag + i);
        }

        var strategyOrder = FakeEngine.OrderId(500);
        harness.Intent(strategyOrder, tag: 7);

        var next = NextBatch(harness);
        Assert.Equal(strategyOrder, next.Orders[0].OrderId);
        Assert.Equal(Enumerable.Range(0, 9).Select(i => FakeEngine.OrderId(i)), next.Orders.Skip(1).Select(o => o.OrderId));
    }

    [Fact]
    public void BatchOff_TheBacklogLeavesOneRequestPerCancel()
    {
        using var harness = Start(BatchCancelMode.Off);
        var ids = Backlog(harness, 3);

        Assert.True(harness.IdleUntil(() => harness.Sender.RequestCount == 4));
        Assert.DoesNotContain(harness.Sender.Requests, r => r.Path == BatchPath);
        Assert.Equal(ids, harness.Sender.Requests.Skip(1).Select(r => r.OrderId));
    }

    private static ConsumerHarness Start(BatchCancelMode mode = BatchCancelMode.Auto) =>
        new(FakeEngine.DefaultSettings with { RateLimitPerSecond = 20, RateLimitBurst = 1, BatchCancel = mode, RetryBackoff = TimeSpan.FromMilliseconds(5) });

    /// <summary>One cancel takes the limiter's only token; the next ones queue behind it. Returns the queued ids.</summary>
    private static string[] Backlog(ConsumerHarness harness, int count)
    {
        // Left unanswered: the listener then hears only the backlog's outcomes.
        harness.Intent(FakeEngine.OrderId(1000), tag: 1000);
        var ids = Enumerable.Range(1, count).Select(i => FakeEngine.OrderId(i)).ToArray();
        for (var i = 0; i < ids.Length; i++)
        {
            harness.Intent(ids[i], tag: i + 1);
        }

        Assert.Equal(1, harness.Sender.RequestCount);
        return ids;
    }

    private static SentBatch NextBatch(ConsumerHarness harness, int after = -1)
    {
        Assert.True(harness.IdleUntil(() => harness.Sender.Requests.Any(r => r.Index > after && r.Path == BatchPath)), "no batch was sent");
        return Parse(harness.Sender.Requests.First(r => r.Index > after && r.Path == BatchPath));
    }

    private static SentBatch Parse(FakeRequest request)
    {
        using var body = JsonDocument.Parse(request.Body);
        var orders = body.RootElement.GetProperty("orders").EnumerateArray()
            .Select(o => new BatchOrder(o.GetProperty("id").GetString()!, o.GetProperty("orderId").GetString()!, o.GetProperty("symbol").GetString()!))
            .ToArray();
        return new SentBatch(request, orders);
    }

    private static string BatchAck(IEnumerable<BatchOrder> orders) =>
        """{"code":0,"data":{"ac":"FUTURES","accountId":"acc","action":"batch-cancel-order","status":"Ack","info":["""
        + string.Join(",", orders.Select(o => $$"""{"id":"{{o.Id}}","orderId":"{{o.OrderId}}","orderType":"Limit","symbol":"{{o.Symbol}}","timestamp":1}"""))
        + "]}}";

    private static string Refused(params BatchOrder[] bad) =>
        """{"code":300013,"reason":"INVALID_BATCH_ORDER","message":"Batch Order failed, please check each order info for detail.","status":"Err","info":["""
        + string.Join(",", bad.Select(o => $$"""{"code":300006,"id":"{{o.Id}}","orderId":"{{o.OrderId}}","reason":"INVALID_ORDER_ID","message":"The order is already filled or canceled.","symbol":""}"""))
        + "]}";

    private sealed record BatchOrder(string Id, string OrderId, string Symbol);

    private sealed record SentBatch(FakeRequest Request, BatchOrder[] Orders);
}
