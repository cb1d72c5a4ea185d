using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using Oms.Engine;
using Oms.Engine.Metrics;
using Oms.Engine.Protocol;

namespace Oms.Cli.Load;

/// <summary>
/// Drives an engine with strategy threads: each publishes its share of the orders (paced when a rate is given),
/// while a progress line shows cancels/s and outcomes; ends when every intent has its outcome.
/// </summary>
/// <remarks>
/// Every order is accounted for: published (and then decided by the engine), refused by <c>TryCancel</c> (counted by
/// reason in <see cref="RefusalTally"/>, and the thread goes on with its next order), or not sent because the run was
/// stopped (Ctrl+C, or the venue refused the credentials).
/// </remarks>
internal static class LoadRunner
{
    private static readonly TimeSpan s_progressInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan s_outcomeWait = TimeSpan.FromSeconds(60);

    public static async Task<LoadResult> RunAsync(
        CancelEngine engine, TallyListener tally, OrderSource orders, int strategies, double rate, TextWriter progress, CancellationToken stop)
    {
        var start = ProcessSample.Take();
        var engineCpu = EngineThreadCpu.Start();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var clock = Stopwatch.StartNew();
        long published = 0;
        var refusals = new RefusalTally();
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(stop);

        // A strategy thread that throws (a bug) must not take the process down with a stack trace: the first
        // exception is kept, the run stops, and the exception is raised again on this thread.
        ExceptionDispatchInfo? crash = null;
        var threads = new Thread[strategies];
        for (var s = 0; s < strategies; s++)
        {
            var first = s;
            threads[s] = new Thread(() =>
            {
                try
                {
                    Publish(engine, orders, first, strategies, rate / strategies, clock, ref published, refusals, abort.Token);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref crash, ExceptionDispatchInfo.Capture(e), null);
                    abort.Cancel();
                }
            })
            {
                IsBackground = true,
                Name = $"strategy-{s}",
            };
            threads[s].Start();
        }

        var lastPrint = TimeSpan.Zero;
        while (true)
        {
            await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
            var done = threads.All(t => !t.IsAlive);
            if (engine.GetCounters().AuthenticationFailed)
            {
                // The venue refused the credentials: stop early, do not send the rest.
                await abort.CancelAsync().ConfigureAwait(false);
            }

            if (clock.Elapsed - lastPrint >= s_progressInterval)
            {
                lastPrint = clock.Elapsed;

                // Often enough to see a connection's reader before a reconnect replaces it.
                engineCpu.Sample();
                progress.WriteLine(ProgressLine(engine, tally, Volatile.Read(ref published), refusals.Total, orders.Count, clock.Elapsed));
            }

            if (done && (tally.Decided >= Volatile.Read(ref published) || abort.IsCancellationRequested))
            {
                break;
            }

            if (done && clock.Elapsed > s_outcomeWait + TimeSpan.FromSeconds(orders.Count / Math.Max(1.0, rate > 0 ? rate : 1000)))
            {
                break;
            }
        }

        foreach (var thread in threads)
        {
            thread.Join(TimeSpan.FromSeconds(5));
        }

        // The engine's threads end with it: read them while they are still there.
        engineCpu.Sample();
        var processCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;

        // Whatever is still undecided (interrupted, stuck) is decided now: drained, or failed as Stopped.
        await engine.StopAsync(TimeSpan.FromSeconds(abort.IsCancellationRequested ? 2 : 10)).ConfigureAwait(false);
        Volatile.Read(ref crash)?.Throw();
        clock.Stop();
        var tickToWire = new LatencyHistogram();
        var roundTrip = new LatencyHistogram();
        engine.CopyLatencies(tickToWire, roundTrip);
        progress.WriteLine(ProgressLine(engine, tally, Volatile.Read(ref published), refusals.Total, orders.Count, clock.Elapsed));
        return new LoadResult
        {
            Counters = engine.GetCounters(),
            Outcomes = tally,
            Elapsed = clock.Elapsed,
            TickToWire = tickToWire,
            RoundTrip = roundTrip,
            ProcessCpu = processCpu,
            EngineCpu = engineCpu.IsAvailable ? engineCpu.Used : null,
            EngineThreads = engineCpu.Threads,
            WaitStrategy = engine.Settings.WaitStrategy,
            ProcessAllocatedBytes = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore,
            Orders = orders.Count,
            Published = Volatile.Read(ref published),
            Refusals = refusals,
            Interrupted = stop.IsCancellationRequested,
            Start = start,
            End = ProcessSample.Take(),
        };
    }

    private static void Publish(
        CancelEngine engine, OrderSource orders, int first, int stride, double ratePerThread, Stopwatch clock, ref long published, RefusalTally refusals, CancellationToken stop)
    {
        Span<char> scratch = stackalloc char[OrderSource.MaxOrderIdLength];
        var attempted = 0;
        for (var i = first; i < orders.Count && !stop.IsCancellationRequested; i += stride)
        {
            if (ratePerThread > 0)
            {
                // Pace against the clock, not with sleeps per item: the schedule catches up after a hiccup.
                var due = TimeSpan.FromSeconds(attempted / ratePerThread);
                while (clock.Elapsed < due && !stop.IsCancellationRequested)
                {
                    // Sleep rather than spin: a spinning load generator would bill its own CPU to the engine's report.
                    // Sleeps are about a millisecond here, so intents go out in small on-schedule bursts.
                    Thread.Sleep(1);
                }
            }

            var orderId = orders.GetOrderId(i, scratch);
            var symbol = orders.GetSymbol(i);
            bool accepted;
            CancelRefusal refusal;
            do
            {
                accepted = engine.TryCancel(orderId, symbol, i, TimeSpan.FromMilliseconds(200), out refusal);
            }
            while (!accepted && refusal == CancelRefusal.RingFull && !stop.IsCancellationRequested);

            if (accepted)
            {
                Interlocked.Increment(ref published);
            }
            else if (refusal == CancelRefusal.RingFull)
            {
                // Stopped while waiting for ring space: this order and the rest of the share are not sent.
                return;
            }
            else
            {
                // Refused for good (bad order id or symbol, engine stopped, credentials refused): counted, and the
                // share goes on, so every other order still gets its chance and its outcome.
                refusals.Count(refusal);
            }

            attempted++;
        }
    }

    private static string ProgressLine(CancelEngine engine, TallyListener tally, long published, long refused, int total, TimeSpan elapsed)
    {
        var roundTrip = new LatencyHistogram();
        engine.CopyLatencies(new LatencyHistogram(), roundTrip);
        var rate = elapsed.TotalSeconds > 0 ? tally.Decided / elapsed.TotalSeconds : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"  {tally.Decided,9:N0}/{total:N0} done ({published:N0} sent)  {rate,9:N0}/s  acked {tally.Acked:N0}  rejected {tally.Rejected:N0}  failed {tally.Failed:N0}  expired {tally.Expired:N0}{(refused > 0 ? "  refused " + refused.ToString("N0", CultureInfo.InvariantCulture) : "")}  rtt p50 {Micros(roundTrip, 50)} p99 {Micros(roundTrip, 99)}");
    }

    internal static string Micros(LatencyHistogram histogram, double percentile) =>
        histogram.TotalCount == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{histogram.GetValueAtPercentile(percentile) / 1000.0:N0}µs");
}
