using Oms.Engine.Tests.Confirmation;

namespace Oms.Engine.Tests.MassCancel;

/// <summary>
/// <see cref="CancelEngine.CancelAllAsync"/> and the kill switch against the venue simulator: every report is checked
/// against the venue's book, and every run ends in bounded time.
/// </summary>
public sealed class CancelAllTests
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task CancelAll_EveryOrderCancels_FlatAndEveryOrderCounted()
    {
        await using var run = await VenueRun.StartAsync(new VenueOptions { CancelDelayMs = 1 }, ConfirmationEndToEndTests.Confirming());
        var ids = run.Seed(500);

        var report = await run.Engine.CancelAllAsync(deadline: s_deadline).WaitAsync(s_bound);

        Assert.True(report.IsFlat, report.ToString());
        Assert.Equal(ids.Count, report.OpenBefore);
        Assert.Equal(ids.Count, report.Canceled);
        Assert.Equal(0, report.Filled);
        Assert.Equal(0, report.Remaining);
        Assert.Empty(report.RemainingIds);
        Assert.Empty(report.UnprovenIds);
        Assert.Null(report.Problem);
        Assert.True(report.CancelAllAcknowledged, report.ToString());
        Assert.Equal(0, run.Venue.Book.OpenCount);
        Assert.Equal(1, run.Engine.GetCounters().CancelAllRequests);
        Assert.Equal(1, run.Venue.Stats.CancelAllAcked);
    }

    [Fact]
    public async Task CancelAll_OneSymbol_LeavesTheOtherSymbolsOrdersOpen()
    {
        await using var run = await VenueRun.StartAsync(new VenueOptions { CancelDelayMs = 1 }, ConfirmationEndToEndTests.Confirming());
        var ids = run.Seed(100);
        var others = run.Venue.Book.SeedGenerated(30, "ETH-PERP");

        var report = await run.Engine.CancelAllAsync(VenueRun.Symbol, s_deadline).WaitAsync(s_bound);

        Assert.True(report.IsFlat, report.ToString());
        Assert.Equal(ids.Count, report.OpenBefore);
        Assert.Equal(ids.Count, report.Canceled);
        Assert.Equal(VenueRun.Symbol, report.Symbol);
        Assert.Equal(others.Count, run.Venue.Book.OpenCount);
        Assert.All(others, id => Assert.Equal(OrderBookState.Open, run.Venue.Book.GetState(id)));
    }

    [Fact]
    public async Task CancelAll_WithSurvivors_TheFollowUpRoundsCancelThem()
    {
        var options = new VenueOptions { CancelDelayMs = 1, Faults = new VenueFaults { CancelAllSurvivorShare = 0.3, CancelAllSurvivorWindowMs = 600_000 } };
        await using var run = await VenueRun.StartAsync(options, ConfirmationEndToEndTests.Confirming());
        var ids = run.Seed(300);

        var report = await run.Engine.CancelAllAsync(deadline: s_deadline).WaitAsync(s_bound);

        Assert.True(report.IsFlat, report.ToString());
        Assert.True(report.CancelAllAcknowledged, report.ToString());
        Assert.True(run.Venue.Stats.CancelAllSurvivors > 0, "the survivor fault spared nothing");
        Assert.True(report.FollowUpCancels > 0 && report.Rounds >= 2, report.ToString());
        Assert.Equal(ids.Count, report.Canceled);
        Assert.Equal(0, run.Venue.Book.OpenCount);

        // The follow-up cancels reached the listener with tags from the reserved range.
        Assert.Equal(report.FollowUpCancels, run.Listener.Outcomes.Keys.Count(CancelEngine.IsCancelAllTag));
    }

    [Fact]
    public async Task CancelAll_FillsRacing_FilledCountedAndEveryOrderAccountedFor()
    {
        var options = new VenueOptions { FillBeforeCancelShare = 0.2, FillAfterAckShare = 0.1, CancelDelayMs = 2 };
        await using var run = await VenueRun.StartAsync(options, ConfirmationEndToEndTests.Confirming());
        var ids = run.Seed(400);

        var report = await run.Engine.CancelAllAsync(deadline: s_deadline).WaitAsync(s_bound);

        Assert.True(report.IsFlat, report.ToString());
        var filled = ids.Count(id => run.Venue.Book.GetState(id) == OrderBookState.Filled);
        var canceled = ids.Count(id => run.Venue.Book.GetState(id) == OrderBookState.Canceled);
        Assert.True(filled > 0, report.ToString());
        Assert.Equal(filled, report.Filled);
        Assert.Equal(canceled, report.Canceled);
        Assert.Equal(ids.Count, report.Canceled + report.Filled);
    }

    [Fact]
    public async Task CancelAll_WhileStrategyCancelsAreInFlight_FlatAndEveryStrategyIntentHasItsOutcome()
    {
        await using var run = await VenueRun.StartAsync(new VenueOptions { CancelDelayMs = 2 }, s => ConfirmationEndToEndTests.Confirming()(s) with { RateLimitPerSecond = 2_000 });
        var ids = run.Seed(1_000);

        var strategies = Enumerable.Range(0, 2).Select(t => Task.Run(() =>
        {
            for (var i = t; i < ids.Count; i += 4)
            {
                run.TryCancel(ids[i], TimeSpan.FromSeconds(5));
            }
        })).ToArray();
        var report = await run.Engine.CancelAllAsync(deadline: s_deadline).WaitAsync(s_bound);
        await Task.WhenAll(strategies).WaitAsync(s_bound);
        await run.WaitForOutcomesAsync();

        Assert.True(report.IsFlat, report.ToString());
        Assert.Equal(0, run.Venue.Book.OpenCount);

        // The strategies may have cancelled a few before the run asked what was open: those are not in OpenBefore.
        Assert.Equal(report.OpenBefore, report.Canceled);
        Assert.All(run.OrderIds.Keys, tag => Assert.True(run.Listener.Outcomes.ContainsKey(tag), $"no outcome for strategy tag {tag}"));
        Assert.Equal(0, run.Listener.DoubleReports);
    }

    [Fact]
    public async Task CancelAll_StreamDown_StatusAloneProvesItFlat()
    {
        var options = new VenueOptions { CancelDelayMs = 1, Faults = new VenueFaults { StreamRefuseMs = 600_000 } };
        await using var run = await VenueRun.StartAsync(options, ConfirmationEndToEndTests.Confirming());
        var ids = run.Seed(300);

        var report = await run.Engine.CancelAllAsync(deadline: s_deadline).WaitAsync(s_bound);

        Assert.True(report.IsFlat, report.ToString());
        Assert.Equal(ids.Count, report.Canceled);
        Assert.Equal(0, run.Venue.Stats.StreamSessions);
        Assert.Equal(0, run.Venue.Book.OpenCount);
    }

    [Fact]
    public async Task CancelAll_CalledTwiceConcurrently_BothProveItFlat()
    {
        await using var run = await VenueRun.StartAsync(new VenueOptions { CancelDelayMs = 1 }, ConfirmationEndToEndTests.Confirming());
        var ids = run.Seed(400);

        var reports = await Task.WhenAll(
            Task.Run(() => run.Engine.CancelAllAsync(deadline: s_deadline)),
            Task.Run(() => run.Engine.CancelAllAsync(deadline: s_deadline))).WaitAsync(s_bound);

        Assert.All(reports, report => Assert.True(report.IsFlat, report.ToString()));
        Assert.All(reports, report => Assert.Equal(report.OpenBefore, report.Canceled));
        Assert.Equal(0, run.Venue.Book.OpenCount);
        Assert.Equal(2, run.Engine.GetCounters().CancelAllRequests);
        Assert.Equal(0, run.Listener.DoubleReports);
    }

    [Fact]
    public async Task CancelAll_StatusFailingAndOrdersThatStayOpen_NotFlatAtTheDeadlineAndNamesTheIds()
    {
        // The venue acknowledges every cancel but acts on none for ten minutes, and its status endpoint fails: the
        // deadline passes with every order listed open, and nothing can be counted.
        var options = new VenueOptions { CancelDelayMs = 600_000, Faults = new VenueFaults { StatusFails = true } };
        await using var run = await VenueRun.StartAsync(options, ConfirmationEndToEndTests.Confirming());
        var ids = run.Seed(40);

        var report = await run.Engine.CancelAllAsync(deadline: TimeSpan.FromSeconds(1)).WaitAsync(s_bound);

        Assert.False(report.IsFlat, report.ToString());
        Assert.Equal(ids.Count, report.Remaining);
        Assert.Equal(ids.Order(StringComparer.Ordinal), report.RemainingIds.Order(StringComparer.Ordinal));
        Assert.Equal(0, report.Canceled);
        Assert.NotNull(report.Problem);
        Assert.Contains("deadline", report.Problem);
        Assert.Contains("status", report.Problem);
    }

    [Fact]
    public async Task CancelAll_StatusFailingOnly_OpenOrdersEmptyButTheCountsUnproven_NotFlat()
    {
        var options = new VenueOptions { CancelDelayMs = 1, Faults = new VenueFaults { StatusFails = true } };
        await using var run = await VenueRun.StartAsync(options, ConfirmationEndToEndTests.Confirming());
        var ids = run.Seed(60);

        var report = await run.Engine.CancelAllAsync(deadline: s_deadline).WaitAsync(s_bound);

        Assert.Equal(0, run.Venue.Book.OpenCount);
        Assert.False(report.IsFlat, report.ToString());
        Assert.Equal(0, report.Remaining);
        Assert.Equal(ids.Order(StringComparer.Ordinal), report.UnprovenIds.Order(StringComparer.Ordinal));
        Assert.Contains("status", report.Problem);
    }

    [Fact]
    public async Task Stop_WhileACancelAllRuns_ItEndsInBoundedTimeAndSaysTheEngineStopped()
    {
        // Cancels acknowledged but acted on only after ten minutes: the run keeps waiting for fates until the stop.
        var options = new VenueOptions { CancelDelayMs = 600_000 };
        await using var run = await VenueRun.StartAsync(options, ConfirmationEndToEndTests.Confirming());
        run.Seed(200);
        var cancelAll = run.Engine.CancelAllAsync(deadline: TimeSpan.FromMinutes(5));
        await WaitUntilAsync(() => run.Listener.Outcomes.Keys.Any(CancelEngine.IsCancelAllTag) || cancelAll.IsCompleted);

        await run.Engine.StopAsync(TimeSpan.FromMilliseconds(300)).WaitAsync(s_bound);
        var report = await cancelAll.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(report.IsFlat, report.ToString());
        Assert.Contains("engine stopped", report.Problem);
        Assert.True(report.Remaining > 0, report.ToString());
    }

    [Fact]
    public async Task CancelAll_CancelledByTheCaller_ThrowsInBoundedTime()
    {
        await using var run = await VenueRun.StartAsync(new VenueOptions { CancelDelayMs = 600_000 }, ConfirmationEndToEndTests.Confirming());
        run.Seed(50);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.Engine.CancelAllAsync(deadline: TimeSpan.FromMinutes(5), cancellationToken: cancel.Token).WaitAsync(s_bound));
    }

    [Fact]
    public async Task KillSwitch_UnderFourStrategyThreadsCancelling_FlatAndEveryStrategyIntentHasItsOutcome()
    {
        await using var run = await VenueRun.StartAsync(new VenueOptions { CancelDelayMs = 1, FillAfterAckShare = 0.05 }, ConfirmationEndToEndTests.Confirming());
        var ids = run.Seed(2_000);
        using var stop = new CancellationTokenSource();
        var strategies = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            var random = new Random(t);
            while (!stop.IsCancellationRequested)
            {
                run.TryCancel(ids[random.Next(ids.Count)], TimeSpan.FromSeconds(1));
                Thread.Yield();
            }
        })).ToArray();

        var report = await run.Engine.KillSwitch.Engage("test: four strategies cancelling", s_deadline).WaitAsync(s_bound);
        var engaged = run.Engine.GetCounters();
        await stop.CancelAsync();
        await Task.WhenAll(strategies).WaitAsync(s_bound);
        await run.WaitForOutcomesAsync();

        Assert.True(report.IsFlat, report.ToString());
        Assert.Equal(0, run.Venue.Book.OpenCount);
        // The strategies were cancelling before the switch asked what was open: those orders are not in OpenBefore.
        Assert.Equal(report.OpenBefore, report.Canceled + report.Filled);
        Assert.True(report.OpenBefore > 0, report.ToString());
        Assert.True(run.Engine.KillSwitch.IsEngaged);
        Assert.Equal("test: four strategies cancelling", run.Engine.KillSwitch.Reason);
        Assert.NotNull(run.Engine.KillSwitch.EngagedAt);
        Assert.Same(report, run.Engine.KillSwitch.LastReport);
        Assert.True(engaged.KillSwitchEngaged);
        Assert.Equal(1, engaged.CancelAllRequests);
        Assert.True(run.OrderIds.Count > 0);
        Assert.All(run.OrderIds.Keys, tag => Assert.True(run.Listener.Outcomes.ContainsKey(tag), $"no outcome for strategy tag {tag}"));

        run.Engine.KillSwitch.Disengage();
        Assert.False(run.Engine.KillSwitch.IsEngaged);
        Assert.Null(run.Engine.KillSwitch.Reason);
        Assert.False(run.Engine.GetCounters().KillSwitchEngaged);
    }

    [Fact]
    public void IsCancelAllTag_TheReservedRangeOnly()
    {
        Assert.True(CancelEngine.IsCancelAllTag(CancelEngine.CancelAllTag));
        Assert.True(CancelEngine.IsCancelAllTag(CancelEngine.CancelAllTag + CancelEngine.CancelAllTagCount - 1));
        Assert.False(CancelEngine.IsCancelAllTag(CancelEngine.CancelAllTag + CancelEngine.CancelAllTagCount));
        Assert.False(CancelEngine.IsCancelAllTag(0));
        Assert.False(CancelEngine.IsCancelAllTag(-1));
        Assert.True(CancelEngine.IsCancelAllTag(Oms.Engine.MassCancel.CancelAllRun.NextTag()));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + s_bound;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "the condition never held");
    }
}
