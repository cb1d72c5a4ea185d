using System.Numerics;

namespace Oms.Engine.Sequencing;

/// <summary>
/// Per-slot publication marks: slot <c>s &amp; mask</c> holds the lap number <c>s &gt;&gt; log2(size)</c> of the
/// last sequence published into it, so a sequence is available exactly when its slot holds its own lap.
/// </summary>
/// <remarks>
/// <para>
/// Several producers publish out of order, so one "published up to" counter cannot describe what is readable.
/// A lap per slot can, without a lock: the consumer scans forward from the next sequence it wants until the
/// first slot whose lap is not the expected one.
/// </para>
/// <para>
/// Marks are written with release semantics (after the producer filled the slot) and read with acquire
/// semantics (before the consumer reads the slot). Laps are kept in an <see cref="int"/>; they wrap after
/// 2^32 laps, which could only alias if the consumer fell 2^32 laps behind, and the gating sequence keeps
/// it within one.
/// </para>
/// </remarks>
internal sealed class AvailabilityBuffer
{
    private readonly int[] _laps;
    private readonly long _mask;
    private readonly int _lapShift;

    public AvailabilityBuffer(int bufferSize)
    {
        RingCapacity.Validate(bufferSize, nameof(bufferSize));
        _laps = new int[bufferSize];

        // Lap -1 matches no sequence >= 0, so every slot starts unpublished.
        _laps.AsSpan().Fill(-1);
        _mask = bufferSize - 1;
        _lapShift = BitOperations.Log2((uint)bufferSize);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void MarkPublished(long sequence) => Volatile.Write(ref SlotOf(sequence), LapOf(sequence));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsPublished(long sequence) => Volatile.Read(ref SlotOf(sequence)) == LapOf(sequence);

    /// <summary>
    /// The last sequence of the published run that starts at <paramref name="lowerBound"/>, looking no further
    /// than <paramref name="upperBound"/>; <c>lowerBound - 1</c> when <paramref name="lowerBound"/> itself is not published.
    /// </summary>
    public long GetHighestPublished(long lowerBound, long upperBound)
    {
        for (long sequence = lowerBound; sequence <= upperBound; sequence++)
        {
            if (!IsPublished(sequence))
            {
                return sequence - 1;
            }
        }

        return upperBound;
    }

    private int LapOf(long sequence) => (int)(sequence >> _lapShift);

    // The mask keeps the index inside the array, which is exactly bufferSize long.
    private ref int SlotOf(long sequence) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_laps), (int)(sequence & _mask));
}
