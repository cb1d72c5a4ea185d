namespace Oms.Engine.Confirmation;

/// <summary>
/// Owns the orders waiting for their fate: takes each cancel's outcome, listens to the order stream, decides when to
/// ask the venue by status and what its answers mean, and gives every intent exactly one fate (through the order-state
/// table, the counters and the listener) by the deadline at the latest. Consumer thread only; nothing allocates after
/// construction.
/// </summary>
/// <remarks>
/// <para>
/// An acked order first waits <see cref="ConfirmationSettings.StreamWait"/> for the stream (when it is live); an order
/// whose cancel was refused, failed or expired is asked at once (the stream says nothing of an order that does not
/// change). An acked order the venue still reports open is asked again every
/// <see cref="ConfirmationSettings.RecheckInterval"/>: the cancel may not have taken effect yet. When the stream ends,
/// every order waiting for it is asked instead: missed messages are not replayed.
/// </para>
/// <para>
/// The schedule is three lists (waiting for the stream, asking again, to ask now) and one deadline list, each appended
/// in due order, so each head is the next one due; an order is in one schedule list, or in a status request on the wire.
/// </para>
/// </remarks>
internal sealed partial class ConfirmationTracker
{
    private const byte InNone = 0;
    private const byte InWait = 1;
    private const byte InRecheck = 2;
    private const byte InAsk = 3;
    private const byte InRequest = 4;

    // Status requests on the wire at once, each with its own answer buffer.
    private const int RequestSlots = 4;

    private readonly ConfirmationSettings _settings;
    private readonly CancelStateTable _states;
    private readonly EngineCounters _counters;
    private readonly ICancelListener _listener;
    private readonly Record[] _records;
    private readonly Dictionary<OrderIdKey, int> _byOrder;
    private readonly Dictionary<OrderIdKey, VenueOrderStatus> _early;
    private readonly IndexLists _schedule;
    private readonly IndexLists _deadlines;
    private readonly long[] _tags;
    private readonly int[] _tagNext;
    private readonly StatusRequest[] _requests;
    private readonly OrderStatusItem[] _items;
    private readonly long _streamWaitTicks;
    private readonly long _recheckTicks;
    private readonly long _deadlineTicks;
    private readonly int _earlyCapacity;
    private int _freeRecord;
    private int _freeTag;
    private IndexList _wait = IndexList.Empty;
    private IndexList _recheck = IndexList.Empty;
    private IndexList _ask = IndexList.Empty;
    private IndexList _byDeadline = IndexList.Empty;
    private bool _streamLive;
    private bool _closed;
    private int _pending;

    public ConfirmationTracker(
        ConfirmationSettings settings, int maxResponseBody, CancelStateTable states, EngineCounters counters, ICancelListener listener)
    {
        _settings = settings;
        _states = states;
        _counters = counters;
        _listener = listener;
        var capacity = settings.Capacity;
        _records = new Record[capacity];
        for (var i = 0; i < capacity; i++)
        {
            _records[i].NextFree = i + 1 < capacity ? i + 1 : -1;
        }

        _byOrder = new Dictionary<OrderIdKey, int>(capacity, OrderIdKeyComparer.Instance);
        _earlyCapacity = capacity;
        _early = new Dictionary<OrderIdKey, VenueOrderStatus>(_earlyCapacity, OrderIdKeyComparer.Instance);
        _schedule = new IndexLists(capacity);
        _deadlines = new IndexLists(capacity);

        // Room for the coalesced intents of every order twice over; beyond it, the extra intent's fate is Unconfirmed.
        _tags = new long[capacity * 2];
        _tagNext = new int[capacity * 2];
        for (var i = 0; i < _tagNext.Length; i++)
        {
            _tagNext[i] = i + 1 < _tagNext.Length ? i + 1 : -1;
        }

        _requests = new StatusRequest[RequestSlots];
        for (var i = 0; i < _requests.Length; i++)
        {
            _requests[i] = new StatusRequest(settings.MaxIdsPerStatusRequest, maxResponseBody);
        }

        _items = new OrderStatusItem[settings.MaxIdsPerStatusRequest];
        _streamWaitTicks = Ticks(settings.StreamWait);
        _recheckTicks = Ticks(settings.RecheckInterval);
        _deadlineTicks = Ticks(settings.Deadline);
    }

    /// <summary>From each outcome to its fate, in nanoseconds.</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>Orders waiting for their fate.</summary>
    public int Pending => _pending;

    /// <summary>Whether order messages are flowing (connected, authenticated, subscribed).</summary>
    public bool IsStreamLive => _streamLive;

    /// <summary>
    /// A cancel's outcome is known: starts waiting for its order's fate (or joins the wait already under way for that
    /// order); the intents waiting on it follow through <see cref="AddTag"/>.
    /// </summary>
    /// <returns>The record the tags go to, or -1 when the fate was given at once (each tag then gets it through <see cref="AddTag"/>).</returns>
    public int Begin(in OrderId orderId, CancelEntryHandle handle, CancelState outcome, long now)
    {
        if (_closed)
        {
            return -1;
        }

        var key = OrderIdKey.FromBytes(orderId.Span);
        if (_byOrder.TryGetValue(key, out var index))
        {
            // A new cancel of an order still waiting: one fate for all of them, due by the latest outcome's deadline.
            ref var existing = ref _records[index];
            existing.Handle = handle;
            _states.SetFate(handle, OrderFate.Pending, now);
            existing.Acked |= outcome == CancelState.Acked;
            existing.DeadlineTicks = now + _deadlineTicks;
            _deadlines.Remove(ref _byDeadline, index);
            _deadlines.Append(ref _byDeadline, index);
            if (existing.List != InRequest)
            {
                Unschedule(index);
                Schedule(index, outcome == CancelState.Acked, now);
            }

            return index;
        }

        index = _freeRecord;
        if (index < 0)
        {
            return -1;
        }

        _freeRecord = _records[index].NextFree;
        ref var record = ref _records[index];
        record = new Record
        {
            OrderId = orderId,
            Handle = handle,
            OutcomeTicks = now,
            DeadlineTicks = now + _deadlineTicks,
            Acked = outcome == CancelState.Acked,
            TagHead = -1,
            NextFree = -1,
        };
        _byOrder.Add(key, index);
        _deadlines.Append(ref _byDeadline, index);
        _pending++;
        _counters.SetConfirmationsPending(_pending);
        _states.SetFate(handle, OrderFate.Pending, now);
        Schedule(index, record.Acked, now);
        return index;
    }

    /// <summary>Every intent of record <paramref name="index"/> is added: a stream message that came before the outcome settles it now.</summary>
    public void Started(int index)
    {
        if (index >= 0 && _early.Count > 0 && _early.Remove(OrderIdKey.FromBytes(_records[index].OrderId.Span), out var early))
        {
            ApplyStreamStatus(index, early);
        }
    }

    /// <summary>
    /// One intent waits on record <paramref name="index"/> (from <see cref="Begin"/>; call <see cref="Started"/> after the
    /// last); -1 gives it Unconfirmed at once.
    /// </summary>
    public void AddTag(int index, long tag, ReadOnlySpan<byte> orderId)
    {
        var node = _freeTag;
        if (index < 0 || node < 0)
        {
            // No record (confirmation closed, or no room): never guessed, reported as unconfirmed at once.
            Tell(tag, orderId, OrderFate.Unconfirmed);
            _counters.OnFate(OrderFate.Unconfirmed, 1, 0);
            return;
        }

        _freeTag = _tagNext[node];
        ref var record = ref _records[index];
        _tags[node] = tag;
        _tagNext[node] = record.TagHead;
        record.TagHead = node;
        record.Tags++;
    }

    /// <summary>The stream says <paramref name="orderId"/> is now <paramref name="status"/>.</summary>
    public void OnStreamStatus(ReadOnlySpan<byte> orderId, VenueOrderStatus status)
    {
        var key = OrderIdKey.FromBytes(orderId);
        if (_byOrder.TryGetValue(key, out var index))
        {
            ApplyStreamStatus(index, status);
            return;
        }

        if (IsFinal(status) && _states.GetState(orderId).IsInFlight() && _early.Count < _earlyCapacity)
        {
            // The venue's message overtook its answer to the cancel: kept until the outcome comes.
            _early[key] = status;
            return;
        }

        _counters.OnStreamMessageUnmatched();
    }

    /// <summary>The stream is live: acked orders may wait for it again.</summary>
    public void OnStreamLive() => _streamLive = true;

    /// <summary>The stream ended: whatever waited for it is asked by status, and new orders do not wait for it.</summary>
    public void OnStreamGap()
    {
        _streamLive = false;
        while (_wait.Head >= 0)
        {
            var index = _wait.Head;
            _schedule.Remove(ref _wait, index);
            _records[index].List = InNone;
            Enlist(ref _ask, index, InAsk);
        }
    }

    /// <summary>Gives the fate of every order past its deadline, and moves the orders now due into the list to ask.</summary>
    public void Advance(long now)
    {
        while (_byDeadline.Head >= 0 && _records[_byDeadline.Head].DeadlineTicks <= now)
        {
            var index = _byDeadline.Head;
            Settle(index, _records[index].SeenOpen ? OrderFate.Open : OrderFate.Unconfirmed, now);
        }

        MoveDue(ref _wait, now);
        MoveDue(ref _recheck, now);
    }

    /// <summary>Stop: every order still waiting gets <paramref name="fate"/>, and any later outcome gets it at once.</summary>
    public void SettleAll(OrderFate fate)
    {
        _closed = true;
        var now = Stopwatch.GetTimestamp();
        while (_byDeadline.Head >= 0)
        {
            Settle(_byDeadline.Head, fate, now);
        }
    }

    private static bool IsFinal(VenueOrderStatus status) =>
        status is VenueOrderStatus.Canceled or VenueOrderStatus.Filled or VenueOrderStatus.Rejected;

    private static OrderFate FateOfFinal(VenueOrderStatus status) => status switch
    {
        VenueOrderStatus.Canceled => OrderFate.Canceled,
        VenueOrderStatus.Filled => OrderFate.Filled,
        _ => OrderFate.NotFound,
    };

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private void ApplyStreamStatus(int index, VenueOrderStatus status)
    {
        // Only a final status settles a fate from the stream: New or PartiallyFilled is a step on the way.
        if (IsFinal(status))
        {
            Settle(index, FateOfFinal(status), Stopwatch.GetTimestamp());
        }
    }

    private void Schedule(int index, bool acked, long now)
    {
        if (!acked)
        {
            Enlist(ref _ask, index, InAsk);
        }
        else if (_streamLive)
        {
            Enlist(ref _wait, index, InWait, now + _streamWaitTicks);
        }
        else
        {
            Enlist(ref _recheck, index, InRecheck, now + _recheckTicks);
        }
    }

    private void Enlist(ref IndexList list, int index, byte where, long dueTicks = 0)
    {
        _records[index].List = where;
        _records[index].DueTicks = dueTicks;
        _schedule.Append(ref list, index);
    }

    private void Unschedule(int index)
    {
        switch (_records[index].List)
        {
            case InWait:
                _schedule.Remove(ref _wait, index);
                break;
            case InRecheck:
                _schedule.Remove(ref _recheck, index);
                break;
            case InAsk:
                _schedule.Remove(ref _ask, index);
                break;
        }

        _records[index].List = InNone;
        _records[index].Request = null;
    }

    private void MoveDue(ref IndexList list, long now)
    {
        while (list.Head >= 0 && _records[list.Head].DueTicks <= now)
        {
            var index = list.Head;
            _schedule.Remove(ref list, index);
            Enlist(ref _ask, index, InAsk);
        }
    }

    private void Settle(int index, OrderFate fate, long now)
    {
        ref var record = ref _records[index];
        Unschedule(index);
        _deadlines.Remove(ref _byDeadline, index);
        _byOrder.Remove(OrderIdKey.FromBytes(record.OrderId.Span));
        _states.SetFate(record.Handle, fate, now);
        _pending--;
        _counters.SetConfirmationsPending(_pending);
        var ticks = Math.Max(0, now - record.OutcomeTicks);
        var micros = ticks * 1_000_000.0 / Stopwatch.Frequency;
        Latency.RecordStopwatchTicks(ticks);
        if (record.Tags > 0)
        {
            _counters.OnFate(fate, record.Tags, micros);
        }

        var orderId = record.OrderId;
        for (var node = record.TagHead; node >= 0;)
        {
            var next = _tagNext[node];
            Tell(_tags[node], orderId.Span, fate);
            _tagNext[node] = _freeTag;
            _freeTag = node;
            node = next;
        }

        record = default;
        record.NextFree = _freeRecord;
        _freeRecord = index;
    }

    private void Tell(long tag, ReadOnlySpan<byte> orderId, OrderFate fate)
    {
        try
        {
            _listener.OnFate(tag, orderId, fate);
        }
        catch (Exception)
        {
            _counters.OnListenerException();
        }
    }

    private struct Record
    {
        public OrderId OrderId;
        public CancelEntryHandle Handle;
        public long OutcomeTicks;
        public long DeadlineTicks;
        public long DueTicks;
        public StatusRequest? Request;
        public int TagHead;
        public int Tags;
        public int NextFree;
        public byte List;
        public bool Acked;
        public bool SeenOpen;
    }

    private sealed class OrderIdKeyComparer : IEqualityComparer<OrderIdKey>
    {
        public static readonly OrderIdKeyComparer Instance = new();

        public bool Equals(OrderIdKey x, OrderIdKey y) => x.Hash == y.Hash && x.SameId(in y);

        public int GetHashCode(OrderIdKey key) => (int)key.Hash;
    }
}
