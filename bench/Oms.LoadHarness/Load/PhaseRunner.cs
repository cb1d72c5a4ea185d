using System.Diagnostics;
using Oms.Load;
using Oms.LoadHarness.Clients;
using Oms.LoadHarness.Reporting;
using Oms.LoadHarness.Venue;

namespace Oms.LoadHarness.Load;

/// <summary>
/// Runs one client through one run and reconciles every count: each cancel has exactly one outcome, for the
/// order it was issued for, fresh orders are acked and reused ones refused, and the venue's own counters agree.
/// A run whose counts do not add up is reported as failed, however fast it was.
/// </summary>
internal sealed class PhaseRunner(VenueProcess venue, OrderPool pool, PhaseRecorder recorder, TextWriter log)
{
    // Longer than the engine's request timeout times its retries: a run that has not settled by then never will.
    private static readonly TimeSpan s_outcomeTimeout = TimeSpan.FromSeconds(60);

    public async Task<PhaseResult> RunAsync(ILoadClient client, PhaseSpec spec)
    {
        PhaseOrders orders = pool.Next();
        recorder.Reset(orders, signalEachOutcome: spec.Kind == PhaseKind.OneInFlight);
        await client.PrepareAsync(spec, recorder).ConfigureAwait(false);

        // Garbage from earlier runs (and from preparing this one) is collected now rather than during the run.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        VenueStats before = await venue.GetStatsAsync().ConfigureAwait(false);

        ThreadCpuProfile threadsBefore = ThreadCpuProfile.Take();
        ResourceUse start = ResourceUse.AtStart(precise: true);
        int issued = await client.DriveAsync(spec, recorder).ConfigureAwait(false);
        bool complete = await recorder.WaitForAllAsync(issued, s_outcomeTimeout).ConfigureAwait(false);
        ResourceUse used = ResourceUse.AtEnd(precise: true) - start;
        ThreadActivity threads = ThreadCpuProfile.Take().Since(threadsBefore);

        pool.Advance(issued);
        ClientFacts facts = await client.FinishAsync(spec, issued, recorder).ConfigureAwait(false);
        VenueStats venueDelta = await venue.GetStatsAsync().ConfigureAwait(false) - before;

        List<string> problems = Reconcile(spec, issued, complete, orders, venueDelta, facts);

        // A one-in-flight run's lead-in is reconciled with the rest but timed apart: its round trips and rate
        // describe the configuration settling, not the configuration.
        int measuredFrom = spec.Kind == PhaseKind.OneInFlight ? Math.Min(spec.LeadIn, issued) : 0;
        (long firstStart, long lastEnd) = recorder.Span(measuredFrom, issued);
        long completed = recorder.Completed;
        long measured = spec.Kind == PhaseKind.OneInFlight ? issued - measuredFrom : completed;
        double seconds = completed == 0 || measured == 0 ? 0 : (lastEnd - firstStart) / (double)Stopwatch.Frequency;
        var result = new PhaseResult
        {
            Spec = spec,
            WaitStrategy = client.WaitStrategyFor(spec),
            Cancels = measured,
            LeadIn = measuredFrom,
            Seconds = seconds,
            CpuMicrosPerCancel = completed == 0 ? 0 : used.Cpu.TotalMicroseconds / completed,
            AllocatedBytesPerCancel = completed == 0 ? 0 : used.AllocatedBytes / (double)completed,
            RoundTrip = LatencySummary.From(recorder.RoundTrips(measuredFrom, issued)),
            TickToWire = LatencySummary.From(facts.TickToWire),
            TickToWireOwn = LatencySummary.From(facts.TickToWireOwn),
            VenueWait = LatencySummary.From(facts.VenueWait),
            VenueWaits = facts.VenueWait?.TotalCount ?? 0,
            WireRoundTrip = LatencySummary.From(facts.WireRoundTrip),
            Acked = recorder.Acked,
            Rejected = recorder.Rejected,
            Retries = facts.Retries,
            VenueConnectionsOpened = venueDelta.ConnectionsOpened,
            Collections = (used.Gen0, used.Gen1, used.Gen2),
            Problems = problems,
            CpuByThread = threads.CpuShares,
            KernelCpuShare = threads.KernelShare,
            SwitchesByThread = threads.Switches,
            EngineThreadsCpu = threads.Ticks.Count == 0 ? null : threads.CpuOf(PhaseResult.EngineThreadGroups),
        };
        log.WriteLine(
            $"  {client.Name,-10} {spec.Name,-8} {measured,9:N0} cancels{(measuredFrom > 0 ? $" (after {measuredFrom:N0} lead-in)" : "")} in {seconds,6:0.00} s = {result.CancelsPerSecond,9:N0}/s, " +
            $"{result.CpuMicrosPerCancel,7:0.00} µs CPU, {result.AllocatedBytesPerCancel,8:N1} B per cancel, {(result.Verified ? "counts reconciled" : "FAILED: " + string.Join("; ", problems))}");
        return result;
    }

    private List<string> Reconcile(PhaseSpec spec, int issued, bool complete, PhaseOrders orders, VenueStats venueDelta, ClientFacts facts)
    {
        var problems = new List<string>(facts.Problems);
        void Expect(string what, long expected, long actual)
        {
            if (expected != actual)
            {
                problems.Add($"{what}: expected {expected:N0}, got {actual:N0}");
            }
        }

        if (issued == 0)
        {
            problems.Add("nothing was issued");
        }

        if (spec.Kind == PhaseKind.Steady)
        {
            Expect("cancels issued at the offered rate", spec.SteadyCount, issued);
        }
        else if (spec.Kind == PhaseKind.Mass)
        {
            Expect("cancels published at once", spec.Count, issued);
        }
        else if (spec.Kind == PhaseKind.OneInFlight)
        {
            Expect("cancels issued one at a time (lead-in included)", Math.Min(spec.Capacity, spec.OneInFlightTotal), issued);
        }

        if (!complete)
        {
            problems.Add($"only {recorder.Completed:N0} of {issued:N0} outcomes within {s_outcomeTimeout.TotalSeconds:0} s");
        }

        long reused = orders.ReusedAmong(issued);
        Expect("outcomes", issued, recorder.Completed);
        Expect("acked (fresh orders)", issued - reused, recorder.Acked);
        Expect("rejected (orders canceled before)", reused, recorder.Rejected);
        Expect("failed", 0, recorder.Failed);
        Expect("expired", 0, recorder.Expired);
        Expect("second outcomes for one cancel", 0, recorder.Duplicates);
        Expect("outcomes for tags never issued", 0, recorder.UnknownTags);
        Expect("outcomes naming another order", 0, recorder.WrongOrder);
        Expect("answers echoing another request id", 0, recorder.WrongEchoedId);
        Expect("acks of orders canceled before", 0, recorder.UnexpectedAcks);
        Expect("rejections of fresh orders or with an unexpected code", 0, recorder.UnexpectedRejections);
        Expect("venue acked", recorder.Acked, venueDelta.Acked);
        Expect("venue rejected", recorder.Rejected, venueDelta.Rejected);
        Expect("venue cancel requests", facts.Requests, venueDelta.CancelRequests);
        Expect("venue duplicate request ids", 0, venueDelta.DuplicateRequestIds);
        if (recorder.FirstProblem is { } first && problems.Count > 0)
        {
            problems.Add("first problem seen: " + first);
        }

        return problems;
    }
}
