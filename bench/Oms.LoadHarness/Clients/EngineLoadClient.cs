using Oms.Engine;
using Oms.Engine.Diagnostics;
using Oms.Engine.Venues;
using Oms.Engine.Venues.AscendEx;
using Oms.Engine.Sequencing;
using Oms.Engine.Signing;
using Oms.Load;
using Oms.LoadHarness.Load;
using Oms.LoadHarness.Venue;

namespace Oms.LoadHarness.Clients;

/// <summary>
/// The engine as a strategy hosts it: <see cref="CancelEngine.TryCancel(ReadOnlySpan{char}, ReadOnlySpan{char}, long, TimeSpan, out CancelRefusal)"/>
/// from one strategy thread, outcomes through the listener. A fresh engine per run, connected before the run
/// is measured, so that its latency histograms cover that run alone. The fresh engine is also what lets a run
/// choose its own wait strategy (the strategy is fixed when an engine starts): the latency configuration's runs
/// get a spinning consumer, the others the harness's <c>--wait-strategy</c>.
/// </summary>
internal sealed class EngineLoadClient(HarnessOptions options, VenueProcess venue) : ILoadClient
{
    // Enough for the flat-out producer to wait out a full ring; a refusal after this long is a stuck engine.
    private static readonly TimeSpan s_waitForSpace = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_drain = TimeSpan.FromSeconds(5);

    // Longer than the engine's request timeout with its retries: a cancel without an outcome by then is lost.
    private static readonly TimeSpan s_oneOutcome = TimeSpan.FromSeconds(60);

    private readonly ApiCredentials _credentials = new(venue.ApiKey, venue.ApiSecret);
    private CancelEngine? _engine;
    private CoreIsolation? _isolation;

    public string Name => "engine";

    public bool HasWaitStrategy => true;

    public WaitStrategyKind? WaitStrategyFor(PhaseSpec spec) => spec.WaitStrategy ?? options.WaitStrategy;

    /// <summary>The settings every run uses: no rate limit, the given wait strategy, room for the largest run.</summary>
    public CancelEngineSettings SettingsFor(WaitStrategyKind waitStrategy) => new()
    {
        BaseUrl = venue.BaseUri,
        AccountGroup = venue.AccountGroup,
        RateLimitPerSecond = 0,
        WaitStrategy = waitStrategy,
        WaitSpin = TimeSpan.FromMicroseconds(options.WaitSpinMicroseconds),
        ReadOnConsumer = options.ReadOnConsumer,
        Connections = options.Connections,
        RingSize = (int)Math.Max(16_384, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)options.MassCount)),

        // Final states are kept 1 s (not the default 60 s): the table then holds at most about two seconds of
        // cancels (retention plus the once-a-second sweep), so the default 262,144 entries serve up to ~120,000
        // cancels a second; running out shows as StateTableFull failures, never silently. Not larger: the consumer
        // sweeps the whole table once a second, so its size is paid in consumer stalls (see the sweep benchmark).
        OrderStateCapacity = options.OrderStateCapacity,
        OrderStateRetention = TimeSpan.FromSeconds(1),
        RequestTimeout = TimeSpan.FromSeconds(10),

        // Outcomes only, like the HttpClient loop it is compared with: confirming fates is extra work the yardstick
        // does not do (its cost on the cancel path is measured by EngineLoopBenchmarks' Confirm parameter).
        Confirmation = new ConfirmationSettings { Enabled = false },

        // One request per cancel, like the yardstick (and the reconciliation's counts); what batching buys under a
        // venue's rate limit is bench/mass-cancel.sh's measurement.
        BatchCancel = BatchCancelMode.Off,
    };

    public async Task PrepareAsync(PhaseSpec spec, PhaseRecorder recorder)
    {
        CancelEngineSettings settings = SettingsFor(spec.WaitStrategy ?? options.WaitStrategy);

        // The latency configuration's consumer spins: it gets a core of its own when the machine allows it.
        if (spec.IsolateConsumer && options.IsolateLatencyCore && CoreIsolation.TryStart(venue.ProcessId) is { } isolation)
        {
            _isolation = isolation;
            settings = settings with { ConsumerCpu = isolation.ConsumerCpu };
        }

        try
        {
            _engine = await CancelEngine.StartAsync(settings, _credentials, new TallyListener(new EngineListener(recorder))).ConfigureAwait(false);
        }
        catch
        {
            EndIsolation();
            throw;
        }
    }

    /// <summary>How the latency configuration's threads were placed, once a run had a core of its own; null otherwise.</summary>
    public string? LastIsolation { get; private set; }

    public Task<int> DriveAsync(PhaseSpec spec, PhaseRecorder recorder)
    {
        CancelEngine engine = _engine ?? throw new InvalidOperationException("Not prepared.");
        PhaseOrders orders = recorder.Orders;
        string symbol = orders.Symbol;
        bool Issue(int tag)
        {
            recorder.OnIssued(tag);
            if (engine.TryCancel(orders.OrderOf(tag), symbol, tag, s_waitForSpace, out CancelRefusal refusal))
            {
                return true;
            }

            recorder.NoteProblem($"TryCancel refused tag {tag}: {refusal}");
            return false;
        }

        bool AwaitOutcome(int tag)
        {
            if (recorder.WaitForOutcome(tag, s_oneOutcome))
            {
                return true;
            }

            recorder.NoteProblem($"no outcome for tag {tag} within {s_oneOutcome.TotalSeconds:0} s; the run stopped there");
            return false;
        }

        return DedicatedThread.Run("harness-strategy", () => spec.Kind switch
        {
            PhaseKind.Steady => Pacer.Run(spec.Rate, spec.SteadyCount, Issue),
            PhaseKind.Mass => Pacer.Run(0, spec.Count, Issue),
            PhaseKind.OneInFlight => Pacer.RunOneInFlight(Math.Min(spec.Capacity, spec.OneInFlightTotal), Issue, AwaitOutcome),
            _ => Pacer.RunFlatOut(spec.Seconds, spec.Capacity, Issue),
        });
    }

    public async Task<ClientFacts> FinishAsync(PhaseSpec spec, int issued, PhaseRecorder recorder)
    {
        CancelEngine engine = _engine ?? throw new InvalidOperationException("Not prepared.");
        var tickToWire = new LatencyHistogram();
        var wireRoundTrip = new LatencyHistogram();
        engine.CopyLatencies(tickToWire, wireRoundTrip);
        var tickToWireOwn = new LatencyHistogram();
        var venueWait = new LatencyHistogram();
        engine.CopyTickToWireSplit(tickToWireOwn, venueWait);
        EngineCountersSnapshot counters = engine.GetCounters();
        var facts = new ClientFacts
        {
            Requests = counters.Requests,
            Retries = counters.Retries,
            TickToWire = tickToWire,
            TickToWireOwn = tickToWireOwn,
            VenueWait = venueWait,
            WireRoundTrip = wireRoundTrip,
        };

        Expect(facts, "engine intents", issued, counters.Intents);
        Expect(facts, "engine acked", recorder.Acked, counters.Acked);
        Expect(facts, "engine rejected", recorder.Rejected, counters.Rejected);
        Expect(facts, "engine failed", 0, counters.Failed);
        Expect(facts, "engine expired", 0, counters.Expired);
        Expect(facts, "engine pending", 0, counters.Pending);
        Expect(facts, "engine echoed-id mismatches", 0, counters.IdMismatches);
        Expect(facts, "engine listener exceptions", 0, counters.ListenerExceptions);
        Expect(facts, "tick-to-wire samples (first attempts)", counters.Requests - counters.Retries, tickToWire.TotalCount);

        await engine.StopAsync(s_drain).ConfigureAwait(false);
        await engine.DisposeAsync().ConfigureAwait(false);
        _engine = null;
        EndIsolation();
        return facts;
    }

    public async ValueTask DisposeAsync()
    {
        if (_engine is { } engine)
        {
            _engine = null;
            await engine.DisposeAsync().ConfigureAwait(false);
        }

        EndIsolation();
    }

    private void EndIsolation()
    {
        if (_isolation is { } isolation)
        {
            _isolation = null;
            LastIsolation = isolation.Description;
            isolation.Dispose();
        }
    }

    private static void Expect(ClientFacts facts, string what, long expected, long actual)
    {
        if (expected != actual)
        {
            facts.Problems.Add($"{what}: expected {expected}, got {actual}");
        }
    }
}
