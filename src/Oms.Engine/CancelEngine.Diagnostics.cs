namespace Oms.Engine;

/// <summary>What the engine tells about itself: counters and latency histograms, copied without allocating from any thread.</summary>
public sealed partial class CancelEngine
{
    /// <summary>Copies the confirmation latency (nanoseconds): from each cancel's outcome to its order's fate.</summary>
    /// <remarks>The consumer keeps writing while this copies; the copy is consistent enough for percentiles.</remarks>
    public void CopyConfirmLatency(LatencyHistogram confirm)
    {
        ArgumentNullException.ThrowIfNull(confirm);
        _consumer.ConfirmLatency?.CopyTo(confirm);
    }

    /// <summary>The counters, copied without allocating.</summary>
    public EngineCountersSnapshot GetCounters() => _counters.Snapshot();

    /// <summary>Rejections so far with a given venue reason.</summary>
    public long GetRejectedCount(VenueReason reason) => _counters.RejectedBy(reason);

    /// <summary>Failures so far for a given reason.</summary>
    public long GetFailedCount(CancelFailureReason reason) => _counters.FailedBy(reason);

    /// <summary>Copies the latency histograms (nanoseconds): tick-to-wire and round trip.</summary>
    /// <remarks>The consumer keeps writing while this copies; the copy is consistent enough for percentiles.</remarks>
    public void CopyLatencies(LatencyHistogram tickToWire, LatencyHistogram roundTrip)
    {
        ArgumentNullException.ThrowIfNull(tickToWire);
        ArgumentNullException.ThrowIfNull(roundTrip);
        _consumer.TickToWire.CopyTo(tickToWire);
        _consumer.RoundTrip.CopyTo(roundTrip);
    }

    /// <summary>
    /// Copies tick-to-wire split in two (nanoseconds): the engine's own time (publish to the moment the request could
    /// be written, and the writing) and the time a cancel waited for the venue's capacity (rate limiter, stream limit
    /// and flow control, a connection, a <c>retry-after</c> hold).
    /// </summary>
    /// <param name="own">Receives the engine's own part of every first send's tick-to-wire.</param>
    /// <param name="venueWait">
    /// Receives the wait of each first send that had to wait (only those: its count is how many waited; the
    /// <c>WaitedFor</c> counters of <see cref="GetCounters"/> say why).
    /// </param>
    /// <remarks>The consumer keeps writing while this copies; the copy is consistent enough for percentiles.</remarks>
    public void CopyTickToWireSplit(LatencyHistogram own, LatencyHistogram venueWait)
    {
        ArgumentNullException.ThrowIfNull(own);
        ArgumentNullException.ThrowIfNull(venueWait);
        _consumer.TickToWireOwn.CopyTo(own);
        _consumer.VenueWait.CopyTo(venueWait);
    }
}
