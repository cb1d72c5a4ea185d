using System.Globalization;
using Oms.Engine;
using Oms.Engine.Diagnostics;

namespace Oms.Load;

/// <summary>What a load run did: counters, latencies, costs.</summary>
internal sealed class LoadResult
{
    public required EngineCountersSnapshot Counters { get; init; }

    public required TallyListener Outcomes { get; init; }

    public required TimeSpan Elapsed { get; init; }

    public required LatencyHistogram TickToWire { get; init; }

    public required LatencyHistogram RoundTrip { get; init; }

    /// <summary>The engine's own part of each first send's tick-to-wire, without the time waited for the venue's capacity.</summary>
    public LatencyHistogram TickToWireOwn { get; init; } = new();

    /// <summary>How long each first send that had to wait waited for the venue's capacity (only those that waited).</summary>
    public LatencyHistogram VenueWait { get; init; } = new();

    /// <summary>Whether the engine confirmed fates; false with <c>--no-confirm</c>, and then no fate is reported.</summary>
    public required bool Confirming { get; init; }

    /// <summary>From each cancel's outcome to its order's fate (nanoseconds); empty when not confirming.</summary>
    public required LatencyHistogram ConfirmLatency { get; init; }

    /// <summary>Open orders the venue listed when the run reconciled (<c>--reconcile</c>); null when it did not.</summary>
    public int? ReconcileOpenOrders { get; set; }

    /// <summary>CPU of the whole process over the run: the engine, the strategy threads, and whatever else runs in it.</summary>
    public required TimeSpan ProcessCpu { get; init; }

    /// <summary>CPU of the engine's own threads (consumer and connection readers) over the run; null where it cannot be read.</summary>
    public required TimeSpan? EngineCpu { get; init; }

    /// <summary>How many engine threads <see cref="EngineCpu"/> covers.</summary>
    public required int EngineThreads { get; init; }

    /// <summary>The consumer's wait strategy: a spinning one holds a core busy even while idle.</summary>
    public required Oms.Engine.Sequencing.WaitStrategyKind WaitStrategy { get; init; }

    public required long ProcessAllocatedBytes { get; init; }

    /// <summary>The orders the run was asked to cancel.</summary>
    public required int Orders { get; init; }

    /// <summary>Intents the engine accepted; each gets exactly one outcome in <see cref="Outcomes"/>.</summary>
    public required long Published { get; init; }

    /// <summary>Intents the engine refused at <c>TryCancel</c>: never sent, counted by reason.</summary>
    public required RefusalTally Refusals { get; init; }

    /// <summary>Orders never offered to the engine because the run was stopped (Ctrl+C, credentials refused).</summary>
    public long NotSent => Orders - Published - Refusals.Total;

    public required bool Interrupted { get; init; }

    public required ProcessSample Start { get; init; }

    public required ProcessSample End { get; init; }

    /// <summary>
    /// Null when the venue decided every intent the run offered (Acked or Rejected); otherwise one line saying how many
    /// it did not decide and why (failed, expired, refused by the engine, no outcome). Orders left unsent by a stop the
    /// user asked for are not a shortfall: the report shows them as not sent, and the process exits 130 or 143.
    /// </summary>
    public string? Shortfall()
    {
        var refused = Refusals.Total;
        var undecided = Published - Outcomes.Decided;
        var failed = Outcomes.Failed;
        var expired = Outcomes.Expired;
        if (refused == 0 && undecided == 0 && failed == 0 && expired == 0)
        {
            return null;
        }

        var parts = new List<string>();
        if (failed > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{failed:N0} failed without the venue's answer"));
        }

        if (expired > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{expired:N0} expired unsent"));
        }

        if (refused > 0)
        {
            var reasons = string.Join(", ", Refusals.Reasons.OrderByDescending(r => r.Value).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} {r.Value:N0}")));
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{refused:N0} refused by the engine and never sent ({reasons})"));
        }

        if (undecided > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{undecided:N0} sent without an outcome"));
        }

        return string.Create(CultureInfo.InvariantCulture, $"{refused + undecided + failed + expired:N0} of {Orders:N0} intents were not decided by the venue: {string.Join("; ", parts)}");
    }

    /// <summary>
    /// Null when confirmation is off or every fate was confirmed; otherwise one line saying how many fates were
    /// <see cref="OrderFate.Unconfirmed"/>, i.e. not settled by the stream or status by the deadline.
    /// </summary>
    public string? UnconfirmedNote()
    {
        var unconfirmed = Outcomes.Fate(OrderFate.Unconfirmed);
        return !Confirming || unconfirmed == 0
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"{unconfirmed:N0} of {Outcomes.Fates:N0} fates were not confirmed by the deadline ({Counters.StatusFailures:N0} status queries failed, {Counters.StreamReconnects:N0} stream reconnects): what became of those orders is unknown");
    }

    public double CancelsPerSecond => Elapsed.TotalSeconds > 0 ? Outcomes.Decided / Elapsed.TotalSeconds : 0;
}
