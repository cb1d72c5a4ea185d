using System.Globalization;

namespace Oms.Engine.Consumer;

/// <summary>
/// Decides a cancel once the consumer has its outcome: the order state, the admission gate, the counters, then the
/// listener for the cancel and every intent that joined it. Consumer thread only.
/// </summary>
/// <remarks>Counted before anyone is told: a strategy that reads the counters once it has its outcome finds it there.</remarks>
internal sealed class OutcomeReporter(
    CancelStateTable states, AdmissionGate gate, JoinerList joiners, EngineCounters counters, ICancelListener listener, ConfirmationTracker? confirmations)
{
    /// <summary>Decides <paramref name="cancel"/>; <paramref name="entry"/>, when given, lends the venue's message and detail.</summary>
    public void Finish(ref PendingCancel cancel, Outcome outcome, InFlightEntry? entry = null) =>
        Finish(ref cancel, outcome, entry is null ? [] : entry.MessageSpan, entry is null ? [] : entry.DiagnosticSpan);

    /// <summary>As <see cref="Finish(ref PendingCancel, Outcome, InFlightEntry?)"/>, with the venue's message and the detail given apart (one order of a batch).</summary>
    public void Finish(ref PendingCancel cancel, Outcome outcome, ReadOnlySpan<byte> message, ReadOnlySpan<byte> detail)
    {
        states.Transition(cancel.State, outcome.State, Stopwatch.GetTimestamp());
        if (!cancel.WasSent)
        {
            gate.Leave();
        }

        var head = joiners.TakeHead(cancel.State.Index);
        var intents = 1;
        for (var node = head; node >= 0; node = joiners.Peek(node))
        {
            intents++;
        }

        counters.OnDecided(outcome.State, outcome.Reason, outcome.FailureReason, intents);
        var record = BeginFate(in cancel, cancel.State, outcome);
        Notify(cancel.Tag, PendingCancel.IdOf(in cancel), outcome, message, detail);
        confirmations?.AddTag(record, cancel.Tag, PendingCancel.IdOf(in cancel));
        for (var node = head; node >= 0; node = joiners.Next(node))
        {
            var tag = joiners.Tag(node);
            Notify(tag, PendingCancel.IdOf(in cancel), outcome, message, detail);
            confirmations?.AddTag(record, tag, PendingCancel.IdOf(in cancel));
        }

        confirmations?.Started(record);
    }

    /// <summary>
    /// Starts waiting for the order's fate after this outcome; -1 (each intent's fate Unconfirmed at once) when the
    /// venue cannot be asked: the credentials were refused, or the engine stopped.
    /// </summary>
    private int BeginFate(in PendingCancel cancel, CancelEntryHandle handle, Outcome outcome)
    {
        if (confirmations is null
            || (outcome.State == CancelState.Failed && outcome.FailureReason is CancelFailureReason.AuthenticationFailed or CancelFailureReason.Stopped))
        {
            return -1;
        }

        return confirmations.Begin(in cancel.OrderId, handle, outcome.State, Stopwatch.GetTimestamp());
    }

    /// <summary>Reports an intent that never got an order-state entry (table full, or refused before tracking).</summary>
    public void FailUntracked(in PendingCancel cancel, CancelFailureReason reason)
    {
        gate.Leave();
        counters.OnFailed(reason, 1);
        var record = BeginFate(in cancel, default, Outcome.Failed(reason));
        try
        {
            listener.OnFailed(cancel.Tag, PendingCancel.IdOf(in cancel), reason, []);
        }
        catch (Exception)
        {
            counters.OnListenerException();
        }

        confirmations?.AddTag(record, cancel.Tag, PendingCancel.IdOf(in cancel));
        confirmations?.Started(record);
    }

    /// <summary>Counts and reports an answer whose echoed request id is not the one sent.</summary>
    public void IdMismatch(InFlightEntry entry, in PendingCancel cancel) => IdMismatch(in cancel, entry.RequestId.Span, entry.Response.EchoedId);

    /// <summary>The venue echoed <paramref name="echoedId"/> for a cancel sent as <paramref name="sentId"/>: counted and told.</summary>
    public void IdMismatch(in PendingCancel cancel, ReadOnlySpan<byte> sentId, ReadOnlySpan<byte> echoedId)
    {
        counters.OnIdMismatch();
        try
        {
            listener.OnIdMismatch(cancel.Tag, PendingCancel.IdOf(in cancel), sentId, echoedId);
        }
        catch (Exception)
        {
            counters.OnListenerException();
        }
    }

    /// <summary>
    /// Puts the venue's own <c>code reason: message</c> in the entry's detail bytes, which the listener's
    /// <c>OnFailed</c> receives: an error that fails a cancel (a refused key, a missing permission) is what an operator
    /// must read word for word. Truncated to the buffer; once per such answer, never per cancel.
    /// </summary>
    public static void DescribeVenueError(InFlightEntry entry)
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

    private void Notify(long tag, ReadOnlySpan<byte> orderId, Outcome outcome, ReadOnlySpan<byte> message, ReadOnlySpan<byte> detail)
    {
        try
        {
            switch (outcome.State)
            {
                case CancelState.Acked:
                    listener.OnAcked(tag, orderId);
                    break;
                case CancelState.Rejected:
                    listener.OnRejected(tag, orderId, outcome.Code, outcome.Reason, message);
                    break;
                case CancelState.Expired:
                    listener.OnExpired(tag, orderId);
                    break;
                default:
                    listener.OnFailed(tag, orderId, outcome.FailureReason, detail);
                    break;
            }
        }
        catch (Exception)
        {
            counters.OnListenerException();
        }
    }
}
