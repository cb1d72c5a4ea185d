namespace Oms.Engine.Tests;

/// <summary>The steady state allocates nothing: not on the consumer thread, not on the strategy thread that publishes.</summary>
/// <remarks>
/// Each thread is measured over several windows after the warm-up and the least window must be 0 bytes: a path that
/// allocates per cancel allocates in every window, while the runtime's one-off work on a thread (starting the tiered
/// compilation worker, a class constructor) lands in one window at most. A single window once read 8,136 bytes on the
/// consumer in CI.
/// </remarks>
[Collection(FakeEngine.Collection)]
public sealed class CancelEngineAllocationTests
{
    private const int WarmUp = 20_000;
    private const int PerWindow = 10_000;
    private const int Windows = 3;

    [Theory]
    [InlineData(WaitStrategyKind.Yielding)]
    [InlineData(WaitStrategyKind.Blocking)]
    public async Task TryCancel_SteadyStateThroughAFakeTransport_AllocatesNothingOnTheConsumerOrThePublisher(WaitStrategyKind wait)
    {
        // Arrange
        const int total = WarmUp + (Windows * PerWindow);
        var consumer = new WindowSampler(WarmUp, PerWindow, Windows);
        var listener = new SamplingListener(consumer);
        var settings = FakeEngine.DefaultSettings with { WaitStrategy = wait, OrderStateCapacity = 65_536 };
        await using var fake = FakeEngine.Start(settings, listener, senderCapacity: 8192);
        using var venue = new AutoResponder(fake.Sender);
        var orderIds = Enumerable.Range(0, total).Select(i => FakeEngine.OrderId(i)).ToArray();
        var publisherBytes = new long[Windows];
        var refusals = 0;

        // Act: every window starts once the previous one is fully decided, so the consumer's windows (sampled by the
        // listener at the same boundaries) hold exactly that window's cancels.
        var publisher = new Thread(() =>
        {
            for (var i = 0; i < WarmUp; i++)
            {
                refusals += fake.Engine.TryCancel(orderIds[i], "BTC-PERP", i, FakeEngine.Bound, out _) ? 0 : 1;
            }

            for (var window = 0; window < Windows; window++)
            {
                var first = WarmUp + (window * PerWindow);
                SpinWait.SpinUntil(() => listener.Outcomes >= first, FakeEngine.Bound);
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = first; i < first + PerWindow; i++)
                {
                    refusals += fake.Engine.TryCancel(orderIds[i].AsSpan(), "BTC-PERP", i, FakeEngine.Bound, out _) ? 0 : 1;
                }

                publisherBytes[window] = GC.GetAllocatedBytesForCurrentThread() - before;
            }
        })
        { Name = "strategy", IsBackground = true };
        publisher.Start();
        Assert.True(publisher.Join(FakeEngine.Bound * 2), "The publishing thread did not finish.");
        await CancelEngineOutcomeTests.WaitUntilAsync(() => listener.Outcomes >= total, "every outcome");

        // Assert
        Assert.Equal(0, refusals);
        Assert.Equal(total, listener.Acked);
        Assert.True(publisherBytes.Min() == 0, "Publisher bytes per window: " + string.Join(", ", publisherBytes));
        var consumerBytes = consumer.BytesPerWindow();
        Assert.True(consumerBytes.Min() == 0, "Consumer bytes per window: " + string.Join(", ", consumerBytes));
    }

    [Fact]
    public async Task TryCancel_SteadyStateWithFatesConfirmedByStatus_AllocatesNothingOnTheConsumer()
    {
        // Arrange: every cancel acked, then its order asked by status (batched) and answered Canceled; a window ends
        // when its cancels have their fates, so it holds the status queries, their answers and the fates.
        const int total = WarmUp + (Windows * PerWindow);
        var consumer = new WindowSampler(WarmUp, PerWindow, Windows);
        var listener = new SamplingListener(consumer, sampleOnFates: true);
        var settings = FakeEngine.DefaultSettings with
        {
            OrderStateCapacity = 65_536,
            Confirmation = new ConfirmationSettings { RecheckInterval = TimeSpan.FromMilliseconds(1), MaxIdsPerStatusRequest = 50 },
        };
        await using var fake = FakeEngine.Start(settings, listener, senderCapacity: 8192);
        using var venue = new AutoResponder(fake.Sender, AnswerCancelOrStatus);

        // Act
        var refusals = PublishWindowByWindow(fake.Engine, total, () => listener.Fates);
        await CancelEngineOutcomeTests.WaitUntilAsync(() => listener.Fates >= total, "every fate");

        // Assert
        Assert.Equal(0, refusals);
        Assert.Equal(total, listener.Canceled);
        Assert.True(fake.Engine.GetCounters().StatusRequests < total / 10, $"status queries are batched: {fake.Engine.GetCounters()}");
        var consumerBytes = consumer.BytesPerWindow();
        Assert.True(consumerBytes.Min() == 0, "Consumer bytes per window: " + string.Join(", ", consumerBytes));
    }

    [Fact]
    public async Task TryCancel_SteadyStateInBatchesBehindTheLimiter_AllocatesNothingOnTheConsumer()
    {
        // Arrange: each window published at once behind a limiter of one token at a time, so all but the first leave
        // ten to a batch cancel, and the fake venue acks each batch order by order.
        const int total = WarmUp + (Windows * PerWindow);
        var consumer = new WindowSampler(WarmUp, PerWindow, Windows);
        var listener = new SamplingListener(consumer);
        var settings = FakeEngine.DefaultSettings with
        {
            OrderStateCapacity = 65_536,
            BatchCancel = BatchCancelMode.Auto,
            RateLimitPerSecond = 20_000,
            RateLimitBurst = 1,
        };
        await using var fake = FakeEngine.Start(settings, listener, senderCapacity: 8192);
        using var venue = new AutoResponder(fake.Sender, AnswerCancelOrBatch);

        // Act
        var refusals = PublishWindowByWindow(fake.Engine, total, () => listener.Outcomes);
        await CancelEngineOutcomeTests.WaitUntilAsync(() => listener.Outcomes >= total, "every outcome");

        // Assert
        var counters = fake.Engine.GetCounters();
        Assert.Equal(0, refusals);
        Assert.Equal(total, listener.Acked);
        Assert.True(counters.BatchOrders > total / 2, $"most cancels left in batches: {counters}");
        var consumerBytes = consumer.BytesPerWindow();
        Assert.True(consumerBytes.Min() == 0, "Consumer bytes per window: " + string.Join(", ", consumerBytes));
    }

    /// <summary>
    /// Publishes the warm-up, then each window once everything before it is done (<paramref name="done"/>), on a
    /// strategy thread of its own; returns the intents refused.
    /// </summary>
    private static int PublishWindowByWindow(CancelEngine engine, int total, Func<long> done)
    {
        var orderIds = Enumerable.Range(0, total).Select(i => FakeEngine.OrderId(i)).ToArray();
        var refusals = 0;
        var publisher = new Thread(() =>
        {
            for (var window = -1; window < Windows; window++)
            {
                var first = window < 0 ? 0 : WarmUp + (window * PerWindow);
                var count = window < 0 ? WarmUp : PerWindow;
                SpinWait.SpinUntil(() => done() >= first, FakeEngine.Bound);
                for (var i = first; i < first + count; i++)
                {
                    refusals += engine.TryCancel(orderIds[i].AsSpan(), "BTC-PERP", i, FakeEngine.Bound, out _) ? 0 : 1;
                }
            }
        })
        { Name = "strategy", IsBackground = true };
        publisher.Start();
        Assert.True(publisher.Join(FakeEngine.Bound * 2), "The publishing thread did not finish.");
        return refusals;
    }

    /// <summary>Acks a single cancel; acks a batch order by order, echoing each order's request id.</summary>
    private static void AnswerCancelOrBatch(FakeSender sender, FakeRequest request)
    {
        if (!request.Path.EndsWith("/batch", StringComparison.Ordinal))
        {
            sender.Ack(request);
            return;
        }

        using var body = System.Text.Json.JsonDocument.Parse(request.Body);
        var info = body.RootElement.GetProperty("orders").EnumerateArray().Select(o =>
            $$"""{"id":"{{o.GetProperty("id").GetString()}}","orderId":"{{o.GetProperty("orderId").GetString()}}","orderType":"Limit","symbol":"BTC-PERP","timestamp":1}""");
        sender.Respond(request, 200, """{"code":0,"data":{"ac":"FUTURES","accountId":"a","action":"batch-cancel-order","status":"Ack","info":[""" + string.Join(",", info) + "]}}");
    }

    /// <summary>Acks a cancel; answers a status query with every order it names Canceled.</summary>
    private static void AnswerCancelOrStatus(FakeSender sender, FakeRequest request)
    {
        var at = request.Path.IndexOf("?orderId=", StringComparison.Ordinal);
        if (at < 0)
        {
            sender.Ack(request);
            return;
        }

        var entries = request.Path[(at + 9)..].Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(id => $$"""{"orderId":"{{id}}","symbol":"BTC-PERP","status":"Canceled"}""");
        sender.Respond(request, 200, $$"""{"ac":"FUTURES","accountId":"a","code":0,"data":[{{string.Join(",", entries)}}]}""");
    }
}
