namespace Oms.Engine.Sequencing;

/// <summary>
/// What the consumer may see of the producers: the highest published run from a given sequence, and whether
/// it has been told to halt. Wait strategies spin or park on it.
/// </summary>
/// <remarks>
/// <para>
/// Waiting on publication rather than on the claim cursor matters with several producers: a producer that was
/// descheduled between its claim and its publish would otherwise make the consumer spin, strategy or not,
/// because the cursor says "there is something" while the slot is not yet readable.
/// </para>
/// <para>
/// Threading: the read members are for the consumer thread (and wait strategies running on it). Halting goes
/// through <see cref="BatchEventProcessor{T, THandler, TWait}.Halt"/>, from any thread: it sets the flag with a
/// full fence, so the blocking strategy's "is the consumer parked" check that follows cannot move before it,
/// and then signals. Each consumer gets its own barrier from
/// <see cref="MultiProducerSequencer{TWait}.NewBarrier"/>.
/// </para>
/// </remarks>
internal sealed class SequenceBarrier
{
    private readonly AvailabilityBuffer _published;
    private readonly int _bufferSize;
    private int _halted;

    internal SequenceBarrier(AvailabilityBuffer published, int bufferSize)
    {
        _published = published;
        _bufferSize = bufferSize;
    }

    /// <summary>Whether <see cref="Halt"/> was called.</summary>
    public bool IsHalted => Volatile.Read(ref _halted) != 0;

    /// <summary>
    /// The end of the contiguous published run that starts at <paramref name="sequence"/>, or
    /// <c>sequence - 1</c> when <paramref name="sequence"/> is not yet published.
    /// </summary>
    /// <param name="sequence">The next sequence the consumer wants.</param>
    /// <returns>The highest sequence such that it and every sequence from <paramref name="sequence"/> are published.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long GetHighestPublished(long sequence)
    {
        // Checking the first slot alone is the common "nothing new" answer; scanning starts only when there is data.
        if (!_published.IsPublished(sequence))
        {
            return sequence - 1;
        }

        // The scan stops at the first slot without its lap, which an unclaimed sequence never has (its slot holds
        // the previous lap), so the claim cursor is not read: that line is written by every claim, and reading it
        // once per batch would pull it away from the producers each time. A ring ahead is as far as anything can be.
        return _published.GetHighestPublished(sequence + 1, sequence + _bufferSize - 1);
    }

    /// <summary>Asks the consumer to stop; wait strategies return <see cref="WaitResult.Halted"/> once they see it.</summary>
    /// <remarks>Callers follow this with the wait strategy's signal, or a parked consumer would only notice at its timeout.</remarks>
    internal void Halt() => Interlocked.Exchange(ref _halted, 1);
}
