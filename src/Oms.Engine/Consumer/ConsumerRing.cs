namespace Oms.Engine.Consumer;

/// <summary>The ring, its sequencer and the consumer's processor, specialised for one wait strategy.</summary>
internal sealed class ConsumerRing<TWait> : IConsumerRing
    where TWait : struct, IWaitStrategy
{
    private static readonly TimeSpan s_completionClaimLimit = TimeSpan.FromSeconds(1);

    private readonly RingBuffer<CancelEvent> _ring;
    private readonly MultiProducerSequencer<TWait> _sequencer;
    private readonly TimeSpan _idleTimeout;

    // Made at Start, around the consumer: the ring exists first, so the completion sink and the transport built
    // around it can exist before the consumer that needs the transport.
    private BatchEventProcessor<CancelEvent, Handler, TWait>? _processor;

    public ConsumerRing(int size, TWait wait, TimeSpan idleTimeout)
    {
        _ring = new RingBuffer<CancelEvent>(size);
        _sequencer = new MultiProducerSequencer<TWait>(size, wait);
        _idleTimeout = idleTimeout;
    }

    public long Occupancy => _sequencer.Occupancy;

    public bool TryPublishIntent(in OrderId orderId, int symbolIndex, long tag, long publishTicks, TimeSpan timeout)
    {
        long sequence;
        var claimed = timeout == TimeSpan.Zero ? _sequencer.TryNext(out sequence) : _sequencer.TryNext(timeout, out sequence);
        if (!claimed)
        {
            return false;
        }

        ref var slot = ref _ring[sequence];
        slot.Kind = CancelEventKind.Intent;
        slot.Tag = tag;
        slot.SymbolIndex = symbolIndex;
        slot.PublishTicks = publishTicks;
        slot.OrderId = orderId;
        _sequencer.Publish(sequence);
        return true;
    }

    public void PublishCompletion(long token)
    {
        // Sized so a completion always finds room (see IConsumerRing.Size): a failed claim here is a sizing bug, not
        // load, and is loud rather than silently queued.
        if (!_sequencer.TryNext(out var sequence) && !_sequencer.TryNext(s_completionClaimLimit, out sequence))
        {
            ThrowRingFull();
        }

        ref var slot = ref _ring[sequence];
        slot.Kind = CancelEventKind.Completion;
        slot.Token = token;
        _sequencer.Publish(sequence);
    }

    public bool TryPublishNote(in OrderId orderId, VenueOrderStatus status)
    {
        if (!_sequencer.TryNext(out var sequence))
        {
            return false;
        }

        ref var slot = ref _ring[sequence];
        slot.Kind = CancelEventKind.StreamStatus;
        slot.Tag = (long)status;
        slot.OrderId = orderId;
        _sequencer.Publish(sequence);
        return true;
    }

    [DoesNotReturn]
    private static void ThrowRingFull() =>
        throw new InvalidOperationException("The consumer ring had no room for a completion: it is sized below IConsumerRing.SizeFor.");

    public void Start(CancelConsumer consumer, string threadName, Action onHalted, Action? onStarted = null)
    {
        if (Interlocked.CompareExchange(
            ref _processor,
            new BatchEventProcessor<CancelEvent, Handler, TWait>(_ring, _sequencer, new Handler(consumer, _sequencer), _idleTimeout, consumer.OnHandlerError, consumer.IdleHint),
            null) is not null)
        {
            throw new InvalidOperationException("The consumer ring has already started.");
        }

        _processor.Start(threadName, onHalted, onStarted);
    }

    public Thread? ConsumerThread => Volatile.Read(ref _processor)?.StartedThread;

    public bool Stop(TimeSpan timeout) => Volatile.Read(ref _processor)?.Stop(timeout) ?? true;

    public void DrainRemaining(CancelConsumer consumer)
    {
        // The consumer's own sequence is the sequencer's gating sequence: what it has handled, started or not.
        var next = _sequencer.GatingSequence.Value + 1;
        var last = _sequencer.GetHighestPublishedSequence(next, _sequencer.Cursor.Value);
        for (var sequence = next; sequence <= last; sequence++)
        {
            consumer.OnEvent(ref _ring[sequence]);
        }

        if (last >= next)
        {
            consumer.EndOfBatch();
        }

        _sequencer.GatingSequence.SetValue(last);
    }

    /// <summary>
    /// The processor's view of the consumer. Its one decision of its own: at the end of a batch, when more events
    /// were published while it was handled, the batch's end (the send of what waits, and the flush) is left to
    /// the next batch, which follows at once, so a burst published a few hundred nanoseconds apart leaves in one
    /// write instead of its first cancel's write (a system call of tens of microseconds on loopback) delaying the
    /// rest. At most <see cref="JoinLimit"/> events share one end, so a steady stream still flushes regularly.
    /// </summary>
    private struct Handler(CancelConsumer consumer, MultiProducerSequencer<TWait> sequencer) : IRingEventHandler<CancelEvent>
    {
        public const int JoinLimit = 64;

        private int _sinceEnd;

        public readonly void OnBatchStart(long batchSize)
        {
        }

        public void OnEvent(ref CancelEvent data, long sequence, bool endOfBatch)
        {
            consumer.OnEvent(ref data);
            if (!endOfBatch)
            {
                _sinceEnd++;
                return;
            }

            if (++_sinceEnd < JoinLimit && sequencer.IsAvailable(sequence + 1))
            {
                return;
            }

            _sinceEnd = 0;
            consumer.EndOfBatch();
        }

        public void OnIdle()
        {
            _sinceEnd = 0;
            consumer.OnIdle();
        }
    }
}
