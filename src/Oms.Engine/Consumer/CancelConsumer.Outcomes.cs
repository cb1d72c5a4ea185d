using System.Diagnostics;
using System.Globalization;
using Oms.Engine.Orders;
using Oms.Engine.Protocol;
using Oms.Transport.Client;

namespace Oms.Engine.Consumer;

/// <summary>Answers in, outcomes out: completions from the ring, the fault rules' verdict applied, and the listener. Consumer thread.</summary>
internal sealed partial class CancelConsumer
{
    private void OnCompletion(long token)
    {
        var entry = _inFlight[token & _inFlightMask];
        if (Volatile.Read(ref entry.Token) != token)
        {
            // Already decided (stop, or a duplicate hand-back): nothing to do.
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

        if (entry.IdMismatch)
        {
            _counters.OnIdMismatch();
            ReportIdMismatch(entry, in cancel);
        }

        Decide(entry, ref cancel);

        // Freed last: the listener above may still read the entry's message and detail bytes.
        entry.Free();
    }

    private void ReportIdMismatch(InFlightEntry entry, in PendingCancel cancel)
    {
        try
        {
            _listener.OnIdMismatch(cancel.Tag, PendingCancel.IdOf(in cancel), entry.RequestId, entry.Response.EchoedId);
        }
        catch (Exception)
        {
            _counters.OnListenerException();
        }
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
                Finish(ref cancel, Outcome.Acked, entry);
                return;
            case VerdictKind.Rejected:
                Finish(ref cancel, Outcome.Rejected(response.Code, response.Reason), entry);
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

    private void Fail(InFlightEntry entry, ref PendingCancel cancel, CancelFailureReason reason)
    {
        if (reason is CancelFailureReason.AuthenticationFailed or CancelFailureReason.PermissionDenied)
        {
            // The venue's own words are what an operator must read.
            DescribeVenueError(entry);
        }

        if (reason == CancelFailureReason.AuthenticationFailed)
        {
            // Stop sending, and fail everything waiting.
            _authenticationFailed = true;
            _counters.OnAuthenticationFailed();
            Finish(ref cancel, Outcome.Failed(reason), entry);
            FailWaiting(reason);
            return;
        }

        Finish(ref cancel, Outcome.Failed(reason), entry);
    }

    /// <summary>
    /// Puts the venue's own <c>code reason: message</c> in the entry's diagnostic bytes, which the listener's
    /// <c>OnFailed</c> receives as its detail: an error that fails a cancel (a refused key, a missing permission) is
    /// what an operator must read word for word. Truncated to the buffer; runs once per such answer, never per cancel.
    /// </summary>
    private static void DescribeVenueError(InFlightEntry entry)
    {
        var destination = entry.Diagnostic.AsSpan();
        ref readonly var response = ref entry.Response;
        var written = 0;
        if (response.HasCode && response.Code.TryFormat(destination, out var codeLength, default, CultureInfo.InvariantCulture))
        {
            written = codeLength;
        }

        written += Append(destination, written, written > 0 ? " "u8 : default);
        written += Append(destination, written, entry.Reason.AsSpan(0, Math.Min(response.ReasonBytesCopied, entry.Reason.Length)));
        var message = entry.MessageSpan;
        if (!message.IsEmpty)
        {
            written += Append(destination, written, ": "u8);
            written += Append(destination, written, message);
        }

        entry.DiagnosticLength = written;

        static int Append(Span<byte> destination, int at, ReadOnlySpan<byte> bytes)
        {
            var count = Math.Min(bytes.Length, destination.Length - at);
            bytes[..count].CopyTo(destination[at..]);
            return count;
        }
    }

    private long BackoffFor(int attempt) => _retryBackoffTicks << Math.Min(attempt - 1, 10);

    /// <summary>
    /// The wait before resending after a retryable venue answer: the doubling back-off, or the answer's
    /// <c>retry-after</c> when that is longer. A <c>retry-after</c> also holds every send until it has passed: the
    /// venue limits the account, not the one request, so other cancels sent meanwhile would only be refused again.
    /// </summary>
    private long VenueBackoff(InFlightEntry entry, int attempt)
    {
        var backoff = BackoffFor(attempt);
        if (entry.RetryAfterSeconds < 0)
        {
            return backoff;
        }

        var retryAfter = entry.RetryAfterSeconds * Stopwatch.Frequency;
        HoldSends(Stopwatch.GetTimestamp(), retryAfter);
        return Math.Max(backoff, retryAfter);
    }

    /// <summary>Holds every send for <paramref name="ticks"/> from <paramref name="now"/>, and decides at once what cannot wait that long.</summary>
    private void HoldSends(long now, long ticks)
    {
        _counters.OnRetryAfterHonoured();
        var until = now > long.MaxValue - ticks ? long.MaxValue : now + ticks;
        if (until <= _sendsHeldUntilTicks)
        {
            return;
        }

        _sendsHeldUntilTicks = until;

        // Whatever would leave the venue's window before the hold ends is decided now rather than at its end: one pass
        // over each queue per hold, with the queue's order kept.
        for (var n = _waiting.Count; n > 0; n--)
        {
            var item = _waiting.Peek();
            _waiting.Dequeue();
            if (CannotOutwaitHold(in item, now))
            {
                FinishPastWindow(ref item);
            }
            else
            {
                _waiting.TryEnqueue(item);
            }
        }

        for (var i = _backoff.Count - 1; i >= 0; i--)
        {
            if (CannotOutwaitHold(in _backoff[i], now))
            {
                var item = _backoff.RemoveAt(i);
                FinishPastWindow(ref item);
            }
        }
    }

    private void RetryOrFail(ref PendingCancel cancel, CancelFailureReason reason, long backoffTicks, InFlightEntry entry)
    {
        var now = Stopwatch.GetTimestamp();

        // A re-sign is the same attempt with a fresh timestamp, not a retry of a lost request, so it spends no attempt.
        // Attempt itself keeps counting sends: a re-signed cancel must still read as sent (WasSent) to the gate and
        // the state table.
        var attemptsUsed = cancel.ReSigned ? cancel.Attempt - 1 : cancel.Attempt;
        if (_authenticationFailed || Volatile.Read(ref _stopRequested) != 0
            || attemptsUsed > _settings.RetryAttempts
            || now + backoffTicks - cancel.PublishTicks > _expiryTicks)
        {
            Finish(ref cancel, Outcome.Failed(reason), entry);
            return;
        }

        cancel.LastFailure = reason;
        cancel.DueTicks = now + backoffTicks;
        if (backoffTicks == 0 ? !_waiting.TryEnqueue(cancel) : !_backoff.TryAdd(cancel))
        {
            Finish(ref cancel, Outcome.Failed(reason), entry);
        }
    }

    private void FailWaiting(CancelFailureReason reason)
    {
        _backoff.DrainTo(_waiting, item => Finish(ref item, Outcome.Failed(reason)));
        while (_waiting.Count > 0)
        {
            var item = _waiting.Peek();
            _waiting.Dequeue();
            Finish(ref item, Outcome.Failed(reason));
        }
    }

    /// <summary>Reports an intent that never got an order-state entry (table full, or refused before tracking).</summary>
    private void ReportFailedUntracked(in PendingCancel cancel, CancelFailureReason reason)
    {
        _gate.Leave();
        _counters.OnFailed(reason, 1);
        try
        {
            _listener.OnFailed(cancel.Tag, PendingCancel.IdOf(in cancel), reason, []);
        }
        catch (Exception)
        {
            _counters.OnListenerException();
        }
    }

    /// <summary>Decides a cancel: its order state, the listener for it and every intent that joined it, the counters.</summary>
    private void Finish(ref PendingCancel cancel, Outcome outcome, InFlightEntry? entry = null)
    {
        var now = Stopwatch.GetTimestamp();
        _states.Transition(cancel.State, outcome.State, now);
        if (!cancel.WasSent)
        {
            _gate.Leave();
        }

        // Counted before anyone is told: a strategy that reads the counters once it has its outcome finds it there.
        var head = _joiners.TakeHead(cancel.State.Index);
        var intents = 1;
        for (var node = head; node >= 0; node = _joiners.Peek(node))
        {
            intents++;
        }

        Count(outcome, intents);
        Notify(cancel.Tag, PendingCancel.IdOf(in cancel), outcome, entry);
        for (var node = head; node >= 0; node = _joiners.Next(node))
        {
            Notify(_joiners.Tag(node), PendingCancel.IdOf(in cancel), outcome, entry);
        }
    }

    private void Count(Outcome outcome, int intents)
    {
        switch (outcome.State)
        {
            case CancelState.Acked:
                _counters.OnAcked(intents);
                break;
            case CancelState.Rejected:
                _counters.OnRejected(outcome.Reason, intents);
                break;
            case CancelState.Expired:
                _counters.OnExpired(intents);
                break;
            default:
                _counters.OnFailed(outcome.FailureReason, intents);
                break;
        }
    }

    private void Notify(long tag, ReadOnlySpan<byte> orderId, Outcome outcome, InFlightEntry? entry)
    {
        try
        {
            switch (outcome.State)
            {
                case CancelState.Acked:
                    _listener.OnAcked(tag, orderId);
                    break;
                case CancelState.Rejected:
                    _listener.OnRejected(tag, orderId, outcome.Code, outcome.Reason, entry is null ? [] : entry.MessageSpan);
                    break;
                case CancelState.Expired:
                    _listener.OnExpired(tag, orderId);
                    break;
                default:
                    _listener.OnFailed(tag, orderId, outcome.FailureReason, entry is null ? [] : entry.DiagnosticSpan);
                    break;
            }
        }
        catch (Exception)
        {
            _counters.OnListenerException();
        }
    }
}
