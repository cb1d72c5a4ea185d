using System.Globalization;
using System.Text.Json;
using Oms.Engine.Diagnostics;

namespace Oms.Load;

/// <summary>Writes a load run's report: a text table with a small histogram, or one JSON object.</summary>
internal static class ReportWriter
{
    public static void WriteText(LoadResult result, TextWriter output, string title, string costScope)
    {
        var c = result.Counters;
        var decided = Math.Max(1, result.Outcomes.Decided);
        output.WriteLine();
        output.WriteLine(title + (result.Interrupted ? " (interrupted)" : ""));
        output.WriteLine(Invariant($"  {decided:N0} outcomes in {result.Elapsed.TotalSeconds:N2} s: {result.CancelsPerSecond:N0} cancels/s, {c.Requests:N0} requests ({c.Retries:N0} retries)"));
        output.WriteLine();
        output.WriteLine("  outcome      count     share");
        WriteOutcome(output, "acked", result.Outcomes.Acked, decided);
        WriteOutcome(output, "rejected", result.Outcomes.Rejected, decided);
        foreach (var (reason, count) in result.Outcomes.RejectReasons.OrderByDescending(r => r.Value))
        {
            output.WriteLine(Invariant($"    {reason,-22} {count,9:N0}"));
        }

        WriteOutcome(output, "failed", result.Outcomes.Failed, decided);
        foreach (var (reason, count) in result.Outcomes.FailReasons.OrderByDescending(r => r.Value))
        {
            output.WriteLine(Invariant($"    {reason,-22} {count,9:N0}"));
        }

        WriteOutcome(output, "expired", result.Outcomes.Expired, decided);
        if (result.Refusals.Total > 0)
        {
            output.WriteLine(Invariant($"  refused    {result.Refusals.Total,9:N0}  by the engine at TryCancel, never sent: these intents have no outcome"));
            foreach (var (reason, count) in result.Refusals.Reasons.OrderByDescending(r => r.Value))
            {
                output.WriteLine(Invariant($"    {reason,-22} {count,9:N0}"));
            }
        }

        if (result.NotSent > 0)
        {
            output.WriteLine(Invariant($"  not sent   {result.NotSent,9:N0}  the run stopped before offering them to the engine"));
        }

        WriteFates(output, result);
        output.WriteLine(Invariant($"  coalesced {c.Coalesced:N0}, echoed-id mismatches {c.IdMismatches:N0}, ring-full refusals {c.RingFullRefusals:N0}, clock-skew answers {c.ClockSkewEvents:N0}, retry-after holds {c.RetryAfterHonoured:N0}, order-state table full {c.StateTableFull:N0}"));
        output.WriteLine();
        output.WriteLine("  latency (µs)         p50         p90         p99       p99.9         max");
        WriteLatency(output, "tick-to-wire", result.TickToWire);
        WriteLatency(output, "  engine's own", result.TickToWireOwn);
        WriteLatency(output, "  venue wait", result.VenueWait);
        WriteLatency(output, "round trip", result.RoundTrip);
        if (result.Confirming)
        {
            WriteLatency(output, "confirmation", result.ConfirmLatency);
        }

        WriteWaitExplanation(output, result);
        output.WriteLine();
        output.WriteLine("  tick-to-wire histogram, the engine's own part");
        WriteHistogram(output, result.TickToWireOwn);
        output.WriteLine();
        output.WriteLine("  round trip histogram");
        WriteHistogram(output, result.RoundTrip);
        output.WriteLine();
        var (a, b) = (result.Start, result.End);
        output.WriteLine(Invariant($"  process: working set {a.WorkingSetBytes / 1048576.0:N1} -> {b.WorkingSetBytes / 1048576.0:N1} MiB, managed heap {a.ManagedHeapBytes / 1048576.0:N1} -> {b.ManagedHeapBytes / 1048576.0:N1} MiB, GCs gen0/1/2 {b.Gen0 - a.Gen0}/{b.Gen1 - a.Gen1}/{b.Gen2 - a.Gen2}, handles {a.Handles} -> {b.Handles}, threads {a.Threads} -> {b.Threads}"));
        output.WriteLine("  cost per cancel:");
        if (result.EngineCpu is { } engineCpu)
        {
            output.WriteLine(Invariant($"    engine threads   {engineCpu.TotalMicroseconds / decided,9:N1} µs CPU  (consumer and {Math.Max(0, result.EngineThreads - 1)} connection readers){SpinNote(result.WaitStrategy)}"));
        }
        else
        {
            output.WriteLine("    engine threads           -  (per-thread CPU cannot be read on this system)");
        }

        output.WriteLine(Invariant($"    process          {result.ProcessCpu.TotalMicroseconds / decided,9:N1} µs CPU  ({costScope})"));
        output.WriteLine(Invariant($"    allocated        {result.ProcessAllocatedBytes / (double)decided,9:N0} B       (process); engine consumer thread {result.Outcomes.ConsumerAllocatedBytes / (double)decided:N1} B"));
    }

    public static void WriteJson(LoadResult result, TextWriter output)
    {
        var c = result.Counters;
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteNumber("orders", result.Orders);
            json.WriteNumber("intents", c.Intents);
            json.WriteNumber("acked", result.Outcomes.Acked);
            json.WriteNumber("rejected", result.Outcomes.Rejected);
            json.WriteNumber("failed", result.Outcomes.Failed);
            json.WriteNumber("expired", result.Outcomes.Expired);
            json.WriteNumber("refused", result.Refusals.Total);
            json.WriteNumber("notSent", result.NotSent);
            json.WriteNumber("coalesced", c.Coalesced);
            json.WriteNumber("requests", c.Requests);
            json.WriteNumber("retries", c.Retries);
            json.WriteNumber("idMismatches", c.IdMismatches);
            json.WriteNumber("ringFullRefusals", c.RingFullRefusals);
            json.WriteNumber("retryAfterHonoured", c.RetryAfterHonoured);
            json.WriteNumber("stateTableFull", c.StateTableFull);
            json.WriteNumber("elapsedSeconds", Math.Round(result.Elapsed.TotalSeconds, 3));
            json.WriteNumber("cancelsPerSecond", Math.Round(result.CancelsPerSecond, 1));
            json.WriteNumber("cpuMicrosPerCancel", Math.Round(result.ProcessCpu.TotalMicroseconds / Math.Max(1, result.Outcomes.Decided), 2));
            if (result.EngineCpu is { } engineCpu)
            {
                json.WriteNumber("engineCpuMicrosPerCancel", Math.Round(engineCpu.TotalMicroseconds / Math.Max(1, result.Outcomes.Decided), 2));
            }
            else
            {
                json.WriteNull("engineCpuMicrosPerCancel");
            }

            json.WriteNumber("engineThreads", result.EngineThreads);
            json.WriteNumber("allocatedBytesPerCancel", Math.Round(result.ProcessAllocatedBytes / (double)Math.Max(1, result.Outcomes.Decided), 1));
            json.WriteBoolean("interrupted", result.Interrupted);
            WriteLatencyJson(json, "rttMicros", result.RoundTrip);
            WriteLatencyJson(json, "tickToWireMicros", result.TickToWire);
            WriteLatencyJson(json, "tickToWireOwnMicros", result.TickToWireOwn);
            WriteLatencyJson(json, "venueWaitMicros", result.VenueWait);
            json.WriteStartObject("venueWaits");
            foreach (var (name, count) in WaitCauses(c))
            {
                json.WriteNumber(name, count);
            }

            json.WriteEndObject();
            WriteFatesJson(json, result);
            if (result.ReconcileOpenOrders is { } open)
            {
                json.WriteNumber("reconcileOpenOrders", open);
            }
            else
            {
                json.WriteNull("reconcileOpenOrders");
            }

            json.WriteStartObject("process");
            json.WriteNumber("workingSetStartBytes", result.Start.WorkingSetBytes);
            json.WriteNumber("workingSetEndBytes", result.End.WorkingSetBytes);
            json.WriteNumber("managedHeapStartBytes", result.Start.ManagedHeapBytes);
            json.WriteNumber("managedHeapEndBytes", result.End.ManagedHeapBytes);
            json.WriteNumber("gen0Collections", result.End.Gen0 - result.Start.Gen0);
            json.WriteNumber("gen1Collections", result.End.Gen1 - result.Start.Gen1);
            json.WriteNumber("gen2Collections", result.End.Gen2 - result.Start.Gen2);
            json.WriteNumber("handlesStart", result.Start.Handles);
            json.WriteNumber("handlesEnd", result.End.Handles);
            json.WriteNumber("threadsStart", result.Start.Threads);
            json.WriteNumber("threadsEnd", result.End.Threads);
            json.WriteEndObject();
            WriteReasons(json, "rejectReasons", result.Outcomes.RejectReasons);
            WriteReasons(json, "failReasons", result.Outcomes.FailReasons);
            WriteReasons(json, "refuseReasons", result.Refusals.Reasons);
            json.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>The JSON names of the fates, in report order: scripts rely on them (README, "The oms command").</summary>
    internal static readonly (string Name, Oms.Engine.OrderFate Fate)[] FateFields =
    [
        ("canceled", Oms.Engine.OrderFate.Canceled),
        ("filled", Oms.Engine.OrderFate.Filled),
        ("open", Oms.Engine.OrderFate.Open),
        ("notFound", Oms.Engine.OrderFate.NotFound),
        ("unconfirmed", Oms.Engine.OrderFate.Unconfirmed),
    ];

    private static void WriteFates(TextWriter output, LoadResult result)
    {
        if (!result.Confirming)
        {
            output.WriteLine("  fates: not confirmed (--no-confirm, or engine.confirmation.enabled false)");
            return;
        }

        var c = result.Counters;
        var fates = Math.Max(1, result.Outcomes.Fates);
        output.WriteLine();
        output.WriteLine("  fate         count     share   (what became of each order after its cancel's outcome)");
        foreach (var (name, fate) in FateFields)
        {
            WriteOutcome(output, name, result.Outcomes.Fate(fate), fates);
        }

        output.WriteLine(Invariant($"  status requests {c.StatusRequests:N0} ({c.StatusFailures:N0} failed), stream messages {c.StreamMessages:N0}, stream reconnects {c.StreamReconnects:N0}"));
    }

    private static void WriteFatesJson(Utf8JsonWriter json, LoadResult result)
    {
        // Without confirmation there are no fates, which is not the same as none of each: null, never 0.
        foreach (var (name, fate) in FateFields)
        {
            if (result.Confirming)
            {
                json.WriteNumber(name, result.Outcomes.Fate(fate));
            }
            else
            {
                json.WriteNull(name);
            }
        }

        if (result.Confirming)
        {
            WriteLatencyJson(json, "confirmMicros", result.ConfirmLatency);
        }
        else
        {
            json.WriteNull("confirmMicros");
        }

        json.WriteNumber("statusRequests", result.Counters.StatusRequests);
        json.WriteNumber("streamReconnects", result.Counters.StreamReconnects);
    }

    // A consumer that spins or yields while idle holds its core whatever the load: its CPU is then what the run
    // cost, not what the cancels needed.
    private static string SpinNote(Oms.Engine.Sequencing.WaitStrategyKind wait) =>
        wait is Oms.Engine.Sequencing.WaitStrategyKind.BusySpin or Oms.Engine.Sequencing.WaitStrategyKind.Yielding
            ? $"; the {Oms.Engine.Sequencing.WaitStrategyFactory.GetName(wait)} consumer keeps its core busy while idle, so this is CPU held, not work (--wait-strategy blocking measures work)"
            : "";

    /// <summary>Why cancels waited before their first send, by cause: the JSON names of <c>venueWaits</c>.</summary>
    internal static (string Name, long Count)[] WaitCauses(Oms.Engine.EngineCountersSnapshot c) =>
    [
        ("behindQueue", c.WaitedBehindQueue),
        ("rateLimit", c.WaitedForRateLimit),
        ("streams", c.WaitedForStreams),
        ("connection", c.WaitedForConnection),
        ("hold", c.WaitedForHold),
    ];

    // Tick-to-wire above counts from TryCancel to the socket; whatever part of it was the venue's, this line says.
    private static void WriteWaitExplanation(TextWriter output, LoadResult result)
    {
        var c = result.Counters;
        var sent = result.TickToWireOwn.TotalCount;
        if (c.VenueWaits == 0)
        {
            output.WriteLine(Invariant($"  none of the {sent:N0} first sends waited for the venue's capacity: tick-to-wire is the engine's own time"));
            return;
        }

        var causes = string.Join(", ", new[]
        {
            (c.WaitedForRateLimit, "for the rate limiter (engine.rateLimitPerSecond, --limit)"),
            (c.WaitedBehindQueue, "behind cancels already waiting"),
            (c.WaitedForStreams, "for a stream (every connection at the venue's stream limit or out of send window)"),
            (c.WaitedForConnection, "for a connection (connecting or reconnecting)"),
            (c.WaitedForHold, "held (a retry-after, or until the venue accepted the key)"),
        }.Where(w => w.Item1 > 0).Select(w => Invariant($"{w.Item1:N0} {w.Item2}")));
        output.WriteLine(Invariant($"  {c.VenueWaits:N0} of {sent:N0} first sends waited for the venue's capacity, not for the engine: {causes}."));
        output.WriteLine("  tick-to-wire includes those waits; \"engine's own\" is tick-to-wire without them, \"venue wait\" the waits alone.");
    }

    private static void WriteOutcome(TextWriter output, string name, long count, long total) =>
        output.WriteLine(Invariant($"  {name,-10} {count,9:N0}  {100.0 * count / total,7:N2}%"));

    private static void WriteLatency(TextWriter output, string name, LatencyHistogram histogram)
    {
        if (LatencySummary.From(histogram) is not { } latency)
        {
            output.WriteLine(Invariant($"  {name,-13} (none)"));
            return;
        }

        output.WriteLine(Invariant($"  {name,-13}{latency.P50,12:N1}{latency.P90,12:N1}{latency.P99,12:N1}{latency.P999,12:N1}{latency.Max,12:N1}"));
    }

    private static void WriteHistogram(TextWriter output, LatencyHistogram histogram)
    {
        if (histogram.TotalCount == 0)
        {
            return;
        }

        // Shares per power-of-two bucket of microseconds, estimated from the percentile curve at 0.1% steps.
        const int steps = 1000;
        const int width = 40;
        var shares = new SortedDictionary<int, int>();
        for (var step = 1; step <= steps; step++)
        {
            var micros = Math.Max(1.0, histogram.GetValueAtPercentile(step * 100.0 / steps) / 1000.0);
            var bucket = (int)Math.Ceiling(Math.Log2(micros));
            shares[bucket] = shares.GetValueOrDefault(bucket) + 1;
        }

        var largest = shares.Values.Max();
        foreach (var (bucket, count) in shares)
        {
            var bar = new string('#', Math.Max(1, width * count / largest));
            output.WriteLine(Invariant($"    ≤ {Math.Pow(2, bucket),9:N0} µs  {count * 100.0 / steps,5:N1}%  {bar}"));
        }
    }

    private static void WriteLatencyJson(Utf8JsonWriter json, string name, LatencyHistogram histogram)
    {
        // An empty histogram reads as zeros, so every field is always there for scripts.
        var latency = LatencySummary.From(histogram);
        json.WriteStartObject(name);
        json.WriteNumber("count", latency?.Count ?? 0);
        json.WriteNumber("p50", Math.Round(latency?.P50 ?? 0, 1));
        json.WriteNumber("p90", Math.Round(latency?.P90 ?? 0, 1));
        json.WriteNumber("p99", Math.Round(latency?.P99 ?? 0, 1));
        json.WriteNumber("p999", Math.Round(latency?.P999 ?? 0, 1));
        json.WriteNumber("max", Math.Round(latency?.Max ?? 0, 1));
        json.WriteEndObject();
    }

    private static void WriteReasons(Utf8JsonWriter json, string name, IReadOnlyDictionary<string, long> reasons)
    {
        json.WriteStartObject(name);
        foreach (var (reason, count) in reasons.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            json.WriteNumber(reason, count);
        }

        json.WriteEndObject();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
