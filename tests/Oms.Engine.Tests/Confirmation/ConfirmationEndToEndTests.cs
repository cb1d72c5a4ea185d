namespace Oms.Engine.Tests.Confirmation;

/// <summary>
/// Order fates against the venue simulator as a small matching engine: orders fill before their cancel, after the Ack,
/// or are canceled; the stream drops and closes; the status endpoint fails. Every fate must match the venue's book.
/// </summary>
public sealed class ConfirmationEndToEndTests
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task FillsStreamDropsAndCloses_OneHundredThousandIntentsFromFourThreads_EveryFateMatchesTheBook()
    {
        var options = new VenueOptions
        {
            FillBeforeCancelShare = 0.05,
            FillAfterAckShare = 0.02,
            CancelDelayMs = 1,
            Faults = new VenueFaults { StreamDropShare = 0.01, StreamCloseEveryN = 5_000 },
        };
        // The engine's default order-state capacity (the test helper's smaller table would refuse most of 100,000), and
        // room for every order to wait for its fate at once: flat out, 100,000 cancels are sent in a few seconds while
        // the simulator's stream, sharing two cores with it, falls behind and status catches up.
        await using var run = await VenueRun.StartAsync(options, s => Confirming(capacity: 131_072)(s) with { OrderStateCapacity = CancelEngineSettings.DefaultOrderStateCapacity });
        var ids = run.Seed(100_000);
        await WaitLiveAsync(run);

        var threads = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = t; i < ids.Count; i += 4)
            {
                Assert.True(run.TryCancel(ids[i], TimeSpan.FromSeconds(10)) > 0, $"intent for {ids[i]} refused");
            }
        })).ToArray();
        await Task.WhenAll(threads).WaitAsync(s_bound);
        await run.Listener.WaitForFatesAsync(ids.Count, s_bound);

        var counters = run.Engine.GetCounters();
        var stats = run.Venue.Stats;
        var context = $"{counters}; fates {run.Listener.FateSummary()}; venue canceled {stats.OrdersCanceled}, filled before {stats.FilledBeforeCancel}, after {stats.FilledAfterAck}, stream sessions {stats.StreamSessions}, dropped {stats.StreamMessagesDropped}, closed {stats.StreamClosedByFault}";
        Assert.True(run.Listener.FateCount == ids.Count, $"{run.Listener.FateCount} fates of {ids.Count}; {context}");
        Assert.Equal(0, run.Listener.FateOrderViolations);
        AssertFatesMatchTheBook(run, context);
        Assert.Equal(0, counters.Unconfirmed);
        Assert.Equal(stats.OrdersCanceled, counters.Canceled);
        Assert.Equal(stats.FilledBeforeCancel + stats.FilledAfterAck, counters.Filled);

        // The faults did happen: fills both ways, messages dropped, the stream closed and came back.
        Assert.True(stats.FilledBeforeCancel > 0 && stats.FilledAfterAck > 0, context);
        Assert.True(stats.StreamMessagesDropped > 0 && stats.StreamClosedByFault > 0, context);
        Assert.True(counters.StreamReconnects > 0 && counters.StreamMessages > 0, context);
        Assert.Equal(0, counters.ConfirmationsPending);
    }

    [Fact]
    public async Task StreamRefusedThroughout_StatusAloneSettlesEveryFate()
    {
        var options = new VenueOptions
        {
            FillBeforeCancelShare = 0.1,
            FillAfterAckShare = 0.1,
            CancelDelayMs = 2,
            Faults = new VenueFaults { StreamRefuseMs = 600_000 },
        };
        await using var run = await VenueRun.StartAsync(options, Confirming());
        var ids = run.Seed(2_000);
        run.CancelAll(ids);
        await run.Listener.WaitForFatesAsync(ids.Count, s_bound);

        var counters = run.Engine.GetCounters();
        var context = $"{counters}; fates {run.Listener.FateSummary()}";
        Assert.True(run.Listener.FateCount == ids.Count, context);
        AssertFatesMatchTheBook(run, context);
        Assert.Equal(0, counters.Unconfirmed);
        Assert.Equal(0, run.Venue.Stats.StreamSessions);
        Assert.True(run.Venue.Stats.StreamUpgradesRefused > 0, context);
        Assert.True(counters.StatusRequests > 0 && counters.StatusRequests < ids.Count / 2, $"status requests batch ids: {context}");
    }

    [Fact]
    public async Task StatusEndpointFailing_TheStreamAloneSettlesEveryFate()
    {
        var options = new VenueOptions
        {
            FillBeforeCancelShare = 0.1,
            FillAfterAckShare = 0.1,
            CancelDelayMs = 2,
            Faults = new VenueFaults { StatusFails = true },
        };
        await using var run = await VenueRun.StartAsync(options, Confirming());
        var ids = run.Seed(2_000);
        await WaitLiveAsync(run);
        run.CancelAll(ids);
        await run.Listener.WaitForFatesAsync(ids.Count, s_bound);

        var counters = run.Engine.GetCounters();
        var context = $"{counters}; fates {run.Listener.FateSummary()}";
        Assert.True(run.Listener.FateCount == ids.Count, context);
        AssertFatesMatchTheBook(run, context);
        Assert.Equal(0, counters.Unconfirmed);
        Assert.Equal(counters.StatusRequests, counters.StatusFailures);
    }

    [Fact]
    public async Task StreamAndStatusBothGone_EveryFateUnconfirmedByTheDeadlineAndNothingHangs()
    {
        var options = new VenueOptions { Faults = new VenueFaults { StreamRefuseMs = 600_000, StatusFails = true } };
        await using var run = await VenueRun.StartAsync(options, Confirming(deadline: TimeSpan.FromSeconds(1)));
        var ids = run.Seed(200);
        var clock = Stopwatch.StartNew();
        run.CancelAll(ids);
        await run.Listener.WaitForFatesAsync(ids.Count, s_bound);

        var counters = run.Engine.GetCounters();
        Assert.True(run.Listener.FateCount == ids.Count, $"{counters}");
        Assert.Equal(ids.Count, run.Listener.FateCountOf(OrderFate.Unconfirmed));
        Assert.Equal(ids.Count, counters.Unconfirmed);
        Assert.Equal(0, counters.ConfirmationsPending);
        Assert.True(counters.StatusFailures > 0, $"{counters}");
        await run.Engine.StopAsync(TimeSpan.FromSeconds(1)).WaitAsync(FakeEngine.Bound);
        Assert.True(clock.Elapsed < s_bound);
    }

    [Fact]
    public async Task Stop_WithConfirmationsPending_EachGetsUnconfirmedAndNoneIsLost()
    {
        var options = new VenueOptions { Faults = new VenueFaults { StreamRefuseMs = 600_000, StatusFails = true } };
        await using var run = await VenueRun.StartAsync(options, Confirming(deadline: TimeSpan.FromMinutes(10)));
        var ids = run.Seed(300);
        run.CancelAll(ids);
        await run.WaitForOutcomesAsync();
        Assert.Equal(ids.Count, (int)run.Engine.GetCounters().ConfirmationsPending);
        Assert.Equal(CancelState.Acked, run.Engine.GetCancelState(ids[0], out var pending));
        Assert.Equal(OrderFate.Pending, pending);

        var stopping = Stopwatch.StartNew();
        await run.Engine.StopAsync(TimeSpan.FromMilliseconds(300)).WaitAsync(FakeEngine.Bound);

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), $"stop took {stopping.Elapsed}");
        Assert.Equal(ids.Count, run.Listener.FateCount);
        Assert.Equal(ids.Count, run.Listener.FateCountOf(OrderFate.Unconfirmed));
        Assert.Equal(0, run.Listener.FateOrderViolations);
        Assert.Equal(0, run.Engine.GetCounters().ConfirmationsPending);
        Assert.Equal(OrderFate.Unconfirmed, run.Engine.GetCancelState(ids[0], out var fate) == CancelState.Acked ? fate : OrderFate.None);
    }

    [Fact]
    public async Task V2Profile_StreamAndStatus_EveryFateMatchesTheBook()
    {
        var options = new VenueOptions
        {
            FillBeforeCancelShare = 0.1,
            FillAfterAckShare = 0.1,
            CancelDelayMs = 1,
            Faults = new VenueFaults { StreamDropShare = 0.2 },
        };
        await using var run = await VenueRun.StartAsync(options, s => Confirming()(s) with { Profile = CancelProfile.V2 });
        var ids = run.Seed(1_000);
        await WaitLiveAsync(run);
        run.CancelAll(ids);
        await run.Listener.WaitForFatesAsync(ids.Count, s_bound);

        var counters = run.Engine.GetCounters();
        var context = $"{counters}; fates {run.Listener.FateSummary()}";
        Assert.True(run.Listener.FateCount == ids.Count, context);
        AssertFatesMatchTheBook(run, context);
        Assert.Equal(0, counters.Unconfirmed);
        Assert.True(counters.StreamMessages > 0 && counters.StatusRequests > 0, $"both sources served: {context}");
    }

    [Fact]
    public async Task BatchedBehindTheLimiter_EachOrderOfEachBatchGetsItsFate_MatchingTheBook()
    {
        var options = new VenueOptions { FillBeforeCancelShare = 0.05, FillAfterAckShare = 0.05, CancelDelayMs = 1 };
        await using var run = await VenueRun.StartAsync(options, s => Confirming()(s) with
        {
            BatchCancel = BatchCancelMode.Auto,
            RateLimitPerSecond = 500,
            RateLimitBurst = 1,
        });
        var ids = run.Seed(1_000);
        await WaitLiveAsync(run);
        run.CancelAll(ids);
        await run.Listener.WaitForFatesAsync(ids.Count, s_bound);

        var counters = run.Engine.GetCounters();
        var context = $"{counters}; fates {run.Listener.FateSummary()}";
        Assert.True(run.Listener.FateCount == ids.Count, context);
        Assert.Equal(0, run.Listener.FateOrderViolations);
        AssertFatesMatchTheBook(run, context);
        Assert.Equal(0, counters.Unconfirmed);
        Assert.True(counters.BatchOrders > ids.Count / 2, $"most left in batches: {context}");
        Assert.True(run.Venue.Stats.BatchRefused > 0, $"fills before the cancel refused some batches: {context}");
    }

    [Fact]
    public async Task GetCancelState_AfterTheFate_ReadsItFromTheStateWord()
    {
        var options = new VenueOptions { FillAfterAckShare = 1, CancelDelayMs = 1 };
        await using var run = await VenueRun.StartAsync(options, Confirming());
        var ids = run.Seed(20);
        await WaitLiveAsync(run);
        run.CancelAll(ids);
        await run.Listener.WaitForFatesAsync(ids.Count, s_bound);

        foreach (var id in ids)
        {
            Assert.Equal(CancelState.Acked, run.Engine.GetCancelState(id, out var fate));
            Assert.Equal(OrderFate.Filled, fate);
        }
    }

    internal static Func<CancelEngineSettings, CancelEngineSettings> Confirming(TimeSpan? deadline = null, int capacity = 65_536) => settings => settings with
    {
        Confirmation = new ConfirmationSettings
        {
            StreamWait = TimeSpan.FromMilliseconds(300),
            RecheckInterval = TimeSpan.FromMilliseconds(50),
            Deadline = deadline ?? TimeSpan.FromSeconds(30),
            MaxIdsPerStatusRequest = 50,
            Capacity = capacity,
            StreamReconnectMinDelay = TimeSpan.FromMilliseconds(20),
            StreamReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
        },
    };

    private static async Task WaitLiveAsync(VenueRun run)
    {
        var deadline = DateTime.UtcNow + FakeEngine.Bound;
        while (run.Venue.Stats.StreamSessions == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        Assert.True(run.Venue.Stats.StreamSessions > 0, "the order stream never connected");

        // The session counts at the upgrade; the subscription follows in a round trip.
        await Task.Delay(50);
    }

    /// <summary>Each tag's fate is what the venue's book says became of its order.</summary>
    private static void AssertFatesMatchTheBook(VenueRun run, string context)
    {
        var mismatches = new List<string>();
        foreach (var (tag, (fate, orderId)) in run.Listener.Fates)
        {
            var expected = run.Venue.Book.GetState(orderId) switch
            {
                OrderBookState.Canceled => OrderFate.Canceled,
                OrderBookState.Filled => OrderFate.Filled,
                OrderBookState.Open => OrderFate.Open,
                _ => OrderFate.NotFound,
            };
            if (fate != expected)
            {
                mismatches.Add($"{tag} {orderId}: {fate}, the book says {expected}");
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} fates differ from the book, e.g. {string.Join("; ", mismatches.Take(5))}; {context}");
    }
}
