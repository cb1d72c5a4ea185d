using Oms.Engine.Signing;
using Oms.Engine.Throttling;

namespace Oms.Engine.Consumer;

/// <summary>
/// The engine's single consumer: takes intents and completions off the ring, decides what to send and when (expiry,
/// coalescing, the rate limit, retry-after holds, back-off), applies the fault rules' verdict to each answer, and
/// stops. Everything here runs on the consumer thread.
/// </summary>
/// <remarks>
/// Its helpers are the consumer thread's too: <see cref="RequestDispatch"/> puts requests on the wire,
/// <see cref="OutcomeReporter"/> decides and tells, <see cref="RetryRules"/> judges an attempt. The transport's answers
/// arrive at <see cref="CompletionSink"/> on reader threads, which only parses them and hands them back through the ring.
/// </remarks>
internal sealed partial class CancelConsumer : IDisposable
{
    private readonly CancelEngineSettings _settings;
    private readonly EngineCounters _counters;
    private readonly AdmissionGate _gate;
    private readonly CancelStateTable _states;
    private readonly RequestDispatch _dispatch;
    private readonly OutcomeReporter _outcomes;
    private readonly TokenBucket _limiter;
    private readonly SendQueue _queue;
    private readonly JoinerList _joiners;
    private readonly long _expiryTicks;
    private readonly long _retryBackoffTicks;
    private readonly SweepPacer _sweep;
    private readonly ConfirmationTracker? _confirm;
    private readonly StreamNotes? _notes;
    private readonly int _statusTokenReserve;
    private readonly BatchRequest[]? _batches;
    private readonly BatchAnswerItem[] _batchItems = new BatchAnswerItem[BatchCancel.MaxOrders * 2];
    private readonly byte[] _batchMessages = new byte[BatchCancel.MaxOrders * 2 * BatchAnswerItem.MessageCapacity];
    private long _streamChanges;
    private long _streamGaps;

    private bool _authenticationFailed;

    // Set by the first answer that got past the venue's key and signature checks (any Ack, any Err but 200001 and
    // 100011); until then at most InFlightUntilKeyProven requests are on the wire.
    private bool _credentialsProven;

    // While nothing waits on a clock, the consumer may sleep this long between idle checks: the order-state sweep
    // (once a second) and a stop request (checked at the next wake-up) are the only work left for them.
    private static readonly TimeSpan s_relaxedIdle = TimeSpan.FromMilliseconds(50);

    // Why the last TrySendNow could not send: what a cancel queued after it waits for.
    private VenueWaitCause _lastBlock;
    private long _stopDeadlineTicks = long.MaxValue;
    private int _stopRequested;
    private TaskCompletionSource? _drained;

    public CancelConsumer(
        CancelEngineSettings settings,
        ApiCredentials credentials,
        ICancelListener listener,
        EngineCounters counters,
        SymbolTable symbols,
        AdmissionGate gate,
        CancelStateTable states,
        InFlightEntry[] inFlight,
        IHttp2RequestSender sender,
        StreamNotes? notes = null)
    {
        _gate = gate;
        _settings = settings;
        _credentialsProven = settings.InFlightUntilKeyProven == 0;
        _counters = counters;
        _states = states;
        _dispatch = new RequestDispatch(settings, credentials, symbols, counters, inFlight, sender);
        _limiter = settings.RateLimitPerSecond <= 0
            ? new TokenBucket(0, 1, settings.RateLimitBurst)
            : new TokenBucket((long)Math.Round(settings.RateLimitPerSecond * 1000), Stopwatch.Frequency * 1000, settings.RateLimitBurst);
        _joiners = new JoinerList(_states.SlotCount, settings.RingSize);
        _confirm = settings.Confirmation.Enabled
            ? new ConfirmationTracker(settings.Confirmation, settings.MaxResponseBodySize, _states, counters, listener)
            : null;
        _notes = notes;
        _outcomes = new OutcomeReporter(_states, gate, _joiners, counters, listener, _confirm);

        _expiryTicks = (long)((CancelEngineSettings.VenueWindow - settings.ExpiryMargin).TotalSeconds * Stopwatch.Frequency);

        // Batches in flight at once: each holds a request slot of the limiter, so a few dozen cover any venue's pace.
        _batches = settings.BatchCancel == BatchCancelMode.Auto ? [.. Enumerable.Range(0, 32).Select(_ => new BatchRequest())] : null;

        // Room for every admitted intent and every cancel in flight to wait at once: a request in flight sends back at
        // most one cancel, a batch at most ten.
        var inFlightCancels = inFlight.Length + (_batches is null ? 0 : _batches.Length * BatchCancel.MaxOrders);
        _queue = new SendQueue(settings.RingSize + inFlightCancels, inFlightCancels, _outcomes, _expiryTicks);

        // A status query leaves the limiter's last token to a cancel that may come next: cancels first.
        _statusTokenReserve = Math.Min(2, settings.RateLimitBurst);
        _retryBackoffTicks = (long)(settings.RetryBackoff.TotalSeconds * Stopwatch.Frequency);
        _sweep = new SweepPacer(_states, settings.OrderStateRetention, Stopwatch.GetTimestamp());
        RoundTrip = new LatencyHistogram();
    }

    /// <summary>Round trips (socket write to answer) recorded by the consumer; copy it to read it elsewhere.</summary>
    public LatencyHistogram RoundTrip { get; }

    /// <summary>Tick-to-wire (publish to socket write) recorded by the consumer.</summary>
    public LatencyHistogram TickToWire => _dispatch.TickToWire;

    public LatencyHistogram TickToWireOwn => _dispatch.TickToWireOwn;

    public LatencyHistogram VenueWait => _dispatch.VenueWait;

    public CancelStateTable States => _states;

    /// <summary>From each outcome to its fate; null when fates are not confirmed.</summary>
    public LatencyHistogram? ConfirmLatency => _confirm?.Latency;

    public long HmacComputations => _dispatch.HmacComputations;

    /// <summary>Asks the consumer to finish what it has (until <paramref name="deadlineTicks"/>) and then fail the rest as Stopped.</summary>
    public Task RequestStop(long deadlineTicks)
    {
        _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _stopDeadlineTicks, deadlineTicks);
        Volatile.Write(ref _stopRequested, 1);
        return _drained.Task;
    }

    /// <summary>One event of a batch; the batch's end (<see cref="EndOfBatch"/>) is the caller's to call.</summary>
    public void OnEvent(ref CancelEvent e)
    {
        if (e.Kind == CancelEventKind.Completion)
        {
            OnCompletion(e.Token);
        }
        else if (e.Kind == CancelEventKind.StreamStatus)
        {
            _notes?.Gate.Leave();
            _confirm?.OnStreamStatus(e.OrderId.Span, (VenueOrderStatus)e.Tag);
        }
        else
        {
            OnIntent(ref e);
        }
    }

    public void OnIdle() => EndOfBatch();

    /// <summary>Whether the consumer needs its prompt idle tick: anything waiting on a clock asks for it.</summary>
    public IdleHint IdleHint { get; } = new(s_relaxedIdle);

    public void OnHandlerError(Exception error, long sequence)
    {
        // A bug in the consumer: keep serving, and make it visible through the listener-exception counter's sibling.
        _counters.OnListenerException();
        Debug.Fail($"Consumer error at sequence {sequence}: {error}");
    }

    private void OnIntent(ref CancelEvent e)
    {
        var pending = new PendingCancel
        {
            OrderId = e.OrderId,
            SymbolIndex = e.SymbolIndex,
            Tag = e.Tag,
            PublishTicks = e.PublishTicks,
        };
        var now = Stopwatch.GetTimestamp();

        if (_authenticationFailed || Volatile.Read(ref _stopRequested) != 0 && now >= Volatile.Read(ref _stopDeadlineTicks))
        {
            _outcomes.FailUntracked(pending, _authenticationFailed ? CancelFailureReason.AuthenticationFailed : CancelFailureReason.Stopped);
            return;
        }

        if (!_states.TryBegin(PendingCancel.IdOf(in pending), now, out pending.State, out var alreadyInFlight))
        {
            _outcomes.FailUntracked(pending, CancelFailureReason.StateTableFull);
            return;
        }

        if (alreadyInFlight)
        {
            if (_joiners.TryAdd(pending.State.Index, pending.Tag))
            {
                _counters.OnCoalesced();
                _gate.Leave();
                return;
            }

            // Every joiner node is in use: this intent cannot wait on the other; it is refused as a duplicate.
            _outcomes.FailUntracked(pending, CancelFailureReason.StateTableFull);
            return;
        }

        if (now - pending.PublishTicks > _expiryTicks)
        {
            _outcomes.Finish(ref pending, Outcome.Expired);
            return;
        }

        if (_queue.IsPastWindow(in pending, now))
        {
            _queue.FinishPastWindow(ref pending);
            return;
        }

        var behind = _queue.HasWaiting;
        if (behind || !TrySendNow(ref pending, now))
        {
            if (!pending.WasSent)
            {
                pending.QueuedTicks = now;
                _counters.OnVenueWait(behind ? VenueWaitCause.Queue : _lastBlock);
            }

            _queue.Wait(ref pending);
        }
    }

    /// <summary>Sends now if the limiter and the transport allow; false leaves the cancel to the caller to queue.</summary>
    private bool TrySendNow(ref PendingCancel pending, long now)
    {
        if (_queue.IsPastWindow(in pending, now))
        {
            _queue.FinishPastWindow(ref pending);
            return true;
        }

        if (_queue.IsHeld(now) || (!_credentialsProven && _counters.InFlight >= _settings.InFlightUntilKeyProven))
        {
            _lastBlock = VenueWaitCause.Hold;
            return false;
        }

        var entry = _dispatch.NextFreeEntry();
        if (entry is null)
        {
            _lastBlock = VenueWaitCause.Streams;
            return false;
        }

        if (!_limiter.TryTake(now))
        {
            _lastBlock = VenueWaitCause.RateLimit;
            return false;
        }

        pending.ReleasedTicks = now;
        if (!_dispatch.TrySend(entry, in pending))
        {
            _lastBlock = _dispatch.LastRefusal == Http2SendResult.NoConnection ? VenueWaitCause.Connection : VenueWaitCause.Streams;
            return false;
        }

        if (!pending.WasSent)
        {
            _states.Transition(pending.State, CancelState.Sent, now);
            _gate.Leave();
        }

        var isRetry = pending.WasSent;
        pending.Attempt++;
        _counters.OnRequest(isRetry);
        return true;
    }

    /// <summary>The end of a batch: what waits is sent if it may be, the batch is flushed, housekeeping runs.</summary>
    public void EndOfBatch()
    {
        var now = Stopwatch.GetTimestamp();
        _queue.MoveDue(now);
        while (_queue.TryPeek(out var next))
        {
            // A backlog (cancels queued behind the limiter or the stream limit) leaves ten to a request.
            if (_batches is not null && _queue.WaitingCount >= 2)
            {
                var batched = TrySendBatch(now);
                if (batched == BatchSend.Sent)
                {
                    continue;
                }

                if (batched == BatchSend.Blocked)
                {
                    break;
                }
            }

            if (!TrySendNow(ref next, now))
            {
                break;
            }

            _queue.Dequeue();
        }

        if (_confirm is not null)
        {
            ServeConfirmations(now);
        }

        _dispatch.Flush();

        _sweep.SweepDue(now);

        if (Volatile.Read(ref _stopRequested) != 0)
        {
            CheckStop(now);
        }

        // Cancels waiting (for a token, a stream, a back-off, a hold), fates being confirmed (deadlines, rechecks,
        // status queries) and a stop in progress all run on the idle tick; nothing else does.
        IdleHint.NeedsPrompt = !_queue.IsEmpty || _confirm?.Pending > 0 || Volatile.Read(ref _stopRequested) != 0;
    }

    private void CheckStop(long now)
    {
        var busy = !_queue.IsEmpty || _counters.Snapshot().InFlight > 0 || _confirm?.Pending > 0;
        if (busy && now < Volatile.Read(ref _stopDeadlineTicks))
        {
            return;
        }

        FailEverything(CancelFailureReason.Stopped);

        // Intents admitted before the stop may still be on their way into the ring (the engine refuses new ones once
        // stopping, and the gate counts the admitted ones until decided): wait for them here, so that each gets its
        // outcome on this thread rather than being stranded in a halted ring.
        if (_gate.Unsent > 0)
        {
            return;
        }

        _drained?.TrySetResult();
    }

    /// <summary>Fails every cancel not yet decided (waiting, backing off, in flight) with <paramref name="reason"/>.</summary>
    internal void FailEverything(CancelFailureReason reason)
    {
        _queue.FailAll(reason);
        foreach (var entry in _dispatch.Entries)
        {
            if (entry.Batch is { } batch && Volatile.Read(ref entry.Token) != InFlightEntry.FreeToken)
            {
                entry.Batch = null;
                entry.Free();
                batch.InUse = false;
                _counters.OnRequestDone();
                for (var i = 0; i < batch.Count; i++)
                {
                    _outcomes.Finish(ref batch.Cancels[i], Outcome.Failed(reason));
                }
            }
            else if (entry.Status is { } request && Volatile.Read(ref entry.Token) != InFlightEntry.FreeToken)
            {
                entry.Status = null;
                entry.Free();
                request.Fail();
                _confirm?.OnAnswer(request, Stopwatch.GetTimestamp());
            }
            else if (Volatile.Read(ref entry.Token) != InFlightEntry.FreeToken)
            {
                var cancel = entry.Cancel;
                entry.Free();
                _counters.OnRequestDone();
                _outcomes.Finish(ref cancel, Outcome.Failed(reason));
            }
        }

        // Nothing will be asked any more: every order still waiting gets Unconfirmed, and so does any outcome after this.
        _confirm?.SettleAll(OrderFate.Unconfirmed);
    }

    public void Dispose() => _dispatch.Dispose();

    private void OnCompletion(long token)
    {
        var entry = _dispatch.EntryOf(token);
        if (Volatile.Read(ref entry.Token) != token)
        {
            // Already decided (stop, or a duplicate hand-back): nothing to do.
            return;
        }

        if (entry.Status is { } request)
        {
            entry.Status = null;
            entry.Free();
            _confirm?.OnAnswer(request, Stopwatch.GetTimestamp());
            return;
        }

        var cancel = entry.Cancel;
        _counters.OnRequestDone();
        if (entry.SentTicks > 0)
        {
            var ticks = Math.Max(0, entry.CompletedTicks - entry.SentTicks);
            RoundTrip.RecordStopwatchTicks(ticks);
            _counters.RecordRoundTrip(ticks * 1_000_000.0 / Stopwatch.Frequency);
        }

        if (entry.Batch is { } batch)
        {
            DecideBatch(entry, batch);
            entry.Batch = null;
            batch.InUse = false;
            entry.Free();
            return;
        }

        if (entry.IdMismatch)
        {
            _outcomes.IdMismatch(entry, in cancel);
        }

        Decide(entry, ref cancel);

        // Freed last: the listener above may still read the entry's message and detail bytes.
        entry.Free();
    }

    /// <summary>Applies the fault rules' verdict on an attempt (<see cref="RetryRules"/>): state, counters, queues, listener.</summary>
    private void Decide(InFlightEntry entry, ref PendingCancel cancel)
    {
        ref readonly var response = ref entry.Response;
        var verdict = RetryRules.Judge(new AttemptResult(
            entry.HasFailure, entry.Failure, entry.HttpStatus, entry.Truncated, response.Kind, response.ErrorClass, cancel.ReSigned));
        if (verdict.ProvesKey)
        {
            _credentialsProven = true;
            _counters.OnKeyProven();
        }

        if (verdict.ClockSkew)
        {
            // The answer's date header says how far off our clock is, to the second: that is the skew reported.
            _counters.OnClockSkew(entry.ServerDateUnixSeconds == Http2ResponseHead.NoServerDate
                ? null
                : entry.ServerDateUnixSeconds - DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        }

        switch (verdict.Kind)
        {
            case VerdictKind.Acked:
                _outcomes.Finish(ref cancel, Outcome.Acked, entry);
                return;
            case VerdictKind.Rejected:
                _outcomes.Finish(ref cancel, Outcome.Rejected(response.Code, response.Reason), entry);
                return;
            case VerdictKind.ReSign:
                cancel.ReSigned = true;
                RetryOrFail(ref cancel, verdict.Reason, 0, entry);
                return;
            case VerdictKind.Retry:
                var backoff = verdict.Delay switch
                {
                    RetryDelay.None => 0,
                    RetryDelay.Transport => _retryBackoffTicks / 4,
                    _ => VenueBackoff(entry, cancel.Attempt),
                };
                RetryOrFail(ref cancel, verdict.Reason, backoff, entry);
                return;
            default:
                Fail(entry, ref cancel, verdict.Reason);
                return;
        }
    }
}
