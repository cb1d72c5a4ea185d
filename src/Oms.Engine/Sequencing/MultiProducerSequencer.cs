namespace Oms.Engine.Sequencing;

/// <summary>
/// Hands out ring sequences to any number of producer threads and tells the single consumer which of them
/// are published: claim with a CAS on a padded cursor, publish by marking each slot with its lap number.
/// </summary>
/// <typeparam name="TWait">
/// The consumer's wait strategy. A struct type parameter so that <see cref="Publish(long)"/> compiles to no
/// signalling code at all for the spinning and yielding strategies, and to a flag check for the blocking one.
/// </typeparam>
/// <remarks>
/// <para>
/// A producer claims (<see cref="TryNext(out long)"/>), fills <c>ring[sequence]</c>, then publishes
/// (<see cref="Publish(long)"/>). Every claimed sequence must be published, even if the producer has nothing
/// to say, or the consumer stops at it forever: fill the slot with a no-op event instead.
/// </para>
/// <para>
/// Ring full is a policy, not an allocation: <see cref="TryNext(out long)"/> returns <see langword="false"/>
/// when a claim would overwrite a slot the consumer has not released (its sequence,
/// <see cref="GatingSequence"/>, is more than a ring behind), and <see cref="TryNext(TimeSpan, out long)"/>
/// waits for space up to a deadline.
/// </para>
/// <para>
/// Threading: the claim and publish members are safe from any number of threads.
/// <see cref="GatingSequence"/> is advanced by exactly one consumer. Memory ordering: the claim is a CAS (full
/// fence); the slot write happens before the release write of its availability mark; the consumer's acquire
/// read of the mark happens before its read of the slot; the consumer's release of a batch (release write of
/// <see cref="GatingSequence"/>) happens before a producer's acquire read of it and so before the slot is
/// reused.
/// </para>
/// </remarks>
internal sealed class MultiProducerSequencer<TWait>
    where TWait : struct, IWaitStrategy
{
    private readonly int _bufferSize;
    private readonly Sequence _cursor = new();
    private readonly Sequence _gatingSequence = new();
    private readonly AvailabilityBuffer _published;

    // The consumer's sequence as last read by a producer. Producers compare against this copy first and read the
    // consumer's own (padded, frequently written) sequence only when the copy says the ring might be full, so the
    // consumer's cache line is not pulled to a producer core on every claim. A stale copy is always safe: the
    // consumer only moves forward, so a stale value under-estimates the free space.
    // Not readonly: PaddedLong is a mutable struct.
    private PaddedLong _cachedGatingSequence;

    // Not readonly: a readonly struct field of a type parameter would be copied before every call.
    private TWait _waitStrategy;

    /// <summary>Creates a sequencer for a ring of <paramref name="bufferSize"/> slots.</summary>
    /// <param name="bufferSize">The ring's capacity: a power of two between 1 and 2^30, equal to the ring's.</param>
    /// <param name="waitStrategy">
    /// The consumer's wait strategy. The consumer gets its copy from <see cref="WaitStrategy"/>, so a blocking
    /// strategy's producers and consumer share one parking place.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">The size is not a power of two in range.</exception>
    public MultiProducerSequencer(int bufferSize, TWait waitStrategy)
    {
        RingCapacity.Validate(bufferSize, nameof(bufferSize));
        _bufferSize = bufferSize;
        _published = new AvailabilityBuffer(bufferSize);
        _cachedGatingSequence.WriteRelease(Sequence.InitialValue);
        _waitStrategy = waitStrategy;
    }

    /// <summary>The number of slots in the ring.</summary>
    public int BufferSize => _bufferSize;

    /// <summary>The highest sequence claimed so far (published or not); <see cref="Sequence.InitialValue"/> before any claim.</summary>
    public Sequence Cursor => _cursor;

    /// <summary>
    /// The consumer's sequence: the highest sequence it has finished with. Producers may not claim more than
    /// <see cref="BufferSize"/> beyond it.
    /// </summary>
    /// <remarks>Written only by the single consumer (a <see cref="BatchEventProcessor{T, THandler, TWait}"/>).</remarks>
    public Sequence GatingSequence => _gatingSequence;

    /// <summary>The wait strategy given at construction, for the consumer to wait with.</summary>
    public TWait WaitStrategy => _waitStrategy;

    /// <summary>
    /// Slots free for claiming: <see cref="BufferSize"/> minus <see cref="Occupancy"/>. A snapshot for metrics;
    /// other threads may change it at once.
    /// </summary>
    public long RemainingCapacity => _bufferSize - Occupancy;

    /// <summary>
    /// Slots claimed but not yet released by the consumer, in [0, <see cref="BufferSize"/>]. A snapshot for
    /// metrics; other threads may change it at once.
    /// </summary>
    public long Occupancy
    {
        get
        {
            // The consumer's sequence is read first: it never passes the cursor, so a cursor read after it
            // cannot be smaller, and the difference is never negative. It can overshoot when the consumer and
            // producers both moved between the two reads, hence the clamp.
            long consumed = _gatingSequence.Value;
            long claimed = _cursor.Value;
            return Math.Min(claimed - consumed, _bufferSize);
        }
    }

    /// <summary>Claims the next sequence without waiting.</summary>
    /// <param name="sequence">The claimed sequence when the call succeeds.</param>
    /// <returns><see langword="false"/> when the ring is full (nothing was claimed).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryNext(out long sequence) => TryNext(1, out sequence);

    /// <summary>Claims the next <paramref name="n"/> sequences, all or nothing, without waiting.</summary>
    /// <param name="n">How many sequences to claim, between 1 and <see cref="BufferSize"/>.</param>
    /// <param name="hi">The last claimed sequence; the batch is <c>hi - n + 1</c> to <paramref name="hi"/>.</param>
    /// <returns><see langword="false"/> when fewer than <paramref name="n"/> slots are free (nothing was claimed).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is outside [1, <see cref="BufferSize"/>].</exception>
    public bool TryNext(int n, out long hi)
    {
        if ((uint)(n - 1) >= (uint)_bufferSize)
        {
            ThrowHelper.ThrowBatchSizeOutOfRange(n, _bufferSize);
        }

        long current;
        long next;
        do
        {
            current = _cursor.Value;
            next = current + n;

            // The claim would reuse the slot of sequence wrapPoint, which is free once the consumer is past it.
            long wrapPoint = next - _bufferSize;
            if (wrapPoint > _cachedGatingSequence.ReadAcquire() && !HasConsumerPassed(wrapPoint))
            {
                hi = default;
                return false;
            }
        }
        while (!_cursor.CompareAndSet(current, next));

        hi = next;
        return true;
    }

    /// <summary>Claims the next sequence, waiting up to <paramref name="timeout"/> for a free slot.</summary>
    /// <param name="timeout">How long to wait for space: zero, positive, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="sequence">The claimed sequence when the call succeeds.</param>
    /// <returns><see langword="false"/> when the ring stayed full until the deadline (nothing was claimed).</returns>
    /// <remarks>
    /// While the ring is full the producer spins, yields and then sleeps (<see cref="SpinWait"/>): the consumer
    /// does not signal producers, so a full ring costs the waiting producers, not the consumer.
    /// </remarks>
    public bool TryNext(TimeSpan timeout, out long sequence) => TryNext(1, timeout, out sequence);

    /// <summary>Claims the next <paramref name="n"/> sequences, waiting up to <paramref name="timeout"/> for space.</summary>
    /// <param name="n">How many sequences to claim, between 1 and <see cref="BufferSize"/>.</param>
    /// <param name="timeout">How long to wait for space: zero, positive, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="hi">The last claimed sequence when the call succeeds.</param>
    /// <returns><see langword="false"/> when the space did not appear before the deadline (nothing was claimed).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> or <paramref name="timeout"/> is out of range.</exception>
    public bool TryNext(int n, TimeSpan timeout, out long hi)
    {
        Deadline.Validate(timeout, nameof(timeout));
        if (TryNext(n, out hi))
        {
            return true;
        }

        return WaitForSpace(n, timeout, out hi);
    }

    /// <summary>Makes a claimed sequence readable by the consumer, and wakes it if it is parked.</summary>
    /// <param name="sequence">A sequence this producer claimed and whose slot it has filled.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish(long sequence)
    {
        Debug.Assert(sequence <= _cursor.Value, "Only a claimed sequence can be published.");
        _published.MarkPublished(sequence);
        _waitStrategy.SignalAllWhenBlocking();
    }

    /// <summary>Publishes a claimed batch <paramref name="lo"/>..<paramref name="hi"/>, signalling once.</summary>
    /// <param name="lo">The first sequence of the batch.</param>
    /// <param name="hi">The last sequence of the batch, as returned by <see cref="TryNext(int, out long)"/>.</param>
    public void Publish(long lo, long hi)
    {
        Debug.Assert(lo <= hi && hi <= _cursor.Value, "Only a claimed batch can be published.");
        for (long sequence = lo; sequence <= hi; sequence++)
        {
            _published.MarkPublished(sequence);
        }

        _waitStrategy.SignalAllWhenBlocking();
    }

    /// <summary>
    /// Creates a consumer's view of publication with a halt flag of its own, so a halted consumer does not
    /// halt the next one created over the same ring.
    /// </summary>
    /// <returns>A new barrier, not halted.</returns>
    public SequenceBarrier NewBarrier() => new(_published, _bufferSize);

    /// <summary>Whether <paramref name="sequence"/> has been published (in its current lap of the ring).</summary>
    /// <param name="sequence">A sequence at most one ring ahead of the consumer.</param>
    /// <returns><see langword="true"/> when its slot carries its lap number.</returns>
    public bool IsAvailable(long sequence) => _published.IsPublished(sequence);

    /// <summary>
    /// The end of the contiguous published run from <paramref name="lowerBound"/>: producers publish out of
    /// order, and the consumer may only read up to the first gap.
    /// </summary>
    /// <param name="lowerBound">The first sequence the consumer wants.</param>
    /// <param name="availableSequence">The highest sequence to consider, usually the <see cref="Cursor"/>.</param>
    /// <returns>The highest published sequence with no unpublished one before it; <c>lowerBound - 1</c> if none.</returns>
    public long GetHighestPublishedSequence(long lowerBound, long availableSequence) =>
        _published.GetHighestPublished(lowerBound, availableSequence);

    /// <summary>The consumer's sequence as producers last cached it, for tests of the cache.</summary>
    internal long CachedGatingSequence => _cachedGatingSequence.ReadAcquire();

    // Slow path of a claim: the cached copy says "maybe full", so read the consumer's real sequence.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool HasConsumerPassed(long wrapPoint)
    {
        long consumed = _gatingSequence.Value;
        _cachedGatingSequence.WriteRelease(consumed);
        return wrapPoint <= consumed;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool WaitForSpace(int n, TimeSpan timeout, out long hi)
    {
        long deadline = Deadline.After(timeout);
        SpinWait spinner = default;
        while (!Deadline.HasPassed(deadline))
        {
            spinner.SpinOnce();
            if (TryNext(n, out hi))
            {
                return true;
            }
        }

        hi = default;
        return false;
    }
}
