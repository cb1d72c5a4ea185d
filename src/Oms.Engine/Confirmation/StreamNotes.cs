namespace Oms.Engine.Confirmation;

/// <summary>
/// Carries what the order stream learns to the consumer: each order message as a ring event (through a gate of its
/// own, so the ring's room for intents and completions is never taken), and the stream's comings and goings as counts
/// the consumer reads at the end of each batch, so none is ever lost.
/// </summary>
/// <remarks>
/// The stream's receive loop calls the sink's methods, never blocking: an order message that finds no room is dropped
/// and counted, and that order is settled by status instead, as if the venue had dropped it.
/// </remarks>
internal sealed class StreamNotes : IOrderStreamSink
{
    /// <summary>Order messages on their way to the consumer at once, at most.</summary>
    public const int Capacity = 1024;

    private readonly IConsumerRing _ring;
    private readonly EngineCounters _counters;
    private int _live;
    private long _gaps;
    private long _changes;

    public StreamNotes(IConsumerRing ring, AdmissionGate gate, EngineCounters counters)
    {
        _ring = ring;
        Gate = gate;
        _counters = counters;
    }

    /// <summary>Order messages in the ring; the consumer leaves it as it handles each.</summary>
    public AdmissionGate Gate { get; }

    /// <summary>Bumped by every live or gap: the consumer looks further only when it moved.</summary>
    public long Changes => Volatile.Read(ref _changes);

    /// <summary>Gaps so far.</summary>
    public long Gaps => Volatile.Read(ref _gaps);

    /// <summary>Whether the stream is live now.</summary>
    public bool IsLive => Volatile.Read(ref _live) != 0;

    /// <inheritdoc />
    public void OnOrderStatus(ReadOnlySpan<byte> orderId, VenueOrderStatus status)
    {
        if ((uint)(orderId.Length - 1) >= OrderId.MaxLength)
        {
            return;
        }

        if (!Gate.TryEnter())
        {
            _counters.OnStreamNoteDropped();
            return;
        }

        var id = OrderId.FromAscii(orderId);
        if (!_ring.TryPublishNote(in id, status))
        {
            Gate.Leave();
            _counters.OnStreamNoteDropped();
        }
    }

    /// <inheritdoc />
    public void OnStreamLive()
    {
        Volatile.Write(ref _live, 1);
        Interlocked.Increment(ref _changes);
    }

    /// <inheritdoc />
    public void OnStreamGap()
    {
        Volatile.Write(ref _live, 0);
        Interlocked.Increment(ref _gaps);
        Interlocked.Increment(ref _changes);
    }
}
