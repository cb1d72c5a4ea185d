using System.Diagnostics;
using System.Globalization;
using Oms.Engine;
using Oms.Engine.Metrics;

namespace Oms.Cli.Load;

/// <summary>
/// Drives an engine with strategy threads: each publishes its share of the orders (paced when a rate is given),
/// while a progress line shows cancels/s and outcomes; ends when every intent has its outcome.
/// </summary>
internal static class LoadRunner
{
    private static readonly TimeSpan s_progressInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan s_outcomeWait = TimeSpan.FromSeconds(60);

    public static async Task<LoadResult> RunAsync(
        CancelEngine engine, TallyListener tally, IReadOnlyList<(string Symbol, string OrderId)> orders, int strategies, double rate, TextWriter progress, CancellationToken stop)
    {
        var start = ProcessSample.Take();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var clock = Stopwatch.StartNew();
        long published = 0;
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(stop);

        var threads = new Thread[strategies];
        for (var s = 0; s < strategies; s++)
        {
            var first = s;
            threads[s] = new Thread(() => Publish(engine, orders, first, strategies, rate / strategies, clock, ref published, abort.Token))
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
                progress.WriteLine(ProgressLine(engine, tally, Volatile.Read(ref published), orders.Count, clock.Elapsed));
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

        // Whatever is still undecided (interrupted, stuck) is decided now: drained, or failed as Stopped.
        await engine.StopAsync(TimeSpan.FromSeconds(abort.IsCancellationRequested ? 2 : 10)).ConfigureAwait(false);
        clock.Stop();
        var tickToWire = new LatencyHistogram();
        var roundTrip = new LatencyHistogram();
        engine.CopyLatencies(tickToWire, roundTrip);
        progress.WriteLine(ProgressLine(engine, tally, Volatile.Read(ref published), orders.Count, clock.Elapsed));
        return new LoadResult
        {
            Counters = engine.GetCounters(),
            Outcomes = tally,
            Elapsed = clock.Elapsed,
            TickToWire = tickToWire,
            RoundTrip = roundTrip,
            ProcessCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore,
            ProcessAllocatedBytes = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore,
            Published = Volatile.Read(ref published),
            Interrupted = stop.IsCancellationRequested,
            Start = start,
            End = ProcessSample.Take(),
        };
    }

    private static void Publish(
        CancelEngine engine, IReadOnlyList<(string Symbol, string OrderId)> orders, int first, int stride, double ratePerThread, Stopwatch clock, ref long published, CancellationToken stop)
    {
        var sent = 0;
        for (var i = first; i < orders.Count && !stop.IsCancellationRequested; i += stride)
        {
            if (ratePerThread > 0)
            {
                // Pace against the clock, not with sleeps per item: the schedule catches up after a hiccup.
                var due = TimeSpan.FromSeconds(sent / ratePerThread);
                while (clock.Elapsed < due && !stop.IsCancellationRequested)
                {
                    // Sleep rather than spin: a spinning load generator would bill its own CPU to the engine's report.
                    // Sleeps are about a millisecond here, so intents go out in small on-schedule bursts.
                    Thread.Sleep(1);
                }
            }

            var (symbol, orderId) = orders[i];
            while (!engine.TryCancel(orderId, symbol, i, TimeSpan.FromMilliseconds(200), out var refusal))
            {
                if (refusal != Oms.Engine.Protocol.CancelRefusal.RingFull || stop.IsCancellationRequested)
                {
                    return;
                }
            }

            Interlocked.Increment(ref published);
            sent++;
        }
    }

    private static string ProgressLine(CancelEngine engine, TallyListener tally, long published, int total, TimeSpan elapsed)
    {
        var roundTrip = new LatencyHistogram();
        engine.CopyLatencies(new LatencyHistogram(), roundTrip);
        var rate = elapsed.TotalSeconds > 0 ? tally.Decided / elapsed.TotalSeconds : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"  {tally.Decided,9:N0}/{total:N0} done ({published:N0} sent)  {rate,9:N0}/s  acked {tally.Acked:N0}  rejected {tally.Rejected:N0}  failed {tally.Failed:N0}  expired {tally.Expired:N0}  rtt p50 {Micros(roundTrip, 50)} p99 {Micros(roundTrip, 99)}");
    }

    internal static string Micros(LatencyHistogram histogram, double percentile) =>
        histogram.TotalCount == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{histogram.GetValueAtPercentile(percentile) / 1000.0:N0}µs");
}
