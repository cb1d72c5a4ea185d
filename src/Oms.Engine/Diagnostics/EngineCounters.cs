using System.Diagnostics.Metrics;

namespace Oms.Engine.Diagnostics;

/// <summary>
/// The engine's counters: written by the consumer thread (and the refusal counters by strategy threads, with
/// interlocked increments), read from anywhere, and published as meter <c>Oms.Engine</c>.
/// </summary>
internal sealed class EngineCounters : IDisposable
{
    public const string MeterName = "Oms.Engine";

    private readonly long[] _rejectedByReason = new long[Enum.GetValues<VenueReason>().Length];
    private readonly long[] _failedByReason = new long[Enum.GetValues<CancelFailureReason>().Length];
    private readonly Meter _meter;
    private readonly Histogram<double> _tickToWire;
    private readonly Histogram<double> _tickToWireOwn;
    private readonly Histogram<double> _venueWait;
    private readonly long[] _venueWaits = new long[Enum.GetValues<VenueWaitCause>().Length];
    private readonly Histogram<double> _roundTrip;
    private readonly Histogram<double> _confirm;
    private readonly long[] _fates = new long[Enum.GetValues<OrderFate>().Length];
    private readonly Func<long> _ringOccupancy;
    private readonly Func<long> _orderStates;

    private long _intents;
    private long _acked;
    private long _expired;
    private long _coalesced;
    private long _requests;
    private long _retries;
    private long _idMismatches;
    private long _ringFull;
    private long _refusals;
    private long _clockSkew;
    private long _lastClockSkewSeconds;
    private long _retryAfterHonoured;
    private long _inFlight;
    private long _listenerExceptions;
    private int _authenticationFailed;
    private int _keyProven;
    private long _confirmationsPending;
    private long _statusRequests;
    private long _statusFailures;
    private long _streamNotesDropped;
    private long _streamUnmatched;
    private long _batchRequests;
    private long _batchOrders;
    private long _cancelAllRequests;
    private int _killSwitchEngaged;
    private Func<long> _streamReconnects = static () => 0;
    private Func<long> _streamMessages = static () => 0;
    private Func<long> _clockOffsetMillis = static () => 0;

    public EngineCounters(Func<long> ringOccupancy, Func<long> orderStates)
    {
        _ringOccupancy = ringOccupancy;
        _orderStates = orderStates;
        _meter = new Meter(MeterName, "1.0");
        _meter.CreateObservableCounter("oms.engine.intents", () => Volatile.Read(ref _intents), "{intent}", "cancel intents accepted");
        _meter.CreateObservableCounter("oms.engine.acked", () => Volatile.Read(ref _acked), "{intent}", "cancels acknowledged by the venue");
        _meter.CreateObservableCounter("oms.engine.rejected", ObserveRejected, "{intent}", "cancels refused by the venue, tagged by reason");
        _meter.CreateObservableCounter("oms.engine.failed", ObserveFailed, "{intent}", "cancels without an answer, tagged by reason");
        _meter.CreateObservableCounter("oms.engine.expired", () => Volatile.Read(ref _expired), "{intent}", "intents older than the venue window, never sent");
        _meter.CreateObservableCounter("oms.engine.coalesced", () => Volatile.Read(ref _coalesced), "{intent}", "intents joined to a cancel already in flight");
        _meter.CreateObservableCounter("oms.engine.requests", () => Volatile.Read(ref _requests), "{request}", "HTTP requests sent, retries included");
        _meter.CreateObservableCounter("oms.engine.retries", () => Volatile.Read(ref _retries), "{request}", "requests sent again with a new id");
        _meter.CreateObservableCounter("oms.engine.id_mismatches", () => Volatile.Read(ref _idMismatches), "{response}", "answers echoing another id than the one sent");
        _meter.CreateObservableCounter("oms.engine.ring_full", () => Volatile.Read(ref _ringFull), "{call}", "TryCancel calls refused because the ring was full");
        _meter.CreateObservableCounter("oms.engine.retry_after", () => Volatile.Read(ref _retryAfterHonoured), "{response}", "retryable answers whose retry-after held every send");
        _meter.CreateObservableCounter("oms.engine.clock_skew", () => Volatile.Read(ref _clockSkew), "{response}", "100011 answers (clock skew)");
        _meter.CreateObservableGauge("oms.engine.clock_skew.last", () => Volatile.Read(ref _lastClockSkewSeconds), "s", "the venue's clock minus ours, from the date header of the last 100011 answer");
        _meter.CreateObservableUpDownCounter("oms.engine.in_flight", () => Volatile.Read(ref _inFlight), "{request}", "requests on the wire");
        _meter.CreateObservableUpDownCounter("oms.engine.ring.occupancy", _ringOccupancy, "{slot}", "ring slots in use");
        _meter.CreateObservableUpDownCounter("oms.engine.order_states", _orderStates, "{entry}", "order-state entries in use (in flight or retained)");
        _meter.CreateObservableCounter("oms.engine.state_table_full", () => FailedBy(CancelFailureReason.StateTableFull), "{intent}", "intents failed unsent: no order-state entry free");
        _meter.CreateObservableCounter("oms.engine.canceled", () => FateCount(OrderFate.Canceled), "{intent}", "fates: the venue says the order is canceled");
        _meter.CreateObservableCounter("oms.engine.filled", () => FateCount(OrderFate.Filled), "{intent}", "fates: the order filled before the cancel took");
        _meter.CreateObservableCounter("oms.engine.open", () => FateCount(OrderFate.Open), "{intent}", "fates: the venue says the order is still open");
        _meter.CreateObservableCounter("oms.engine.not_found", () => FateCount(OrderFate.NotFound), "{intent}", "fates: the venue knows no such order");
        _meter.CreateObservableCounter("oms.engine.unconfirmed", () => FateCount(OrderFate.Unconfirmed), "{intent}", "fates: no source settled it by the deadline");
        _meter.CreateObservableUpDownCounter("oms.engine.confirmations_pending", () => Volatile.Read(ref _confirmationsPending), "{order}", "orders waiting for their fate");
        _meter.CreateObservableCounter("oms.engine.status_requests", () => Volatile.Read(ref _statusRequests), "{request}", "order-status requests sent");
        _meter.CreateObservableCounter("oms.engine.stream.reconnects", () => _streamReconnects(), "{connection}", "order-stream connections after the first");
        _meter.CreateObservableCounter("oms.engine.stream.messages", () => _streamMessages(), "{message}", "order messages received on the stream");
        _meter.CreateObservableGauge("oms.engine.clock_offset", () => _clockOffsetMillis(), "ms", "the venue's clock minus ours, from the stream's last pong");
        _meter.CreateObservableCounter("oms.engine.batch.requests", () => Volatile.Read(ref _batchRequests), "{request}", "batch cancels sent");
        _meter.CreateObservableCounter("oms.engine.batch.orders", () => Volatile.Read(ref _batchOrders), "{intent}", "cancels sent in batches");
        _meter.CreateObservableCounter("oms.engine.cancel_all.requests", () => Volatile.Read(ref _cancelAllRequests), "{request}", "cancel-all requests sent to the venue");
        _meter.CreateObservableGauge("oms.engine.kill_switch.engaged", () => Volatile.Read(ref _killSwitchEngaged), "{switch}", "1 while the kill switch is engaged");
        _confirm = _meter.CreateHistogram<double>("oms.engine.confirm", "us", "from a cancel's outcome to its order's fate");
        _tickToWire = _meter.CreateHistogram<double>("oms.engine.tick_to_wire", "us", "from TryCancel to the socket write that carries the request");
        _tickToWireOwn = _meter.CreateHistogram<double>("oms.engine.tick_to_wire.own", "us", "the engine's own part of tick-to-wire: without the time waited for the venue's capacity");
        _venueWait = _meter.CreateHistogram<double>("oms.engine.venue_wait", "us", "how long a cancel that could not go out at once waited for the venue's capacity (rate limit, streams, connection, hold)");
        _roundTrip = _meter.CreateHistogram<double>("oms.engine.round_trip", "us", "from the socket write to the venue's answer");
    }

    public long RejectedBy(VenueReason reason) => Volatile.Read(ref _rejectedByReason[(int)reason]);

    public long FailedBy(CancelFailureReason reason) => Volatile.Read(ref _failedByReason[(int)reason]);

    public bool AuthenticationFailed => Volatile.Read(ref _authenticationFailed) != 0;

    public EngineCountersSnapshot Snapshot() => new()
    {
        Intents = Volatile.Read(ref _intents),
        Acked = Volatile.Read(ref _acked),
        Rejected = Sum(_rejectedByReason),
        Failed = Sum(_failedByReason),
        Expired = Volatile.Read(ref _expired),
        Coalesced = Volatile.Read(ref _coalesced),
        Requests = Volatile.Read(ref _requests),
        Retries = Volatile.Read(ref _retries),
        IdMismatches = Volatile.Read(ref _idMismatches),
        RingFullRefusals = Volatile.Read(ref _ringFull),
        Refusals = Volatile.Read(ref _refusals),
        ClockSkewEvents = Volatile.Read(ref _clockSkew),
        LastClockSkewSeconds = Volatile.Read(ref _lastClockSkewSeconds),
        RetryAfterHonoured = Volatile.Read(ref _retryAfterHonoured),
        InFlight = Volatile.Read(ref _inFlight),
        RingOccupancy = _ringOccupancy(),
        StateTableFull = FailedBy(CancelFailureReason.StateTableFull),
        OrderStates = _orderStates(),
        ListenerExceptions = Volatile.Read(ref _listenerExceptions),
        AuthenticationFailed = AuthenticationFailed,
        KeyProven = Volatile.Read(ref _keyProven) != 0,
        Canceled = FateCount(OrderFate.Canceled),
        Filled = FateCount(OrderFate.Filled),
        Open = FateCount(OrderFate.Open),
        NotFound = FateCount(OrderFate.NotFound),
        Unconfirmed = FateCount(OrderFate.Unconfirmed),
        ConfirmationsPending = Volatile.Read(ref _confirmationsPending),
        StatusRequests = Volatile.Read(ref _statusRequests),
        StatusFailures = Volatile.Read(ref _statusFailures),
        StreamReconnects = _streamReconnects(),
        StreamMessages = _streamMessages(),
        StreamNotesDropped = Volatile.Read(ref _streamNotesDropped),
        StreamMessagesUnmatched = Volatile.Read(ref _streamUnmatched),
        ClockOffsetMillis = _clockOffsetMillis(),
        BatchRequests = Volatile.Read(ref _batchRequests),
        BatchOrders = Volatile.Read(ref _batchOrders),
        CancelAllRequests = Volatile.Read(ref _cancelAllRequests),
        KillSwitchEngaged = Volatile.Read(ref _killSwitchEngaged) != 0,
        WaitedBehindQueue = VenueWaits(VenueWaitCause.Queue),
        WaitedForRateLimit = VenueWaits(VenueWaitCause.RateLimit),
        WaitedForStreams = VenueWaits(VenueWaitCause.Streams),
        WaitedForConnection = VenueWaits(VenueWaitCause.Connection),
        WaitedForHold = VenueWaits(VenueWaitCause.Hold),
    };

    /// <summary>Consumer thread: a batch of <paramref name="orders"/> cancels went out.</summary>
    public void OnBatch(int orders)
    {
        Interlocked.Increment(ref _batchRequests);
        Interlocked.Add(ref _batchOrders, orders);
    }

    /// <summary>Any thread: a cancel-all request is about to be sent.</summary>
    public void OnCancelAllRequest() => Interlocked.Increment(ref _cancelAllRequests);

    /// <summary>Any thread (under the kill switch's lock): whether the kill switch is engaged.</summary>
    public void SetKillSwitchEngaged(bool engaged) => Volatile.Write(ref _killSwitchEngaged, engaged ? 1 : 0);

    /// <summary>Fates given so far of one kind.</summary>
    public long FateCount(OrderFate fate) => Volatile.Read(ref _fates[(int)fate]);

    /// <summary>Consumer thread: <paramref name="intents"/> intents got <paramref name="fate"/>, <paramref name="micros"/> after their outcome.</summary>
    public void OnFate(OrderFate fate, int intents, double micros)
    {
        Interlocked.Add(ref _fates[(int)fate], intents);
        _confirm.Record(micros);
    }

    /// <summary>Consumer thread: orders now waiting for their fate.</summary>
    public void SetConfirmationsPending(long count) => Volatile.Write(ref _confirmationsPending, count);

    public void OnStatusRequest() => Interlocked.Increment(ref _statusRequests);

    public void OnStatusFailure() => Interlocked.Increment(ref _statusFailures);

    /// <summary>Stream thread: an order message found no room on its way to the consumer (status settles it instead).</summary>
    public void OnStreamNoteDropped() => Interlocked.Increment(ref _streamNotesDropped);

    /// <summary>Consumer thread: an order message for an order with no cancel in flight or fate awaited.</summary>
    public void OnStreamMessageUnmatched() => Interlocked.Increment(ref _streamUnmatched);

    /// <summary>Where the stream's own counts are read (set once, before the stream starts).</summary>
    public void AttachStream(Func<long> reconnects, Func<long> messages, Func<long> clockOffsetMillis)
    {
        _streamReconnects = reconnects;
        _streamMessages = messages;
        _clockOffsetMillis = clockOffsetMillis;
    }

    // Strategy threads.
    public void OnIntent() => Interlocked.Increment(ref _intents);

    public void OnIntentWithdrawn() => Interlocked.Decrement(ref _intents);

    public void OnRefusal(CancelRefusal reason)
    {
        Interlocked.Increment(ref _refusals);
        if (reason == CancelRefusal.RingFull)
        {
            Interlocked.Increment(ref _ringFull);
        }
    }

    // Consumer thread (single writer; interlocked anyway so snapshots never see torn values on 32-bit).

    /// <summary>Counts <paramref name="intents"/> decided in one final <paramref name="state"/>, with its reason.</summary>
    public void OnDecided(CancelState state, VenueReason reason, CancelFailureReason failure, int intents)
    {
        ref long counter = ref state == CancelState.Acked ? ref _acked
            : ref state == CancelState.Rejected ? ref _rejectedByReason[(int)reason]
            : ref state == CancelState.Expired ? ref _expired
            : ref _failedByReason[(int)failure];
        Interlocked.Add(ref counter, intents);
    }

    public void OnFailed(CancelFailureReason reason, int intents) => Interlocked.Add(ref _failedByReason[(int)reason], intents);

    public void OnCoalesced() => Interlocked.Increment(ref _coalesced);

    public void OnRequest(bool isRetry)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref _inFlight);
        if (isRetry)
        {
            Interlocked.Increment(ref _retries);
        }
    }

    public void OnRequestDone() => Interlocked.Decrement(ref _inFlight);

    /// <summary>Requests on the wire now.</summary>
    public long InFlight => Volatile.Read(ref _inFlight);

    public void OnIdMismatch() => Interlocked.Increment(ref _idMismatches);

    /// <summary>A 100011 answer; <paramref name="skewSeconds"/> is the server's clock minus ours, when its date header said.</summary>
    public void OnClockSkew(long? skewSeconds)
    {
        Interlocked.Increment(ref _clockSkew);
        if (skewSeconds is { } skew)
        {
            Volatile.Write(ref _lastClockSkewSeconds, skew);
        }
    }

    public void OnRetryAfterHonoured() => Interlocked.Increment(ref _retryAfterHonoured);

    public void OnListenerException() => Interlocked.Increment(ref _listenerExceptions);

    public void OnAuthenticationFailed() => Volatile.Write(ref _authenticationFailed, 1);

    /// <summary>Consumer thread: an answer showed the venue accepts the key (read before writing: most answers prove it again).</summary>
    public void OnKeyProven()
    {
        if (_keyProven == 0)
        {
            Volatile.Write(ref _keyProven, 1);
        }
    }

    public void RecordTickToWire(double micros) => _tickToWire.Record(micros);

    public void RecordRoundTrip(double micros) => _roundTrip.Record(micros);

    public void RecordTickToWireOwn(double micros) => _tickToWireOwn.Record(micros);

    public void RecordVenueWait(double micros) => _venueWait.Record(micros);

    /// <summary>A cancel could not go out when the consumer took it; consumer thread only.</summary>
    public void OnVenueWait(VenueWaitCause cause) => Volatile.Write(ref _venueWaits[(int)cause], _venueWaits[(int)cause] + 1);

    private long VenueWaits(VenueWaitCause cause) => Volatile.Read(ref _venueWaits[(int)cause]);

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> ObserveRejected()
    {
        foreach (var reason in Enum.GetValues<VenueReason>())
        {
            yield return new Measurement<long>(RejectedBy(reason), new KeyValuePair<string, object?>("reason", reason.ToString()));
        }
    }

    private IEnumerable<Measurement<long>> ObserveFailed()
    {
        foreach (var reason in Enum.GetValues<CancelFailureReason>())
        {
            yield return new Measurement<long>(FailedBy(reason), new KeyValuePair<string, object?>("reason", reason.ToString()));
        }
    }

    private static long Sum(long[] values)
    {
        long sum = 0;
        for (var i = 0; i < values.Length; i++)
        {
            sum += Volatile.Read(ref values[i]);
        }

        return sum;
    }
}
