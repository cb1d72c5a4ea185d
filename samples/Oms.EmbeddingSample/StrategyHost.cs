using Oms.Engine;
using Oms.Engine.Orders;
using Oms.Engine.Venues;
using Oms.Engine.Signing;

namespace Oms.EmbeddingSample;

/// <summary>The README's embedding example, kept compiling and running by a test.</summary>
public static class StrategyHost
{
    /// <summary>Starts an engine, cancels orders from two threads, reads state and counters, stops.</summary>
    public static async Task<EngineCountersSnapshot> RunAsync(Uri venue, string accountGroup, string? caFile, string apiKey, string apiSecret, IReadOnlyList<string> orderIds)
    {
        // Settings as in runtimesettings.json; credentials from wherever the strategy keeps them, never in settings.
        var settings = new CancelEngineSettings
        {
            BaseUrl = venue,
            AccountGroup = accountGroup,
            CaCertificatePath = caFile,
            WaitStrategy = Oms.Engine.Sequencing.WaitStrategyKind.Yielding,
            RateLimitPerSecond = 0,
        };
        var listener = new Outcomes();
        await using var engine = await CancelEngine.StartAsync(settings, new ApiCredentials(apiKey, apiSecret), listener);

        // Two strategy threads: TryCancel never blocks, allocates or throws for expected refusals.
        var half = orderIds.Count / 2;
        var threads = new[] { orderIds.Take(half), orderIds.Skip(half) }.Select((ids, t) => new Thread(() =>
        {
            long tag = t * 1_000_000;
            foreach (var orderId in ids)
            {
                if (!engine.TryCancel(orderId, "BTC-PERP", tag++, out var refusal))
                {
                    Console.Error.WriteLine($"refused: {refusal}");
                }
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        // Lock-free reads from any thread: one order's state, and the counters.
        while (engine.GetCounters().Pending > 0)
        {
            await Task.Delay(10);
        }

        CancelState state = engine.GetCancelState(orderIds[0]);
        Console.WriteLine($"{orderIds[0]}: {state}; acked {listener.Acked}");
        var counters = engine.GetCounters();

        // Stop: drains what is in flight, then fails the rest as Stopped; every intent has exactly one outcome.
        await engine.StopAsync(TimeSpan.FromSeconds(5));
        return counters;
    }

    /// <summary>Outcomes arrive on the engine's consumer thread: keep the callbacks short.</summary>
    private sealed class Outcomes : ICancelListener
    {
        private long _acked;

        public long Acked => Interlocked.Read(ref _acked);

        public void OnAcked(long tag, ReadOnlySpan<byte> orderId) => Interlocked.Increment(ref _acked);

        public void OnRejected(long tag, ReadOnlySpan<byte> orderId, long code, VenueReason reason, ReadOnlySpan<byte> message) { }

        public void OnFailed(long tag, ReadOnlySpan<byte> orderId, CancelFailureReason reason, ReadOnlySpan<byte> detail) { }

        public void OnExpired(long tag, ReadOnlySpan<byte> orderId) { }
    }
}
