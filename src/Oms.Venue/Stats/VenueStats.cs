using System.Collections.Concurrent;
using Oms.Venue.Handling;

namespace Oms.Venue.Stats;

/// <summary>Everything the venue saw, counted as it happened.</summary>
/// <remarks>
/// Written by Kestrel's request threads with interlocked increments and read at any time from any thread; a
/// <see cref="Snapshot"/> is not atomic across counters, so read it once the traffic being measured has ended.
/// </remarks>
public sealed class VenueStats
{
    private readonly long[] _checks = new long[Enum.GetValues<VenueCheck>().Length];
    private readonly long[] _faults = new long[Enum.GetValues<VenueFault>().Length];

    // Request ids seen so far, to count reuse. A request id is 32 bytes of text, so a million cancels cost about
    // 100 MB here; acceptable for a simulator, and the point is to catch a client that resends an id.
    private readonly ConcurrentDictionary<string, byte> _requestIds = new(StringComparer.Ordinal);

    private long _connectionsOpened;
    private long _connectionsOpen;
    private long _streams;
    private long _cancelRequests;
    private long _acked;
    private long _duplicateRequestIds;
    private long _otherRequests;
    private long _ordersCanceled;
    private long _filledBeforeCancel;
    private long _filledAfterAck;
    private long _statusRequests;
    private long _openOrdersRequests;
    private long _streamSessions;
    private long _streamUpgradesRejected;
    private long _streamUpgradesRefused;
    private long _streamMessagesSent;
    private long _streamMessagesDropped;
    private long _streamBacklogDropped;
    private long _streamClosedByFault;
    private long _ordersCanceledSingly;
    private long _ordersCanceledByBatch;
    private long _ordersCanceledByCancelAll;
    private long _batchRequests;
    private long _batchAcked;
    private long _batchOrders;
    private long _batchRefused;
    private long _batchRejected;
    private readonly long[] _batchSizes = new long[BatchCancelBody.MaxOrders];
    private long _cancelAllRequests;
    private long _cancelAllAcked;
    private long _cancelAllRejected;
    private long _cancelAllSurvivors;
    private long _rateLimited;

    /// <summary>TCP connections accepted since start.</summary>
    public long ConnectionsOpened => Volatile.Read(ref _connectionsOpened);

    /// <summary>TCP connections open now.</summary>
    public long ConnectionsOpen => Volatile.Read(ref _connectionsOpen);

    /// <summary>HTTP/2 streams on the cancel endpoints, whatever became of them.</summary>
    public long Streams => Volatile.Read(ref _streams);

    /// <summary>Cancel requests that passed the stream-level faults and were checked.</summary>
    public long CancelRequests => Volatile.Read(ref _cancelRequests);

    /// <summary>Cancels answered Ack: the order was open and is now canceled.</summary>
    public long Acked => Volatile.Read(ref _acked);

    /// <summary>Cancel requests refused by a check, all checks together.</summary>
    public long Rejected
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < _checks.Length; i++)
            {
                sum += Volatile.Read(ref _checks[i]);
            }

            return sum;
        }
    }

    /// <summary>Request ids that arrived more than once.</summary>
    public long DuplicateRequestIds => Volatile.Read(ref _duplicateRequestIds);

    /// <summary>Requests for anything but the cancel endpoints (stats, unknown paths).</summary>
    public long OtherRequests => Volatile.Read(ref _otherRequests);

    /// <summary>Orders whose acknowledged cancel took effect: their final status is Canceled.</summary>
    public long OrdersCanceled => Volatile.Read(ref _ordersCanceled);

    /// <summary>Orders that filled just before their cancel arrived (the cancel was answered 300006).</summary>
    public long FilledBeforeCancel => Volatile.Read(ref _filledBeforeCancel);

    /// <summary>Orders that filled after their cancel was acknowledged, before it took effect.</summary>
    public long FilledAfterAck => Volatile.Read(ref _filledAfterAck);

    /// <summary>Order status requests, answered or refused.</summary>
    public long StatusRequests => Volatile.Read(ref _statusRequests);

    /// <summary>Open-orders requests, answered or refused.</summary>
    public long OpenOrdersRequests => Volatile.Read(ref _openOrdersRequests);

    /// <summary>Private stream sessions accepted (upgrades that passed every check).</summary>
    public long StreamSessions => Volatile.Read(ref _streamSessions);

    /// <summary>Stream upgrades refused by a check (account group, key, timestamp, signature, not a WebSocket request).</summary>
    public long StreamUpgradesRejected => Volatile.Read(ref _streamUpgradesRejected);

    /// <summary>Stream upgrades refused with HTTP 503 by <see cref="VenueFaults.StreamRefuseMs"/>.</summary>
    public long StreamUpgradesRefused => Volatile.Read(ref _streamUpgradesRefused);

    /// <summary>Order messages written to stream sessions, one per session that received it.</summary>
    public long StreamMessagesSent => Volatile.Read(ref _streamMessagesSent);

    /// <summary>Order messages left out by <see cref="VenueFaults.StreamDropShare"/>, one per session that would have received it.</summary>
    public long StreamMessagesDropped => Volatile.Read(ref _streamMessagesDropped);

    /// <summary>Order messages a slow session lost because its queue was full (the oldest waiting one goes).</summary>
    public long StreamBacklogDropped => Volatile.Read(ref _streamBacklogDropped);

    /// <summary>Stream sessions dropped by <see cref="VenueFaults.StreamCloseEveryN"/>.</summary>
    public long StreamClosedByFault => Volatile.Read(ref _streamClosedByFault);

    /// <summary>Orders canceled by a single cancel (their final status is Canceled); with the two below, <see cref="OrdersCanceled"/>.</summary>
    public long OrdersCanceledSingly => Volatile.Read(ref _ordersCanceledSingly);

    /// <summary>Orders canceled by a batch cancel.</summary>
    public long OrdersCanceledByBatch => Volatile.Read(ref _ordersCanceledByBatch);

    /// <summary>Orders canceled by a cancel-all.</summary>
    public long OrdersCanceledByCancelAll => Volatile.Read(ref _ordersCanceledByCancelAll);

    /// <summary>Batch cancel requests that reached the checks (not rate-limited).</summary>
    public long BatchRequests => Volatile.Read(ref _batchRequests);

    /// <summary>Batch cancels answered Ack.</summary>
    public long BatchAcked => Volatile.Read(ref _batchAcked);

    /// <summary>Orders in batches answered Ack.</summary>
    public long BatchOrders => Volatile.Read(ref _batchOrders);

    /// <summary>Batches refused whole with 300013 INVALID_BATCH_ORDER because some order failed its checks.</summary>
    public long BatchRefused => Volatile.Read(ref _batchRefused);

    /// <summary>Batches refused before any order was looked at: authentication, the body's JSON, no orders or more than ten.</summary>
    public long BatchRejected => Volatile.Read(ref _batchRejected);

    /// <summary>Cancel-all requests that reached the checks (not rate-limited).</summary>
    public long CancelAllRequests => Volatile.Read(ref _cancelAllRequests);

    /// <summary>Cancel-alls answered Ack.</summary>
    public long CancelAllAcked => Volatile.Read(ref _cancelAllAcked);

    /// <summary>Cancel-alls refused by a check (authentication, the body).</summary>
    public long CancelAllRejected => Volatile.Read(ref _cancelAllRejected);

    /// <summary>Open orders a cancel-all left open on purpose (<see cref="VenueFaults.CancelAllSurvivorShare"/>).</summary>
    public long CancelAllSurvivors => Volatile.Read(ref _cancelAllSurvivors);

    /// <summary>Requests to the order endpoints answered HTTP 429 by <see cref="VenueOptions.RateLimitPerSecond"/>.</summary>
    public long RateLimited => Volatile.Read(ref _rateLimited);

    /// <summary>How many acknowledged batches held <paramref name="size"/> orders (1 to 10).</summary>
    public long BatchesOfSize(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, _batchSizes.Length);
        return Volatile.Read(ref _batchSizes[size - 1]);
    }

    /// <summary>How many requests a check refused.</summary>
    public long Count(VenueCheck check) => Volatile.Read(ref _checks[(int)check]);

    /// <summary>How many times a fault was injected.</summary>
    public long Count(VenueFault fault) => Volatile.Read(ref _faults[(int)fault]);

    /// <summary>A copy of every counter, keyed by kebab-case names for JSON.</summary>
    public VenueStatsSnapshot Snapshot()
    {
        var checks = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var check in Enum.GetValues<VenueCheck>())
        {
            checks[KebabCase(check.ToString())] = Count(check);
        }

        var faults = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var fault in Enum.GetValues<VenueFault>())
        {
            faults[KebabCase(fault.ToString())] = Count(fault);
        }

        return new VenueStatsSnapshot(
            ConnectionsOpened, ConnectionsOpen, Streams, CancelRequests, Acked, Rejected,
            DuplicateRequestIds, OtherRequests, checks, faults)
        {
            OrdersCanceled = OrdersCanceled,
            FilledBeforeCancel = FilledBeforeCancel,
            FilledAfterAck = FilledAfterAck,
            StatusRequests = StatusRequests,
            OpenOrdersRequests = OpenOrdersRequests,
            StreamSessions = StreamSessions,
            StreamUpgradesRejected = StreamUpgradesRejected,
            StreamUpgradesRefused = StreamUpgradesRefused,
            StreamMessagesSent = StreamMessagesSent,
            StreamMessagesDropped = StreamMessagesDropped,
            StreamBacklogDropped = StreamBacklogDropped,
            StreamClosedByFault = StreamClosedByFault,
            OrdersCanceledSingly = OrdersCanceledSingly,
            OrdersCanceledByBatch = OrdersCanceledByBatch,
            OrdersCanceledByCancelAll = OrdersCanceledByCancelAll,
            BatchRequests = BatchRequests,
            BatchAcked = BatchAcked,
            BatchOrders = BatchOrders,
            BatchSizes = Enumerable.Range(1, _batchSizes.Length).Select(BatchesOfSize).ToArray(),
            BatchRefused = BatchRefused,
            BatchRejected = BatchRejected,
            CancelAllRequests = CancelAllRequests,
            CancelAllAcked = CancelAllAcked,
            CancelAllRejected = CancelAllRejected,
            CancelAllSurvivors = CancelAllSurvivors,
            RateLimited = RateLimited,
        };
    }

    internal void OnConnectionOpened()
    {
        Interlocked.Increment(ref _connectionsOpened);
        Interlocked.Increment(ref _connectionsOpen);
    }

    internal void OnConnectionClosed() => Interlocked.Decrement(ref _connectionsOpen);

    internal void OnStream() => Interlocked.Increment(ref _streams);

    internal void OnCancelRequest() => Interlocked.Increment(ref _cancelRequests);

    internal void OnAcked() => Interlocked.Increment(ref _acked);

    internal void OnOrderCanceled(CancelPath path)
    {
        Interlocked.Increment(ref _ordersCanceled);
        switch (path)
        {
            case CancelPath.Batch:
                Interlocked.Increment(ref _ordersCanceledByBatch);
                break;
            case CancelPath.CancelAll:
                Interlocked.Increment(ref _ordersCanceledByCancelAll);
                break;
            default:
                Interlocked.Increment(ref _ordersCanceledSingly);
                break;
        }
    }

    internal void OnBatchRequest() => Interlocked.Increment(ref _batchRequests);

    internal void OnBatchAcked(int size)
    {
        Interlocked.Increment(ref _batchAcked);
        Interlocked.Add(ref _batchOrders, size);
        Interlocked.Increment(ref _batchSizes[size - 1]);
    }

    internal void OnBatchRefused() => Interlocked.Increment(ref _batchRefused);

    internal void OnBatchRejected() => Interlocked.Increment(ref _batchRejected);

    internal void OnCancelAllRequest() => Interlocked.Increment(ref _cancelAllRequests);

    internal void OnCancelAllAcked() => Interlocked.Increment(ref _cancelAllAcked);

    internal void OnCancelAllRejected() => Interlocked.Increment(ref _cancelAllRejected);

    internal void OnCancelAllSurvivor() => Interlocked.Increment(ref _cancelAllSurvivors);

    internal void OnRateLimited() => Interlocked.Increment(ref _rateLimited);

    internal void OnFilledBeforeCancel() => Interlocked.Increment(ref _filledBeforeCancel);

    internal void OnFilledAfterAck() => Interlocked.Increment(ref _filledAfterAck);

    internal void OnStatusRequest() => Interlocked.Increment(ref _statusRequests);

    internal void OnOpenOrdersRequest() => Interlocked.Increment(ref _openOrdersRequests);

    internal void OnStreamSession() => Interlocked.Increment(ref _streamSessions);

    internal void OnStreamUpgradeRejected() => Interlocked.Increment(ref _streamUpgradesRejected);

    internal void OnStreamUpgradeRefused() => Interlocked.Increment(ref _streamUpgradesRefused);

    internal void OnStreamMessageSent() => Interlocked.Increment(ref _streamMessagesSent);

    internal void OnStreamMessageDropped() => Interlocked.Increment(ref _streamMessagesDropped);

    internal void OnStreamBacklogDropped() => Interlocked.Increment(ref _streamBacklogDropped);

    internal void OnStreamClosedByFault() => Interlocked.Increment(ref _streamClosedByFault);

    internal void OnOtherRequest() => Interlocked.Increment(ref _otherRequests);

    internal void On(VenueCheck check) => Interlocked.Increment(ref _checks[(int)check]);

    internal void On(VenueFault fault) => Interlocked.Increment(ref _faults[(int)fault]);

    internal void OnRequestId(string requestId)
    {
        if (!_requestIds.TryAdd(requestId, 0))
        {
            Interlocked.Increment(ref _duplicateRequestIds);
        }
    }

    private static string KebabCase(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    builder.Append('-');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
