using System.Collections.Concurrent;
using Oms.Engine;
using Oms.Engine.Venues;
using Oms.Engine.Venues.AscendEx;

namespace Oms.Load;

/// <summary>
/// Counts outcomes for the progress line and the report, measures the consumer thread's allocations, and passes each
/// outcome on to <paramref name="next"/> when one is given (the harness checks every tag's order there).
/// </summary>
/// <remarks>Runs on the engine's consumer thread; its counts may be read from any thread.</remarks>
/// <param name="next">A listener that sees every outcome after it is counted; null for none.</param>
internal sealed class TallyListener(ICancelListener? next = null) : ICancelListener
{
    private readonly ConcurrentDictionary<string, long> _rejectReasons = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _failReasons = new(StringComparer.Ordinal);

    // Names computed once: the listener runs on the consumer thread, which should not allocate per outcome.
    private static readonly string[] s_failureNames = Enum.GetNames<CancelFailureReason>();
    private long _acked;
    private long _rejected;
    private long _failed;
    private long _expired;
    private readonly long[] _fates = new long[(int)OrderFate.Unconfirmed + 1];
    private long _consumerAllocatedAtFirst = -1;
    private long _consumerAllocatedAtLast;

    public long Acked => Volatile.Read(ref _acked);

    public long Rejected => Volatile.Read(ref _rejected);

    public long Failed => Volatile.Read(ref _failed);

    public long Expired => Volatile.Read(ref _expired);

    public long Decided => Acked + Rejected + Failed + Expired;

    /// <summary>Fates heard so far, of every kind: equal to <see cref="Decided"/> once confirmation has caught up.</summary>
    public long Fates => Fate(OrderFate.Canceled) + Fate(OrderFate.Filled) + Fate(OrderFate.Open) + Fate(OrderFate.NotFound) + Fate(OrderFate.Unconfirmed);

    /// <summary>How many intents were given <paramref name="fate"/>.</summary>
    public long Fate(OrderFate fate) => Volatile.Read(ref _fates[(int)fate]);

    public IReadOnlyDictionary<string, long> RejectReasons => _rejectReasons;

    public IReadOnlyDictionary<string, long> FailReasons => _failReasons;

    /// <summary>Bytes the consumer thread allocated between the first and the latest outcome.</summary>
    public long ConsumerAllocatedBytes => _consumerAllocatedAtFirst < 0 ? 0 : Volatile.Read(ref _consumerAllocatedAtLast) - _consumerAllocatedAtFirst;

    /// <summary>The first refusal or failure text seen, for one-line error messages.</summary>
    public string? FirstRejectMessage { get; private set; }

    public void OnAcked(long tag, ReadOnlySpan<byte> orderId)
    {
        Interlocked.Increment(ref _acked);
        Sample();
        next?.OnAcked(tag, orderId);
    }

    public void OnRejected(long tag, ReadOnlySpan<byte> orderId, long code, VenueReason reason, ReadOnlySpan<byte> message)
    {
        Interlocked.Increment(ref _rejected);
        _rejectReasons.AddOrUpdate(VenueErrorCodes.ReasonText(reason) ?? code.ToString(System.Globalization.CultureInfo.InvariantCulture), 1, static (_, n) => n + 1);
        FirstRejectMessage ??= System.Text.Encoding.UTF8.GetString(message);
        Sample();
        next?.OnRejected(tag, orderId, code, reason, message);
    }

    /// <summary>The venue's words when it refused the credentials (<c>code reason: message</c>), or null.</summary>
    public string? CredentialsRefusal { get; private set; }

    public void OnFailed(long tag, ReadOnlySpan<byte> orderId, CancelFailureReason reason, ReadOnlySpan<byte> detail)
    {
        if (reason == CancelFailureReason.AuthenticationFailed && !detail.IsEmpty && CredentialsRefusal is null)
        {
            // Once per run: the engine stops sending after the first refusal.
            CredentialsRefusal = System.Text.Encoding.UTF8.GetString(detail).ReplaceLineEndings(" ");
        }

        Interlocked.Increment(ref _failed);
        _failReasons.AddOrUpdate(s_failureNames[(int)reason], 1, static (_, n) => n + 1);
        Sample();
        next?.OnFailed(tag, orderId, reason, detail);
    }

    public void OnExpired(long tag, ReadOnlySpan<byte> orderId)
    {
        Interlocked.Increment(ref _expired);
        Sample();
        next?.OnExpired(tag, orderId);
    }

    public void OnFate(long tag, ReadOnlySpan<byte> orderId, OrderFate fate)
    {
        // The engine never reports None or Pending; a value beyond the table would be a new fate this tally must learn.
        Interlocked.Increment(ref _fates[(int)fate]);
        Sample();
        next?.OnFate(tag, orderId, fate);
    }

    /// <summary>Nothing to count (the engine's counters have it); passed on.</summary>
    public void OnIdMismatch(long tag, ReadOnlySpan<byte> orderId, ReadOnlySpan<byte> sentId, ReadOnlySpan<byte> echoedId) =>
        next?.OnIdMismatch(tag, orderId, sentId, echoedId);

    private void Sample()
    {
        // The listener runs on the consumer thread, so this is that thread's allocation count: the engine's own.
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        if (_consumerAllocatedAtFirst < 0)
        {
            _consumerAllocatedAtFirst = allocated;
        }

        Volatile.Write(ref _consumerAllocatedAtLast, allocated);
    }
}
