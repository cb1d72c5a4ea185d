namespace Oms.Engine.Consumer;

/// <summary>
/// The cancels the consumer holds unsent: waiting their turn (in order), backing off before a resend, or held by the
/// venue's retry-after. Whatever can no longer reach the venue inside its window is decided here rather than sent
/// stale. Consumer thread only.
/// </summary>
internal sealed class SendQueue
{
    private readonly PendingQueue _waiting;

    // Cancels already sent that go again (a retry due, a batch's good orders after a 300013): sent before any new one,
    // so sent-but-undecided cancels outside the back-off never outnumber what can be in flight at once: with those
    // backing off, twice the in-flight capacity holds them all.
    private readonly PendingQueue _resend;

    // The cancels of a cancel-all or the kill switch (their reserved tags): sent after every strategy's, so a new
    // cancel never waits behind a whole book being cleared.
    private readonly PendingQueue _background;
    private readonly BackoffList _backoff;
    private readonly OutcomeReporter _outcomes;
    private readonly long _expiryTicks;

    // Stopwatch ticks before which nothing is sent: the venue's retry-after speaks for the whole account.
    private long _heldUntilTicks;

    public SendQueue(int waitingCapacity, int backoffCapacity, OutcomeReporter outcomes, long expiryTicks)
    {
        _waiting = new PendingQueue(waitingCapacity);
        _resend = new PendingQueue(2 * backoffCapacity);
        _background = new PendingQueue(waitingCapacity);
        _backoff = new BackoffList(backoffCapacity);
        _outcomes = outcomes;
        _expiryTicks = expiryTicks;
    }

    /// <summary>True when cancels wait their turn: a new one goes behind them.</summary>
    public bool HasWaiting => _waiting.Count + _resend.Count + _background.Count > 0;

    /// <summary>Cancels waiting to be sent now (not those backing off).</summary>
    public int WaitingCount => _waiting.Count + _resend.Count + _background.Count;

    /// <summary>True when nothing is held, waiting or backing off.</summary>
    public bool IsEmpty => _waiting.Count == 0 && _resend.Count == 0 && _background.Count == 0 && _backoff.Count == 0;

    public bool IsHeld(long now) => now < _heldUntilTicks;

    /// <summary>True when <paramref name="pending"/> left the venue's window, or cannot outwait the hold inside it.</summary>
    public bool IsPastWindow(in PendingCancel pending, long now) =>
        now - pending.PublishTicks > _expiryTicks || CannotOutwaitHold(in pending, now);

    /// <summary>Ends a cancel that ran out of window: Expired if it never went out, else Failed with why it went again.</summary>
    public void FinishPastWindow(ref PendingCancel pending) =>
        _outcomes.Finish(ref pending, pending.WasSent ? Outcome.Failed(pending.LastFailure) : Outcome.Expired);

    /// <summary>Queues a cancel behind the others.</summary>
    public void Wait(ref PendingCancel pending)
    {
        var queue = CancelEngine.IsCancelAllTag(pending.Tag) ? _background : _waiting;
        if (!queue.TryEnqueue(pending))
        {
            // Sized to hold a full ring plus every request in flight, so this is a bug, not load.
            _outcomes.Finish(ref pending, Outcome.Failed(CancelFailureReason.StateTableFull));
        }
    }

    /// <summary>Queues a resend after <paramref name="backoffTicks"/> (at once when 0); false when there is no room.</summary>
    public bool TryResend(in PendingCancel cancel, long backoffTicks) =>
        backoffTicks == 0 ? _resend.TryEnqueue(cancel) : _backoff.TryAdd(cancel);

    /// <summary>Moves the resends now due behind what waits; then <see cref="TryPeek"/> gives the next in turn.</summary>
    public void MoveDue(long now)
    {
        if (_backoff.Count > 0)
        {
            _backoff.MoveDue(now, _resend);
        }
    }

    /// <summary>A copy of the cancel whose turn it is; <see cref="Dequeue"/> once it is sent or decided.</summary>
    public bool TryPeek(out PendingCancel next)
    {
        var queue = Next();
        if (queue.Count == 0)
        {
            next = default;
            return false;
        }

        next = queue.Peek();
        return true;
    }

    public void Dequeue() => Next().Dequeue();

    // One going again goes before any new one, and a strategy's before a cancel-all's.
    private PendingQueue Next() => _resend.Count > 0 ? _resend : _waiting.Count > 0 ? _waiting : _background;

    /// <summary>Holds every send for <paramref name="ticks"/> from <paramref name="now"/>, and decides at once what cannot wait that long.</summary>
    public void Hold(long now, long ticks)
    {
        var until = now > long.MaxValue - ticks ? long.MaxValue : now + ticks;
        if (until <= _heldUntilTicks)
        {
            return;
        }

        _heldUntilTicks = until;

        // One pass over each queue per hold, the waiting order kept.
        DropThoseThatCannotOutwait(_resend, now);
        DropThoseThatCannotOutwait(_waiting, now);
        DropThoseThatCannotOutwait(_background, now);

        for (var i = _backoff.Count - 1; i >= 0; i--)
        {
            if (CannotOutwaitHold(in _backoff[i], now))
            {
                var item = _backoff.RemoveAt(i);
                FinishPastWindow(ref item);
            }
        }
    }

    /// <summary>Fails everything held with <paramref name="reason"/>.</summary>
    public void FailAll(CancelFailureReason reason)
    {
        _backoff.DrainTo(_resend, item => _outcomes.Finish(ref item, Outcome.Failed(reason)));
        Fail(_resend, reason);
        Fail(_waiting, reason);
        Fail(_background, reason);
    }

    private void Fail(PendingQueue queue, CancelFailureReason reason)
    {
        while (queue.Count > 0)
        {
            var item = queue.Peek();
            queue.Dequeue();
            _outcomes.Finish(ref item, Outcome.Failed(reason));
        }
    }

    private void DropThoseThatCannotOutwait(PendingQueue queue, long now)
    {
        for (var n = queue.Count; n > 0; n--)
        {
            var item = queue.Peek();
            queue.Dequeue();
            if (CannotOutwaitHold(in item, now))
            {
                FinishPastWindow(ref item);
            }
            else
            {
                queue.TryEnqueue(item);
            }
        }
    }

    /// <summary>
    /// True while sends are held until after <paramref name="pending"/> leaves the venue's window: it could only go
    /// stale waiting, so it is decided now instead of at the end of the hold.
    /// </summary>
    private bool CannotOutwaitHold(in PendingCancel pending, long now) =>
        now < _heldUntilTicks && _heldUntilTicks - pending.PublishTicks > _expiryTicks;
}
