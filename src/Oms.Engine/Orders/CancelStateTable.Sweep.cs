namespace Oms.Engine.Orders;

/// <summary>Sweeping: expired final entries become tombstones, and tombstones no probe path needs become empty.</summary>
/// <remarks>
/// The unit of work is a cluster: a run of non-empty slots between two empty ones. A probe never crosses an empty
/// slot, so every entry's probe path lies inside its cluster, and whether a tombstone is still needed can be decided
/// from its cluster alone. That is what lets the sweep go a slice at a time: each slice starts at an empty slot and
/// takes whole clusters until its budget is spent, leaving the cursor on the empty slot that ends the last one.
/// </remarks>
internal sealed partial class CancelStateTable
{
    /// <summary>
    /// Recycles every final entry whose last change is at least <see cref="RetentionTicks"/> old, then empties the
    /// tombstones no probe path needs any more: one full pass.
    /// </summary>
    /// <param name="nowTicks">The current time in ticks.</param>
    /// <returns>The number of entries recycled.</returns>
    /// <remarks>
    /// Consumer thread only. Time proportional to <see cref="SlotCount"/> (about 19 ms at a million entries): a latency
    /// spike on the thread that calls it. The engine sweeps with <see cref="SweepSlice"/> instead;
    /// <see cref="TryBegin"/> also recycles lazily without either, and falls back to a full pass only when the table
    /// is full.
    /// </remarks>
    public int Sweep(long nowTicks)
    {
        EnterConsumer();
        int recycled = SweepCore(nowTicks, _slots.Length);
        ExitConsumer();
        return recycled;
    }

    /// <summary>
    /// Sweeps the next part of the table, at least <paramref name="slotBudget"/> slots (whole clusters, so a little
    /// more) and never more than one lap; successive calls go round the table.
    /// </summary>
    /// <param name="nowTicks">The current time in ticks.</param>
    /// <param name="slotBudget">Slots to cover, at least 1; <see cref="SlotCount"/> or more makes one full pass.</param>
    /// <returns>The number of entries recycled.</returns>
    /// <remarks>
    /// Consumer thread only. Covering <see cref="SlotCount"/> slots over successive calls visits every slot at least
    /// once (a slot filled behind the cursor since the last call can only make the next slice start a little earlier),
    /// so an entry is reclaimed no later than one lap after its retention ends, and an entry in flight or still within
    /// its retention is never touched.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="slotBudget"/> is less than 1.</exception>
    public int SweepSlice(long nowTicks, int slotBudget)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slotBudget, 1);
        EnterConsumer();
        int recycled = SweepCore(nowTicks, Math.Min(slotBudget, _slots.Length));
        ExitConsumer();
        return recycled;
    }

    /// <summary>Sweeps whole clusters from the cursor until <paramref name="slotBudget"/> slots are covered.</summary>
    private int SweepCore(long nowTicks, int slotBudget)
    {
        CancelEntry[] slots = _slots;
        int mask = _mask;
        bool fullPass = slotBudget >= slots.Length;
        long nextUseful = SaturatingAdd(nowTicks, RetentionTicks);
        int start = ClusterBoundaryAtOrBefore(_sweepCursor);
        int covered = 0;
        int recycled = 0;
        while (covered < slotBudget)
        {
            int length = 1;
            while (Code(Volatile.Read(ref slots[(start + length) & mask].Word)) != EmptyCode)
            {
                length++;
            }

            recycled += TombstoneExpired(start, length, nowTicks, ref nextUseful);
            TrimTombstones(start, length);
            start = (start + length) & mask;
            covered += length;
        }

        _sweepCursor = start;
        Volatile.Write(ref _count, _count - recycled);
        Volatile.Write(ref _recycledCount, _recycledCount + recycled);
        if (fullPass)
        {
            // Only a full pass has seen every retained entry, so only it knows when the next one can expire.
            _nextUsefulSweepTicks = nextUseful;
        }

        return recycled;
    }

    /// <summary>
    /// An empty slot to start a slice from: <paramref name="cursor"/> itself while it is still empty, else the empty
    /// slot before it (the cluster it now lies in is swept whole), or any empty slot before the first slice.
    /// </summary>
    private int ClusterBoundaryAtOrBefore(int cursor)
    {
        CancelEntry[] slots = _slots;
        int index = cursor < 0 ? 0 : cursor;

        // Always ends: one slot is always kept empty.
        while (Code(Volatile.Read(ref slots[index].Word)) != EmptyCode)
        {
            index = (index - 1) & _mask;
        }

        return index;
    }

    /// <summary>Turns each final entry past its retention in the cluster after the empty slot <paramref name="start"/> into a tombstone.</summary>
    private int TombstoneExpired(int start, int length, long nowTicks, ref long nextUseful)
    {
        CancelEntry[] slots = _slots;
        long retention = RetentionTicks;
        int recycled = 0;
        for (int offset = 1; offset < length; offset++)
        {
            ref CancelEntry slot = ref slots[(start + offset) & _mask];
            long word = Volatile.Read(ref slot.Word);
            if (!IsSettled(word))
            {
                // In flight, or final with its fate still awaited: when it settles later, its retention ends no
                // sooner than the bound this sweep started from.
                continue;
            }

            long changed = Volatile.Read(ref slot.ChangedTicks);
            if (nowTicks - changed >= retention)
            {
                Volatile.Write(ref slot.Word, Pack(Generation(word), TombstoneCode));
                recycled++;
            }
            else
            {
                nextUseful = Math.Min(nextUseful, SaturatingAdd(changed, retention));
            }
        }

        return recycled;
    }

    /// <summary>
    /// Empties every tombstone of the cluster after the empty slot <paramref name="start"/> that lies on no entry's
    /// probe path, walking the cluster backwards so that each entry's home is known before the slots it covers.
    /// </summary>
    /// <remarks>
    /// Positions are unwrapped (counted from <paramref name="start"/>), so a cluster that wraps round the end of the
    /// array needs no special case. A tombstone at position t is needed only if some entry after it has its home at or
    /// before t. Readers racing this are safe: no entry's chain crosses an emptied slot, so a probe for a present id
    /// never stops early, and a probe for an absent id may only stop sooner.
    /// </remarks>
    private void TrimTombstones(int start, int length)
    {
        CancelEntry[] slots = _slots;
        int mask = _mask;
        long lowestHome = long.MaxValue;
        for (long position = (long)start + length - 1; position > start; position--)
        {
            ref CancelEntry slot = ref slots[(int)(position & mask)];
            long word = Volatile.Read(ref slot.Word);
            if (Code(word) == TombstoneCode)
            {
                if (lowestHome > position)
                {
                    Volatile.Write(ref slot.Word, Pack(Generation(word), EmptyCode));
                    _usedSlots--;
                }
            }
            else
            {
                long displacement = (position - (slot.Key.Hash & (uint)mask)) & mask;
                lowestHome = Math.Min(lowestHome, position - displacement);
            }
        }
    }

    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
