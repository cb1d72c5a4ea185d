using System.Numerics;

namespace Oms.Engine.Sequencing;

/// <summary>The rules every ring size obeys, shared by <see cref="RingBuffer{T}"/> and the sequencer.</summary>
internal static class RingCapacity
{
    /// <summary>
    /// The largest capacity accepted: 2^30 keeps slot indexes, lap numbers and padded array lengths in
    /// <see cref="int"/> range.
    /// </summary>
    public const int Max = 1 << 30;

    /// <summary>Throws unless <paramref name="capacity"/> is a power of two in [1, <see cref="Max"/>].</summary>
    public static void Validate(int capacity, string paramName)
    {
        // A power of two turns "sequence modulo capacity" into a mask and "lap" into a shift.
        if (capacity <= 0 || capacity > Max || !BitOperations.IsPow2(capacity))
        {
            ThrowHelper.ThrowCapacityNotPowerOfTwo(capacity, paramName);
        }
    }
}
