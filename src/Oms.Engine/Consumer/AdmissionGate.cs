namespace Oms.Engine.Consumer;

/// <summary>
/// Bounds the intents accepted but not yet sent (in the ring, or waiting in the consumer for the rate limiter or for
/// stream capacity), so back-pressure reaches the strategies as a ring-full refusal instead of an unbounded queue.
/// </summary>
/// <remarks>
/// The consumer cannot simply stop reading the ring when it cannot send, because transport completions arrive through
/// the same ring; so it keeps reading, parks unsendable intents, and this gate keeps their number within the
/// the gate's capacity. Strategies enter with an interlocked increment; the consumer leaves once per intent when
/// it first sends it or decides it unsent. The counter sits on its own cache lines: every strategy thread writes it.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = (2 * CacheLine.PaddingSize) + sizeof(long))]
internal struct AdmissionCounter
{
    [FieldOffset(CacheLine.PaddingSize)]
    public long Value;
}

/// <inheritdoc cref="AdmissionCounter"/>
internal sealed class AdmissionGate(int capacity)
{
    private AdmissionCounter _unsent;

    public int Capacity { get; } = capacity;

    public long Unsent => Volatile.Read(ref _unsent.Value);

    /// <summary>Any thread: takes a place, or returns false when all are taken.</summary>
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _unsent.Value) <= Capacity)
        {
            return true;
        }

        Interlocked.Decrement(ref _unsent.Value);
        return false;
    }

    /// <summary>Gives a place back: the consumer, once per intent, or a strategy whose publish failed.</summary>
    public void Leave() => Interlocked.Decrement(ref _unsent.Value);
}
