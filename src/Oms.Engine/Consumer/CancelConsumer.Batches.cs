namespace Oms.Engine.Consumer;

/// <summary>The consumer's batch cancels: a backlog leaves ten to a request; each order of a batch gets its own outcome.</summary>
internal sealed partial class CancelConsumer
{
    private enum BatchSend
    {
        Sent,
        Blocked,
        NoBatchFree,
    }

    /// <summary>
    /// Sends up to ten waiting cancels as one batch cancel when the limiter and the transport allow: one token, one
    /// signature, one stream for all of them.
    /// </summary>
    private BatchSend TrySendBatch(long now)
    {
        if (_queue.IsHeld(now) || (!_credentialsProven && _counters.InFlight >= _settings.InFlightUntilKeyProven))
        {
            return BatchSend.Blocked;
        }

        var batch = FreeBatch();
        if (batch is null)
        {
            return BatchSend.NoBatchFree;
        }

        var entry = _dispatch.NextFreeEntry();
        if (entry is null || !_limiter.TryTake(now))
        {
            return BatchSend.Blocked;
        }

        batch.Count = 0;
        while (batch.Count < BatchCancel.MaxOrders && _queue.TryPeek(out var cancel))
        {
            _queue.Dequeue();
            if (_queue.IsPastWindow(in cancel, now))
            {
                _queue.FinishPastWindow(ref cancel);
                continue;
            }

            cancel.ReleasedTicks = now;
            batch.Cancels[batch.Count++] = cancel;
        }

        if (batch.Count == 0)
        {
            return BatchSend.Sent;
        }

        if (!_dispatch.TrySendBatch(entry, batch))
        {
            // No stream free after all: they wait again (behind what arrived meanwhile), and the batch stops here.
            for (var i = 0; i < batch.Count; i++)
            {
                if (!_queue.TryResend(in batch.Cancels[i], 0))
                {
                    _outcomes.Finish(ref batch.Cancels[i], Outcome.Failed(CancelFailureReason.StateTableFull));
                }
            }

            return BatchSend.Blocked;
        }

        batch.InUse = true;
        for (var i = 0; i < batch.Count; i++)
        {
            ref var cancel = ref batch.Cancels[i];
            if (cancel.Attempt == 1)
            {
                _states.Transition(cancel.State, CancelState.Sent, now);
                _gate.Leave();
            }
        }

        _counters.OnRequest(isRetry: false);
        _counters.OnBatch(batch.Count);
        return BatchSend.Sent;
    }

    private BatchRequest? FreeBatch()
    {
        foreach (var batch in _batches!)
        {
            if (!batch.InUse)
            {
                return batch;
            }
        }

        return null;
    }

    /// <summary>
    /// A batch's answer: an Ack acks each order (checking the request id echoed for each); a refusal (300013) gives
    /// each order it names its own outcome and sends the others again at once, since nothing in a refused batch was
    /// cancelled; any other answer speaks for each order as it would for a single cancel.
    /// </summary>
    private void DecideBatch(InFlightEntry entry, BatchRequest batch)
    {
        var count = 0;
        long code = -1;
        var parsed = !entry.HasFailure && entry.HttpStatus == 200 && !entry.Truncated && batch.BodyKept
            && BatchCancel.TryParseAnswer(batch.BodySpan, _batchItems, _batchMessages, out count, out code)
            && (code == 0 || code == BatchCancel.RefusedCode);
        if (!parsed)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                Decide(entry, ref batch.Cancels[i]);
            }

            return;
        }

        _credentialsProven = true;
        _counters.OnKeyProven();
        for (var item = 0; item < count; item++)
        {
            if (batch.IndexOf(_batchItems[item].OrderId.Span) < 0)
            {
                // The venue named an order this batch did not carry: counted, and no order's outcome depends on it.
                _counters.OnIdMismatch();
            }
        }

        for (var i = 0; i < batch.Count; i++)
        {
            ref var cancel = ref batch.Cancels[i];
            var at = FindBatchItem(PendingCancel.IdOf(in cancel), count);
            if (code == 0)
            {
                if (at >= 0 && _batchItems[at].EchoedId.Length > 0 && !_batchItems[at].EchoedId.Span.SequenceEqual(batch.RequestIds[i].Span))
                {
                    _outcomes.IdMismatch(in cancel, batch.RequestIds[i].Span, _batchItems[at].EchoedId.Span);
                }

                _outcomes.Finish(ref cancel, Outcome.Acked, [], []);
            }
            else if (at >= 0)
            {
                ref readonly var item = ref _batchItems[at];
                var reason = item.Reason == VenueReason.None ? VenueErrorCodes.ReasonOf(item.Code) : item.Reason;
                _outcomes.Finish(ref cancel, Outcome.Rejected(item.HasCode ? item.Code : code, reason), BatchCancel.MessageOf(_batchMessages, in item, at), []);
            }
            else if (!_queue.TryResend(in cancel, 0))
            {
                _outcomes.Finish(ref cancel, Outcome.Failed(CancelFailureReason.StateTableFull), [], []);
            }
        }
    }

    private int FindBatchItem(ReadOnlySpan<byte> orderId, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (_batchItems[i].OrderId.Span.SequenceEqual(orderId))
            {
                return i;
            }
        }

        return -1;
    }
}
