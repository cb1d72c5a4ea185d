namespace Oms.Engine.Tests.Support;

/// <summary>
/// One fault scenario from start to verdict: the venue with its faults and the engine on it, watched by an
/// <see cref="InvariantChecker"/>; orders seeded and every one cancelled; once each has its outcome, the engine
/// stopped and the checker's invariants verified. The test then asserts what is particular to its fault.
/// </summary>
internal sealed class FaultRun : IAsyncDisposable
{
    private readonly InvariantChecker _checker;

    private FaultRun(InvariantChecker checker, VenueRun run, IReadOnlyList<string> orders, EngineCountersSnapshot counters)
    {
        _checker = checker;
        Run = run;
        Orders = orders;
        Counters = counters;
    }

    public VenueRun Run { get; }

    public IReadOnlyList<string> Orders { get; }

    public EngineCountersSnapshot Counters { get; }

    public static async Task<FaultRun> CancelSeededAsync(
        int orders,
        AckRelation acks,
        StreamRelation streams,
        VenueOptions options,
        Func<CancelEngineSettings, CancelEngineSettings>? configure = null)
    {
        var checker = new InvariantChecker();
        VenueRun? run = null;
        try
        {
            run = await VenueRun.StartAsync(options, configure);
            var seeded = run.Seed(orders);
            run.CancelAll(seeded);
            await run.WaitForOutcomesAsync();
            var counters = await checker.StopAndVerifyAsync(run, acks, streams);
            return new FaultRun(checker, run, seeded, counters);
        }
        catch
        {
            if (run is not null)
            {
                await run.DisposeAsync();
            }

            checker.Dispose();
            throw;
        }
    }

    public void Deconstruct(out VenueRun run, out IReadOnlyList<string> orders, out EngineCountersSnapshot counters) =>
        (run, orders, counters) = (Run, Orders, Counters);

    public async ValueTask DisposeAsync()
    {
        await Run.DisposeAsync();
        _checker.Dispose();
    }
}
