namespace Oms.Engine.Sequencing;

/// <summary>
/// Pre-allocated event slots addressed by sequence number: slot = sequence modulo capacity, by mask.
/// </summary>
/// <typeparam name="T">The event; a struct, so the slots are the events and nothing is allocated per event.</typeparam>
/// <remarks>
/// <para>
/// The ring only stores; who may touch which slot is decided by <see cref="MultiProducerSequencer{TWait}"/>:
/// a producer writes the slot of a sequence it claimed and has not yet published, the consumer reads the slots
/// of published sequences it has not yet released. Nothing here synchronises; the sequencer's release/acquire
/// pairs order the slot accesses.
/// </para>
/// <para>
/// The backing array has <see cref="CacheLine.PaddingSize"/> bytes of unused slots at each end so the first and
/// last slots, written by producers, share no cache line with whatever the allocator put next to the array.
/// </para>
/// </remarks>
internal sealed class RingBuffer<T>
    where T : struct
{
    private readonly T[] _slots;
    private readonly long _mask;
    private readonly int _padSlots;

    /// <summary>Allocates <paramref name="capacity"/> slots, each holding <c>default(T)</c>.</summary>
    /// <param name="capacity">The number of slots: a power of two between 1 and 2^30.</param>
    /// <exception cref="ArgumentOutOfRangeException">The capacity is not a power of two in range.</exception>
    public RingBuffer(int capacity)
    {
        RingCapacity.Validate(capacity, nameof(capacity));
        int slotSize = Unsafe.SizeOf<T>();
        _padSlots = (CacheLine.PaddingSize + slotSize - 1) / slotSize;
        _slots = new T[capacity + (2 * _padSlots)];
        _mask = capacity - 1;
        Capacity = capacity;
    }

    /// <summary>The number of slots, a power of two.</summary>
    public int Capacity { get; }

    /// <summary>The slot that holds <paramref name="sequence"/>: the same slot every <see cref="Capacity"/> sequences.</summary>
    /// <param name="sequence">A non-negative sequence number, claimed from the sequencer.</param>
    /// <returns>A reference to the slot, to fill in place (producer) or read in place (consumer).</returns>
    /// <remarks>No range check: the mask keeps every sequence inside the array, which is sized in the constructor.</remarks>
    public ref T this[long sequence]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), _padSlots + (int)(sequence & _mask));
    }
}
