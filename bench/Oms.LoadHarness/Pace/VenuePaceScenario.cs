using Oms.Engine;
using Oms.Engine.Sequencing;
using Oms.Engine.Signing;
using Oms.Load;
using Oms.LoadHarness.Clients;
using Oms.LoadHarness.Load;
using Oms.LoadHarness.Reporting;
using Oms.LoadHarness.Venue;

namespace Oms.LoadHarness.Pace;

/// <summary>
/// Both clients at a venue's pace: the venue (a separate process) answers after a latency and a jitter, each client
/// runs a steady open-loop load at each offered rate, the engine with its default wait strategy; then an engine
/// that is connected and has nothing to send is measured, since that is where a trading engine spends its nights.
/// </summary>
/// <remarks>Every run is reconciled as the usual runs are (<see cref="PhaseRunner"/>); nothing here asserts a time.</remarks>
internal sealed class VenuePaceScenario(HarnessOptions options, TextWriter log)
{
    // Long enough for the consumer's first idle ticks and the connections' first pings to pass before measuring.
    private static readonly TimeSpan s_idleSettle = TimeSpan.FromSeconds(2);

    /// <summary>The venue's arguments for this scenario: its latency and jitter.</summary>
    public IReadOnlyList<string> VenueArguments =>
        ["--latency-ms", options.VenueLatencyMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
         "--jitter-ms", options.VenueJitterMs.ToString(System.Globalization.CultureInfo.InvariantCulture)];

    public async Task<VenuePaceReport> RunAsync(VenueProcess venue)
    {
        var pool = new OrderPool(venue.Orders, venue.Symbol);
        using var recorder = new PhaseRecorder(options.MaxPacedCancelsPerRun);
        var runner = new PhaseRunner(venue, pool, recorder, log);

        IReadOnlyList<PhaseResult> engineRuns;
        await using (var client = new EngineLoadClient(options, venue))
        {
            engineRuns = await RunClientAsync(runner, client, options.PaceWaitStrategy).ConfigureAwait(false);
        }

        IReadOnlyList<PhaseResult> httpClientRuns;
        await using (var client = new HttpClientLoadClient(options, venue))
        {
            httpClientRuns = await RunClientAsync(runner, client, null).ConfigureAwait(false);
        }

        // The default first, then the strategies it replaced as the default (yielding) and the one for a core of its
        // own (busy-spin), for comparison.
        var idle = new List<IdleResult>();
        foreach (WaitStrategyKind strategy in new[] { options.PaceWaitStrategy, WaitStrategyKind.Blocking, WaitStrategyKind.Yielding }.Distinct())
        {
            idle.Add(await MeasureIdleAsync(venue, strategy).ConfigureAwait(false));
        }

        return new VenuePaceReport(options, engineRuns, httpClientRuns, idle);
    }

    private async Task<IReadOnlyList<PhaseResult>> RunClientAsync(PhaseRunner runner, ILoadClient client, WaitStrategyKind? strategy)
    {
        int capacity = options.MaxPacedCancelsPerRun;
        double highest = options.PaceRates.Max();
        if (options.WarmupSeconds > 0)
        {
            // Uncounted: the same load at the highest rate, so the code every paced run reaches is compiled first.
            await runner.RunAsync(client, new PhaseSpec(PhaseKind.Steady, options.WarmupSeconds, highest, 0, options.Concurrency, capacity) { WaitStrategy = strategy }).ConfigureAwait(false);
        }

        var runs = new List<PhaseResult>();
        foreach (double rate in options.PaceRates)
        {
            if (options.WarmupSeconds > 0)
            {
                // Uncounted again, at this run's rate: the runtime tiers up code for a while after it is first hot
                // (tens of seconds at 1,000/s on two cores), and a long-running engine pays that once, not per cancel.
                await runner.RunAsync(client, new PhaseSpec(PhaseKind.Steady, options.WarmupSeconds, rate, 0, options.Concurrency, capacity) { WaitStrategy = strategy }).ConfigureAwait(false);
            }

            runs.Add(await runner.RunAsync(client, new PhaseSpec(PhaseKind.Steady, options.PaceSeconds, rate, 0, options.Concurrency, capacity) { WaitStrategy = strategy }).ConfigureAwait(false));
        }

        return runs;
    }

    private async Task<IdleResult> MeasureIdleAsync(VenueProcess venue, WaitStrategyKind strategy)
    {
        var settings = new EngineLoadClient(options, venue).SettingsFor(strategy);
        CancelEngine engine = await CancelEngine.StartAsync(settings, new ApiCredentials(venue.ApiKey, venue.ApiSecret), new NoListener()).ConfigureAwait(false);
        try
        {
            await Task.Delay(s_idleSettle).ConfigureAwait(false);
            ThreadCpuProfile threadsBefore = ThreadCpuProfile.Take();
            ResourceUse start = ResourceUse.AtStart(precise: false);
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            await Task.Delay(TimeSpan.FromSeconds(options.IdleSeconds)).ConfigureAwait(false);
            TimeSpan wall = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            ResourceUse used = ResourceUse.AtEnd(precise: false) - start;
            ThreadActivity threads = ThreadCpuProfile.Take().Since(threadsBefore);
            var result = new IdleResult(
                strategy,
                wall,
                ProcessCorePercent: 100 * used.Cpu.TotalSeconds / wall.TotalSeconds,
                EngineCorePercent: threads.Ticks.Count == 0 ? null : 100 * threads.CpuOf(PhaseResult.EngineThreadGroups).TotalSeconds / wall.TotalSeconds,
                EngineSwitchesPerSecond: threads.Switches.Count == 0 ? null : threads.Switches.Where(t => PhaseResult.EngineThreadGroups.Contains(t.Name)).Sum(t => t.Switches) / wall.TotalSeconds);
            log.WriteLine(
                $"  engine     idle {WaitStrategyFactory.GetName(strategy),-14} {wall.TotalSeconds,5:0.0} s: process {result.ProcessCorePercent,6:0.00} % of a core, engine threads {(result.EngineCorePercent is { } e ? $"{e:0.00} %" : "-")}, engine wake-ups {(result.EngineSwitchesPerSecond is { } s ? $"{s:N0}/s" : "-")}");
            return result;
        }
        finally
        {
            await engine.StopAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            await engine.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed class NoListener : ICancelListener
    {
        public void OnAcked(long tag, ReadOnlySpan<byte> orderId)
        {
        }

        public void OnRejected(long tag, ReadOnlySpan<byte> orderId, long code, Oms.Engine.Venues.VenueReason reason, ReadOnlySpan<byte> message)
        {
        }

        public void OnFailed(long tag, ReadOnlySpan<byte> orderId, CancelFailureReason reason, ReadOnlySpan<byte> detail)
        {
        }

        public void OnExpired(long tag, ReadOnlySpan<byte> orderId)
        {
        }
    }
}

/// <summary>What an idle engine (connected, nothing to send) cost over a wall-clock span.</summary>
/// <param name="Strategy">The consumer's wait strategy.</param>
/// <param name="Wall">How long it was measured.</param>
/// <param name="ProcessCorePercent">The whole process's CPU as a percentage of one core.</param>
/// <param name="EngineCorePercent">The engine's threads' CPU as a percentage of one core (Linux; null elsewhere).</param>
/// <param name="EngineSwitchesPerSecond">Context switches of the engine's threads per second: its idle wake-ups (Linux; null elsewhere).</param>
internal sealed record IdleResult(WaitStrategyKind Strategy, TimeSpan Wall, double ProcessCorePercent, double? EngineCorePercent, double? EngineSwitchesPerSecond);
