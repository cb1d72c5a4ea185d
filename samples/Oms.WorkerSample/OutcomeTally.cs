using Oms.Engine;
using Oms.Engine.Venues;

namespace Oms.WorkerSample;

/// <summary>
/// The engine's listener, taken from the container: every outcome, on the engine's consumer thread. Counting is all
/// it does; the counters and alarms already tell operators the rest, so nothing here logs per cancel.
/// </summary>
internal sealed class OutcomeTally : ICancelListener
{
    private long _acked;
    private long _notAcked;

    /// <summary>Cancels the venue acknowledged.</summary>
    public long Acked => Interlocked.Read(ref _acked);

    /// <summary>Cancels rejected, failed or expired.</summary>
    public long NotAcked => Interlocked.Read(ref _notAcked);

    public void OnAcked(long tag, ReadOnlySpan<byte> orderId) => Interlocked.Increment(ref _acked);

    public void OnRejected(long tag, ReadOnlySpan<byte> orderId, long code, VenueReason reason, ReadOnlySpan<byte> message) => Interlocked.Increment(ref _notAcked);

    public void OnFailed(long tag, ReadOnlySpan<byte> orderId, CancelFailureReason reason, ReadOnlySpan<byte> detail) => Interlocked.Increment(ref _notAcked);

    public void OnExpired(long tag, ReadOnlySpan<byte> orderId) => Interlocked.Increment(ref _notAcked);
}
