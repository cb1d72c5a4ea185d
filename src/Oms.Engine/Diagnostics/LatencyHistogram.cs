using System.Numerics;

namespace Oms.Engine.Diagnostics;

/// <summary>
/// A fixed-memory, allocation-free histogram of durations in nanoseconds, with log-linear buckets: exact below
/// 512 ns and within 1/256 (about 0.4 %, between two and three significant digits) up to about 68.7 s.
/// </summary>
/// <remarks>
/// <para>
/// <b>Buckets.</b> A value below 2^(<see cref="SubBucketBits"/> + 1) = 512 has a bucket of its own. Above that,
/// each power-of-two range [2^k, 2^(k+1)) is cut into 256 equal buckets, so a bucket is never wider than 1/256 of
/// its lowest value. The bucket index is computed from the position of the value's highest set bit and the
/// <see cref="SubBucketBits"/> + 1 bits below it, with one shift and one add. 36 bits of nanoseconds cover the
/// 100 ns to 60 s range the engine needs in <see cref="BucketCount"/> = 7,424 counters (58 KiB).
/// </para>
/// <para>
/// <b>Reported values.</b> <see cref="GetValueAtPercentile"/> reports the highest value of the bucket holding the
/// requested rank, bounded by the exact <see cref="Min"/> and <see cref="Max"/>: it never understates, and
/// overstates by less than 1/256 of the true value. The 0th and 100th percentiles are the exact minimum and maximum.
/// </para>
/// <para>
/// <b>Out of range.</b> Values above <see cref="HighestTrackableValue"/> are recorded as that value and negative
/// values as 0; both are counted in <see cref="ClampedCount"/>, so a clamped tail is visible, never silent.
/// </para>
/// <para>
/// <b>Threads.</b> One writer: <see cref="Record"/>, <see cref="Reset"/> and <see cref="Merge"/> (into this
/// histogram) belong to the thread that owns it. Any other thread may read at any time, and reads are racy but
/// safe: 64-bit counters are never torn on 64-bit processes, the writer stores min, max and sum before it
/// publishes the bucket count with a release write, and readers read counts with acquire reads, so every count a
/// reader sees comes with the min and max that cover it. A reader that wants figures that agree with each other
/// takes a <see cref="CopyTo"/> snapshot (which also pulls min, max and sum inside the range of the counts it
/// copied) and queries the snapshot. Queries on a live histogram may mix older and newer records.
/// </para>
/// </remarks>
public sealed class LatencyHistogram
{
    /// <summary>Bits of linear resolution per power of two: 8, so 256 buckets per doubling.</summary>
    public const int SubBucketBits = 8;

    /// <summary>Bits of nanoseconds covered: 36, up to about 68.7 s.</summary>
    public const int ValueBits = 36;

    /// <summary>The largest value recorded as itself: 2^36 − 1 ns, about 68.7 s; larger values clamp to it.</summary>
    public const long HighestTrackableValue = (1L << ValueBits) - 1;

    /// <summary>The number of counters: 256 per doubling above 512 ns, plus 512 exact ones below.</summary>
    public const int BucketCount = (ValueBits - SubBucketBits + 1) << SubBucketBits;

    /// <summary>The bound on the relative error of a reported percentile: 1/256.</summary>
    public const double RelativePrecision = 1.0 / (1 << SubBucketBits);

    private static readonly double s_nanosecondsPerTick = 1e9 / Stopwatch.Frequency;

    private readonly long[] _counts = new long[BucketCount];
    private long _totalCount;
    private long _sum;
    private long _min = long.MaxValue;
    private long _max;
    private long _clampedCount;

    /// <summary>Values recorded since creation or the last <see cref="Reset"/>.</summary>
    public long TotalCount => Volatile.Read(ref _totalCount);

    /// <summary>Values that were out of range and recorded clamped (see the type's remarks).</summary>
    public long ClampedCount => Volatile.Read(ref _clampedCount);

    /// <summary>The smallest value recorded (after clamping), or 0 when empty.</summary>
    public long Min => TotalCount == 0 ? 0 : Volatile.Read(ref _min);

    /// <summary>The largest value recorded (after clamping), or 0 when empty.</summary>
    public long Max => TotalCount == 0 ? 0 : Volatile.Read(ref _max);

    /// <summary>The exact arithmetic mean of the recorded values, or 0 when empty.</summary>
    public double Mean
    {
        get
        {
            long count = TotalCount;
            return count == 0 ? 0 : Volatile.Read(ref _sum) / (double)count;
        }
    }

    /// <summary>
    /// The standard deviation of the recorded values, from each bucket's middle (exact below 512 ns, within the
    /// bucket's width above), or 0 when empty.
    /// </summary>
    /// <remarks>Any thread; racy but safe on a live histogram (see the type's remarks): read it from a snapshot.</remarks>
    public double StandardDeviation
    {
        get
        {
            long count = TotalCount;
            if (count == 0)
            {
                return 0;
            }

            double mean = Mean;
            double sumOfSquares = 0;
            long[] counts = _counts;
            for (int i = 0; i < counts.Length; i++)
            {
                long inBucket = Volatile.Read(ref counts[i]);
                if (inBucket != 0)
                {
                    double deviation = ((GetLowestValue(i) + GetHighestValue(i)) / 2.0) - mean;
                    sumOfSquares += inBucket * deviation * deviation;
                }
            }

            return Math.Sqrt(sumOfSquares / count);
        }
    }

    /// <summary>Records one duration.</summary>
    /// <param name="nanoseconds">The duration in nanoseconds; out-of-range values are clamped and counted.</param>
    /// <remarks>Owner thread only. No allocation, no lock, no interlocked operation.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Record(long nanoseconds)
    {
        if ((ulong)nanoseconds > HighestTrackableValue)
        {
            nanoseconds = ClampOutOfRange(nanoseconds);
        }

        int index = GetBucketIndex(nanoseconds);
        if (nanoseconds < _min)
        {
            Volatile.Write(ref _min, nanoseconds);
        }

        if (nanoseconds > _max)
        {
            Volatile.Write(ref _max, nanoseconds);
        }

        Volatile.Write(ref _sum, _sum + nanoseconds);

        // Release writes: a reader that sees this count also sees the min, max and sum written above.
        ref long count = ref _counts[index];
        Volatile.Write(ref count, count + 1);
        Volatile.Write(ref _totalCount, _totalCount + 1);
    }

    /// <summary>Records a duration measured in <see cref="Stopwatch"/> ticks, converted to nanoseconds.</summary>
    /// <param name="elapsedTicks">The duration in Stopwatch ticks (a difference of two timestamps).</param>
    /// <remarks>Owner thread only.</remarks>
    public void RecordStopwatchTicks(long elapsedTicks) => Record(StopwatchTicksToNanoseconds(elapsedTicks));

    /// <summary>The value at or below which <paramref name="percentile"/> percent of the recorded values fall.</summary>
    /// <param name="percentile">From 0 to 100 (50 for the median, 99.9 for the three-nines tail).</param>
    /// <returns>
    /// The highest value of the bucket that holds the rank ⌈percentile/100 × count⌉ (at least 1), or the exact
    /// <see cref="Max"/> when that lies in the same bucket; the exact <see cref="Min"/> for rank 1; 0 when empty.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percentile"/> is not within [0, 100].</exception>
    /// <remarks>Any thread; racy but safe on a live histogram (see the type's remarks).</remarks>
    public long GetValueAtPercentile(double percentile)
    {
        if (!(percentile >= 0 && percentile <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "A percentile lies within [0, 100].");
        }

        long[] counts = _counts;
        long total = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            total += Volatile.Read(ref counts[i]);
        }

        if (total == 0)
        {
            return 0;
        }

        long rank = RankOf(percentile, total);
        long cumulative = 0;
        int index = 0;
        for (; index < counts.Length; index++)
        {
            cumulative += Volatile.Read(ref counts[index]);
            if (cumulative >= rank)
            {
                break;
            }
        }

        // Only a concurrent Reset can leave the walk short of the rank; the top bucket then stands in.
        index = Math.Min(index, counts.Length - 1);

        // Min and max are read after the counts, so they cover every value counted; the clamps keep a racing
        // Reset from pushing the answer outside the bucket found. Rank 1 is the minimum itself, and any other
        // rank reads as its bucket's top unless the maximum lies lower in the same bucket.
        long bound = rank == 1 ? Volatile.Read(ref _min) : Volatile.Read(ref _max);
        return Math.Clamp(bound, GetLowestValue(index), GetHighestValue(index));
    }

    /// <summary>Copies this histogram into <paramref name="destination"/>, replacing its contents.</summary>
    /// <param name="destination">The snapshot to fill; owned by the calling thread, not this histogram.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is this histogram.</exception>
    /// <remarks>
    /// Any thread. The snapshot's total is the sum of the counts copied, and its min, max and sum are pulled inside
    /// what those counts allow, so the snapshot agrees with itself even when taken while the owner records.
    /// </remarks>
    public void CopyTo(LatencyHistogram destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (ReferenceEquals(destination, this))
        {
            throw new ArgumentException("A histogram cannot be copied onto itself.", nameof(destination));
        }

        destination.Reset();
        destination.Add(this);
    }

    /// <summary>Adds every value recorded in <paramref name="other"/> to this histogram.</summary>
    /// <param name="other">The histogram to add; ideally quiescent or a snapshot (it is read like <see cref="CopyTo"/>).</param>
    /// <remarks>Owner thread of this histogram only.</remarks>
    public void Merge(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Add(other);
    }

    /// <summary>Forgets every recorded value.</summary>
    /// <remarks>Owner thread only; a reader racing it may see part of the old contents.</remarks>
    public void Reset()
    {
        Array.Clear(_counts);
        Volatile.Write(ref _totalCount, 0);
        Volatile.Write(ref _sum, 0);
        Volatile.Write(ref _min, long.MaxValue);
        Volatile.Write(ref _max, 0);
        Volatile.Write(ref _clampedCount, 0);
    }

    /// <summary>Converts a Stopwatch tick count to nanoseconds.</summary>
    /// <param name="ticks">Stopwatch ticks.</param>
    /// <returns>Nanoseconds, exact when the Stopwatch counts nanoseconds (as on Linux).</returns>
    public static long StopwatchTicksToNanoseconds(long ticks) =>
        Stopwatch.Frequency == 1_000_000_000 ? ticks : (long)(ticks * s_nanosecondsPerTick);

    /// <summary>The bucket of a value within [0, <see cref="HighestTrackableValue"/>].</summary>
    internal static int GetBucketIndex(long value)
    {
        // Values below 2^(SubBucketBits + 1) keep shift 0 and index themselves; above, the shift drops all but
        // the top SubBucketBits + 1 bits, and each shift step starts a new run of 2^SubBucketBits indexes.
        int shift = Math.Max(0, BitOperations.Log2((ulong)value) - SubBucketBits);
        return (shift << SubBucketBits) + (int)(value >> shift);
    }

    /// <summary>The smallest value that falls in bucket <paramref name="index"/>.</summary>
    internal static long GetLowestValue(int index)
    {
        int shift = Math.Max(0, (index >> SubBucketBits) - 1);
        return (long)(index - (shift << SubBucketBits)) << shift;
    }

    /// <summary>The largest value that falls in bucket <paramref name="index"/>.</summary>
    internal static long GetHighestValue(int index)
    {
        int shift = Math.Max(0, (index >> SubBucketBits) - 1);
        return GetLowestValue(index) + (1L << shift) - 1;
    }

    /// <summary>
    /// ⌈percentile/100 × total⌉ within [1, total], with a product a rounding error away from a whole number taken
    /// as that number (99.9 % of 1000 is rank 999, although 99.9 × 1000 / 100 computes as 999.0000000000001).
    /// </summary>
    private static long RankOf(double percentile, long total)
    {
        double scaled = percentile * total / 100.0;
        double nearest = Math.Round(scaled);
        double rank = Math.Abs(scaled - nearest) <= 1e-9 * Math.Max(1.0, scaled) ? nearest : Math.Ceiling(scaled);
        return Math.Clamp((long)rank, 1, total);
    }

    private static long SaturatingMultiply(long count, long value) =>
        value != 0 && count > long.MaxValue / value ? long.MaxValue : count * value;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private long ClampOutOfRange(long nanoseconds)
    {
        Volatile.Write(ref _clampedCount, _clampedCount + 1);
        return nanoseconds < 0 ? 0 : HighestTrackableValue;
    }

    /// <summary>Adds <paramref name="source"/>'s counts, with its min, max and sum kept within what they allow.</summary>
    private void Add(LatencyHistogram source)
    {
        long[] from = source._counts;
        long[] to = _counts;
        long added = 0;
        int lowest = -1;
        int highest = -1;
        for (int i = 0; i < from.Length; i++)
        {
            long count = Volatile.Read(ref from[i]);
            if (count == 0)
            {
                continue;
            }

            Volatile.Write(ref to[i], to[i] + count);
            added += count;
            lowest = lowest < 0 ? i : lowest;
            highest = i;
        }

        if (added == 0)
        {
            return;
        }

        // Read after the counts: each is at least as recent as every count read, but may also cover records
        // whose counts were not read; the clamps pull them back to the buckets actually copied.
        long min = Math.Clamp(Volatile.Read(ref source._min), GetLowestValue(lowest), GetHighestValue(lowest));
        long max = Math.Clamp(Volatile.Read(ref source._max), GetLowestValue(highest), GetHighestValue(highest));
        long sum = Math.Clamp(Volatile.Read(ref source._sum), SaturatingMultiply(added, min), SaturatingMultiply(added, max));
        Volatile.Write(ref _min, Math.Min(_min, min));
        Volatile.Write(ref _max, Math.Max(_max, max));
        Volatile.Write(ref _sum, _sum + sum);
        Volatile.Write(ref _clampedCount, _clampedCount + Volatile.Read(ref source._clampedCount));
        Volatile.Write(ref _totalCount, _totalCount + added);
    }
}
