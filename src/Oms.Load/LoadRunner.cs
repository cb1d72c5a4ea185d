using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Oms.Engine;
using Oms.Engine.Diagnostics;
using Oms.Engine.Venues;
using Oms.Engine.Venues.AscendEx;

namespace Oms.Load;

/// <summary>
/// Drives an engine with strategy threads: each publishes its share of the orders (paced when a rate is given),
/// while a progress line shows cancels/s and outcomes; ends when every intent has its outcome and, while the engine
/// confirms fates, its fate (or the confirmation deadline has passed since the last outcome).
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
        var used = ResourceUse.AtStart(precise: false);
        var clock = Stopwatch.StartNew();
        var published = new StrongBox<long>();
        var refusals = new RefusalTally();
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(stop);

        // A strategy thread that throws (a bug) must not take the process down with a stack trace: the first
        // exception is kept, the run stops, and the exception is raised again on this thread.
        ExceptionDispatchInfo? crash = null;
        var threads = new Task<int>[strategies];
        for (var s = 0; s < strategies; s++)
        {
            var first = s;
            threads[s] = DedicatedThread.Run($"strategy-{s}", () =>
            {
                try
                {
                    return Publish(engine, orders, first, strategies, rate / strategies, published, refusals, abort.Token);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref crash, ExceptionDispatchInfo.Capture(e), null);
                    abort.Cancel();
                    return 0;
                }
            });
        }

        var confirming = engine.Settings.Confirmation.Enabled;

        // Each fate is due within the deadline of its outcome, so once every intent is decided the fates are due within
        // one deadline; the second on top covers the confirmation's own tick before it declares one Unconfirmed.
        var fateWait = engine.Settings.Confirmation.Deadline + TimeSpan.FromSeconds(1);
        TimeSpan? decidedAt = null;
        var lastPrint = TimeSpan.Zero;
        while (true)
        {
            await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
            var done = threads.All(t => t.IsCompleted);
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
                progress.WriteLine(ProgressLine.Format(Progress(engine, tally, published, refusals.Total, orders.Count, clock.Elapsed)));
            }

            if (done && abort.IsCancellationRequested)
            {
                break;
            }

            if (done && tally.Decided >= Volatile.Read(ref published.Value))
            {
                decidedAt ??= clock.Elapsed;
                if (!confirming || tally.Fates >= tally.Decided || clock.Elapsed - decidedAt.Value > fateWait)
                {
                    break;
                }

                continue;
            }

            if (done && clock.Elapsed > s_outcomeWait + TimeSpan.FromSeconds(orders.Count / Math.Max(1.0, rate > 0 ? rate : 1000)))
            {
                break;
            }
        }

        // The engine's threads end with it: read them while they are still there. The process's CPU is read here
        // too, so the engine's stop is not billed to the run; its allocations are read after the stop.
        engineCpu.Sample();
        var processCpu = (ResourceUse.AtEnd(precise: false) - used).Cpu;

        // Whatever is still undecided (interrupted, stuck) is decided now: drained, or failed as Stopped.
        await engine.StopAsync(TimeSpan.FromSeconds(abort.IsCancellationRequested ? 2 : 10)).ConfigureAwait(false);
        Volatile.Read(ref crash)?.Throw();
        clock.Stop();
        var tickToWire = new LatencyHistogram();
        var roundTrip = new LatencyHistogram();
        engine.CopyLatencies(tickToWire, roundTrip);
        var tickToWireOwn = new LatencyHistogram();
        var venueWait = new LatencyHistogram();
        engine.CopyTickToWireSplit(tickToWireOwn, venueWait);
        var confirm = new LatencyHistogram();
        engine.CopyConfirmLatency(confirm);
        progress.WriteLine(ProgressLine.Format(Progress(engine, tally, published, refusals.Total, orders.Count, clock.Elapsed)));
        return new LoadResult
        {
            Counters = engine.GetCounters(),
            Outcomes = tally,
            // Cancels per second count the time to the last outcome, not the wait for fates after it.
            Elapsed = decidedAt ?? clock.Elapsed,
            TickToWire = tickToWire,
            TickToWireOwn = tickToWireOwn,
            VenueWait = venueWait,
            RoundTrip = roundTrip,
            Confirming = confirming,
            ConfirmLatency = confirm,
            ProcessCpu = processCpu,
            EngineCpu = engineCpu.IsAvailable ? engineCpu.Used : null,
            EngineThreads = engineCpu.Threads,
            WaitStrategy = engine.Settings.WaitStrategy,
            ProcessAllocatedBytes = (ResourceUse.AtEnd(precise: false) - used).AllocatedBytes,
            Orders = orders.Count,
            Published = Volatile.Read(ref published.Value),
            Refusals = refusals,
            Interrupted = stop.IsCancellationRequested,
            Start = start,
            End = ProcessSample.Take(),
        };
    }

    // One strategy thread's share (orders first, first + stride, ...), paced by the shared pacer. Every order is
    // published, refused (counted, and the share goes on), or left unsent by a stop.
    private static int Publish(
        CancelEngine engine, OrderSource orders, int first, int stride, double ratePerThread, StrongBox<long> published, RefusalTally refusals, CancellationToken stop)
    {
        var share = first < orders.Count ? ((orders.Count - 1 - first) / stride) + 1 : 0;
        var scratch = new char[OrderSource.MaxOrderIdLength];
        var states = engine.OrderStates;

        // An intent the consumer takes while the order-state table is full fails unsent (StateTableFull): a sizing
        // error in a paced run, but only the venue's pace in an unpaced one, whose table is not sized by the run
        // (EngineSettingsReader.UnpacedOrderStateCapacity). So publishing waits while the table could not take what
        // the ring may still hold, twice over: the table also keeps one slot empty and may hold tombstones of
        // recycled entries on probe paths, so it can refuse a little before Count reaches Capacity (with the ring's
        // size alone as the margin, a fresh-clone CI run saw one StateTableFull); half the table at most, so a small
        // one still moves.
        var fullAt = states.Capacity - Math.Min((2 * engine.Settings.RingSize) + stride + 1, states.Capacity / 2);
        return Pacer.Run(ratePerThread, share, Offer, stop);

        bool Offer(int n)
        {
            while (states.Count >= fullAt && !stop.IsCancellationRequested)
            {
                // Entries free one sweep slice at a time, at most every 100 ms: no point spinning for them.
                Thread.Sleep(1);
            }

            if (states.Count >= fullAt)
            {
                // Stopped while waiting for entries: this order and the rest of the share are not sent.
                return false;
            }

            var i = first + (n * stride);
            var orderId = orders.GetOrderId(i, scratch);
            var symbol = orders.GetSymbol(i);
            bool accepted;
            CancelRefusal refusal;

            // Counted before it is handed over, and taken back if refused: its outcome can arrive before TryCancel
            // returns, and the count read after the outcomes must already hold it (done never exceeds handed).
            Interlocked.Increment(ref published.Value);
            do
            {
                accepted = engine.TryCancel(orderId, symbol, i, TimeSpan.FromMilliseconds(200), out refusal);
            }
            while (!accepted && refusal == CancelRefusal.RingFull && !stop.IsCancellationRequested);

            if (accepted)
            {
                return true;
            }

            Interlocked.Decrement(ref published.Value);

            if (refusal == CancelRefusal.RingFull)
            {
                // Stopped while waiting for ring space: this order and the rest of the share are not sent.
                return false;
            }

            // Refused for good (bad order id or symbol, engine stopped, credentials refused): counted, and the
            // share goes on, so every other order still gets its chance and its outcome.
            refusals.Count(refusal);
            return true;
        }
    }

    // The outcomes are read before the count handed over: every decided intent was counted as handed before it was
    // handed, so this order keeps done at or below handed.
    internal static ProgressFigures Progress(CancelEngine engine, TallyListener tally, StrongBox<long> published, long refused, int total, TimeSpan elapsed)
    {
        var (acked, rejected, failed, expired) = (tally.Acked, tally.Rejected, tally.Failed, tally.Expired);
        var done = acked + rejected + failed + expired;
        long? fates = engine.Settings.Confirmation.Enabled ? tally.Fates : null;
        var handed = Volatile.Read(ref published.Value);
        var roundTrip = new LatencyHistogram();
        engine.CopyLatencies(new LatencyHistogram(), roundTrip);
        return new ProgressFigures(
            done,
            total,
            handed,
            engine.GetCounters().Requests,
            elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0,
            acked,
            rejected,
            failed,
            expired,
            refused,
            fates,
            roundTrip.TotalCount == 0 ? null : roundTrip.GetValueAtPercentile(99));
    }
}
