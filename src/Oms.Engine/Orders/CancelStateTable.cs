using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Oms.Engine.Orders;

/// <summary>
/// The lock-free, fixed-capacity record of where each order's cancel stands, keyed by order id: the one
/// structure that the consumer thread, the connection reader threads and the strategy's query threads share.
/// </summary>
/// <remarks>
/// <para>
/// <b>Threads.</b> <see cref="TryBegin"/> and <see cref="Sweep"/> are the consumer's: one thread at a time
/// (Debug builds assert it), because only they place ids in slots. <see cref="TryTransition"/> may be called from
/// any thread (the consumer moves Queued to Sent, a reader moves Sent to an outcome); the
/// <c>GetState</c> overloads and the counters may be read from any thread at any time. Nothing here blocks,
/// takes a lock or allocates after construction.
/// </para>
/// <para>
/// <b>Layout.</b> Open addressing with linear probing over a power-of-two array of 64-byte
/// <see cref="CancelSlot"/>s, twice as many as <see cref="Capacity"/> (rounded up), so probe runs stay short.
/// Each slot holds the id inline (<see cref="OrderIdKey"/>), a state word and the last-change time.
/// </para>
/// <para>
/// <b>State word.</b> Generation (upper 61 bits) and state code (lower 3 bits). Every new episode of a slot
/// (a first begin, a begin after a final state, a reuse for another order) increments the generation, and a
/// <see cref="CancelEntryHandle"/> carries the generation of its episode, so a CAS through an old handle compares
/// against a word that can never recur: no ABA across episodes. Within an episode, Sent to Queued and back to Sent
/// does recur, on purpose: a late answer to any attempt of the same cancel completes the same episode.
/// </para>
/// <para>
/// <b>Memory ordering.</b> Transitions are <see cref="Interlocked.CompareExchange(ref long, long, long)"/> (a full
/// fence) on the word; readers read it with acquire semantics. Before each CAS the caller raises the slot's
/// change time to its <c>nowTicks</c>, so whoever sees a final word with an acquire read also sees a change time
/// no older than the move to that state; a losing CAS may leave the time a little later than the real change,
/// which only lengthens retention. Ids are published under a per-slot sequence lock: the consumer makes the
/// version odd with an interlocked exchange (a full fence, so the id stores cannot move above it), writes the id,
/// the time and the word, then makes the version even with a release write. A reader reads the version (acquire),
/// the word and every id field (acquire, so none can move below the final read), then the version again: only
/// the same even version on both sides counts as a match. A slot caught mid-rewrite is treated as not holding the
/// id sought: its old id is being forgotten and its new one is not yet published, so "not there" is a correct
/// answer at that instant. A reader therefore never sees a torn id, nor one id's state for another.
/// </para>
/// <para>
/// <b>Recycling and deletion.</b> A final entry is kept for at least <see cref="RetentionTicks"/> after its last
/// change so that late queries still see the outcome; after that it is reusable. <see cref="TryBegin"/> reuses
/// the first reusable slot on its probe path (lazy recycling), and a sweep (<see cref="Sweep"/> for the whole table,
/// <see cref="SweepSlice"/> for a bounded part of it) turns expired final entries into tombstones and then empties
/// the tombstones that no remaining entry's probe path crosses. Entries
/// are never moved (backward-shift deletion would move live entries under concurrent readers and invalidate the
/// handles reader threads hold), so tombstones plus reuse-in-place keep every probe chain intact: a slot between
/// an entry's home and its position is never empty.
/// </para>
/// <para>
/// <b>Running out.</b> At most <see cref="Capacity"/> entries (in flight or retained) exist at once. When a new
/// order finds no room, the table sweeps once (only if some retained entry can have expired since the last sweep)
/// and tries again; if there is still no room, <see cref="TryBegin"/> returns <see langword="false"/> and
/// <see cref="RefusalCount"/> counts it. It never grows.
/// </para>
/// <para>
/// <b>Time.</b> All times are caller-supplied ticks (normally <see cref="Stopwatch.GetTimestamp"/>), expected
/// not to go backwards; the table never reads a clock.
/// </para>
/// </remarks>
public sealed partial class CancelStateTable
{
    /// <summary>The largest <see cref="Capacity"/> accepted: 2^24 entries, a 2 GiB slot array.</summary>
    public const int MaxCapacity = 1 << 24;

    /// <summary>The longest order id stored, in bytes (exchange ids are 32, older ones 31).</summary>
    public const int MaxOrderIdLength = OrderIdKey.MaxLength;

    private const int StateBits = 3;
    private const long StateMask = (1 << StateBits) - 1;
    private const int EmptyCode = 0;
    private const int TombstoneCode = 7;

    private readonly CancelSlot[] _slots;
    private readonly int _mask;

    // Written only by the consumer; Volatile writes so that metric readers on other threads see recent values.
    private int _count;
    private long _refusalCount;
    private long _recycledCount;

    // Consumer-only bookkeeping.
    private int _usedSlots;
    private long _nextUsefulSweepTicks = long.MinValue;

    // Where the next sweep slice starts: an empty slot when it was left, -1 before the first slice.
    private int _sweepCursor = -1;

    // Debug-only guard against two threads placing ids at once (see EnterConsumer).
    private int _consumerActive;

    /// <summary>Creates a table for up to <paramref name="capacity"/> entries, all memory allocated here.</summary>
    /// <param name="capacity">
    /// The most orders in flight or retained at once, 1 to <see cref="MaxCapacity"/> (65,536 is a typical value).
    /// </param>
    /// <param name="retentionTicks">
    /// How long a final entry stays queryable after its last change, in the caller's ticks; 0 makes final entries
    /// reusable at once.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public CancelStateTable(int capacity, long retentionTicks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, MaxCapacity);
        ArgumentOutOfRangeException.ThrowIfNegative(retentionTicks);

        // Twice the capacity keeps the load factor at or below one half, where linear probing stays short; at
        // least 4 slots so that one slot is always empty and every probe terminates.
        int slotCount = Math.Max(4, (int)BitOperations.RoundUpToPowerOf2((uint)capacity) * 2);
        _slots = new CancelSlot[slotCount];
        _mask = slotCount - 1;
        Capacity = capacity;
        RetentionTicks = retentionTicks;
    }

    /// <summary>The most entries (in flight or retained) the table holds at once.</summary>
    public int Capacity { get; }

    /// <summary>The number of slots allocated: a power of two, at least twice <see cref="Capacity"/>.</summary>
    public int SlotCount => _slots.Length;

    /// <summary>How long a final entry stays queryable after its last change, in ticks.</summary>
    public long RetentionTicks { get; }

    /// <summary>Entries now in flight or retained after a final state; readable from any thread.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Calls to <see cref="TryBegin"/> refused because the table was full; readable from any thread.</summary>
    public long RefusalCount => Volatile.Read(ref _refusalCount);

    /// <summary>Final entries recycled (reused for another order or swept), in total; readable from any thread.</summary>
    public long RecycledCount => Volatile.Read(ref _recycledCount);

    /// <summary>Slots not empty (entries plus tombstones still on some probe path); for tests and diagnostics.</summary>
    internal int UsedSlotCount => _usedSlots;

    /// <summary>
    /// Starts (or joins) the cancel of <paramref name="orderId"/>: the consumer calls this when it takes an intent.
    /// </summary>
    /// <param name="orderId">The order id, 1 to <see cref="MaxOrderIdLength"/> ASCII bytes.</param>
    /// <param name="nowTicks">The current time in ticks.</param>
    /// <param name="handle">The episode's handle (the existing one when <paramref name="alreadyInFlight"/>).</param>
    /// <param name="alreadyInFlight">
    /// <see langword="true"/> when a cancel of this order is already Queued or Sent: the engine coalesces, the new
    /// intent joins that one and no request is made. Otherwise the entry was created or re-begun in Queued.
    /// </param>
    /// <returns>
    /// <see langword="false"/> only when the table is full of entries in flight or still retained; the refusal is
    /// counted in <see cref="RefusalCount"/>.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException">The id is empty or longer than 32 bytes.</exception>
    /// <remarks>Consumer thread only (one caller at a time, together with <see cref="Sweep"/>).</remarks>
    public bool TryBegin(ReadOnlySpan<byte> orderId, long nowTicks, out CancelEntryHandle handle, out bool alreadyInFlight)
    {
        if ((uint)(orderId.Length - 1) >= MaxOrderIdLength)
        {
            ThrowHelper.ThrowOrderIdLength(orderId.Length, nameof(orderId));
        }

        OrderIdKey key = OrderIdKey.FromBytes(orderId);
        EnterConsumer();
        bool begun = TryBeginCore(in key, nowTicks, out handle, out alreadyInFlight)
            || TryBeginAfterSweep(in key, nowTicks, out handle, out alreadyInFlight);
        ExitConsumer();
        return begun;
    }

    /// <summary>Moves the episode named by <paramref name="handle"/> from one state to another, by CAS.</summary>
    /// <param name="handle">The handle <see cref="TryBegin"/> returned.</param>
    /// <param name="from">The state the caller believes the cancel is in.</param>
    /// <param name="to">The state to move to; must be a legal move (see <see cref="CancelState"/>).</param>
    /// <param name="nowTicks">The current time in ticks, recorded as the entry's last change.</param>
    /// <returns>
    /// <see langword="true"/> when this call made the move; <see langword="false"/> when the cancel was not in
    /// <paramref name="from"/> (another thread moved it first) or the handle's episode is over.
    /// </returns>
    /// <exception cref="ArgumentException">The move is not legal: a programming error.</exception>
    /// <remarks>
    /// Any thread. Exactly one of several racing callers with the same <paramref name="from"/> succeeds. The
    /// consumer must move Queued to Sent before the request can reach the wire, so that the reader's move from
    /// Sent cannot arrive first.
    /// </remarks>
    public bool TryTransition(CancelEntryHandle handle, CancelState from, CancelState to, long nowTicks)
    {
        if (!from.CanMoveTo(to))
        {
            ThrowHelper.ThrowIllegalTransition(from, to);
        }

        CancelSlot[] slots = _slots;
        if ((uint)handle.Index >= (uint)slots.Length)
        {
            return false;
        }

        ref CancelSlot slot = ref slots[handle.Index];
        long expected = Pack(handle.Generation, (int)from);
        if (Volatile.Read(ref slot.Word) != expected)
        {
            return false;
        }

        RaiseChangedTicks(ref slot, nowTicks);
        return Interlocked.CompareExchange(ref slot.Word, Pack(handle.Generation, (int)to), expected) == expected;
    }

    /// <summary>The state of the cancel of <paramref name="orderId"/>.</summary>
    /// <param name="orderId">The order id as bytes.</param>
    /// <returns>The state, or <see cref="CancelState.None"/> when the id is unknown, recycled or not a valid id.</returns>
    /// <remarks>Any thread; lock-free and bounded by the slot count. See the type's remarks for ordering.</remarks>
    public CancelState GetState(ReadOnlySpan<byte> orderId)
    {
        if ((uint)(orderId.Length - 1) >= MaxOrderIdLength)
        {
            return CancelState.None;
        }

        OrderIdKey key = OrderIdKey.FromBytes(orderId);
        return Find(in key);
    }

    /// <summary>The state of the cancel of <paramref name="orderId"/>, given as ASCII characters.</summary>
    /// <param name="orderId">The order id as characters; it matches the byte id with the same ASCII text.</param>
    /// <returns>
    /// The state, or <see cref="CancelState.None"/> when the id is unknown, recycled, too long or not ASCII.
    /// </returns>
    /// <remarks>Any thread; lock-free, allocation-free (the id is narrowed on the stack).</remarks>
    public CancelState GetState(ReadOnlySpan<char> orderId) =>
        OrderIdKey.TryFromAscii(orderId, out OrderIdKey key) ? Find(in key) : CancelState.None;

    /// <summary>The state of the episode named by <paramref name="handle"/>.</summary>
    /// <param name="handle">A handle from <see cref="TryBegin"/>.</param>
    /// <returns>The state, or <see cref="CancelState.None"/> once the slot has moved on to another episode.</returns>
    /// <remarks>Any thread; one acquire read.</remarks>
    public CancelState GetState(CancelEntryHandle handle)
    {
        CancelSlot[] slots = _slots;
        if (!handle.IsValid || (uint)handle.Index >= (uint)slots.Length)
        {
            return CancelState.None;
        }

        long word = Volatile.Read(ref slots[handle.Index].Word);
        return Generation(word) == handle.Generation ? ToPublic(Code(word)) : CancelState.None;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Pack(long generation, int code) => (generation << StateBits) | (long)code;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Generation(long word) => (long)((ulong)word >> StateBits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Code(long word) => (int)(word & StateMask);

    private static bool IsFinalCode(int code) => code is >= (int)CancelState.Acked and <= (int)CancelState.Expired;

    private static CancelState ToPublic(int code) => code == TombstoneCode ? CancelState.None : (CancelState)code;

    /// <summary>Raises the change time to <paramref name="nowTicks"/>; never lowers it, whoever wins a race.</summary>
    private static void RaiseChangedTicks(ref CancelSlot slot, long nowTicks)
    {
        long seen = Volatile.Read(ref slot.ChangedTicks);
        while (nowTicks > seen)
        {
            long prior = Interlocked.CompareExchange(ref slot.ChangedTicks, nowTicks, seen);
            if (prior == seen)
            {
                return;
            }

            seen = prior;
        }
    }

    /// <summary>Compares the slot's id with <paramref name="key"/>, every field read with acquire semantics.</summary>
    private static bool KeyMatchesAcquire(ref CancelSlot slot, in OrderIdKey key) =>
        Volatile.Read(ref slot.Key.Hash) == key.Hash
        && Volatile.Read(ref slot.Key.Length) == key.Length
        && Volatile.Read(ref slot.Key.Lane0) == key.Lane0
        && Volatile.Read(ref slot.Key.Lane1) == key.Lane1
        && Volatile.Read(ref slot.Key.Lane2) == key.Lane2
        && Volatile.Read(ref slot.Key.Lane3) == key.Lane3;

    /// <summary>The reader's probe: lock-free, any thread.</summary>
    private CancelState Find(in OrderIdKey key)
    {
        CancelSlot[] slots = _slots;
        int mask = _mask;
        int index = (int)(key.Hash & (uint)mask);
        for (int probes = 0; probes < slots.Length; probes++, index = (index + 1) & mask)
        {
            ref CancelSlot slot = ref slots[index];
            int version = Volatile.Read(ref slot.Version);
            if ((version & 1) != 0)
            {
                // Being rewritten: whatever id it held is being forgotten, the new one is not yet published.
                continue;
            }

            long word = Volatile.Read(ref slot.Word);
            int code = Code(word);
            if (code == EmptyCode)
            {
                return CancelState.None;
            }

            if (KeyMatchesAcquire(ref slot, in key) && Volatile.Read(ref slot.Version) == version)
            {
                return ToPublic(code);
            }
        }

        return CancelState.None;
    }

    private bool IsReusable(ref CancelSlot slot, int code, long nowTicks) =>
        code == TombstoneCode
        || (IsFinalCode(code) && nowTicks - Volatile.Read(ref slot.ChangedTicks) >= RetentionTicks);

    /// <summary>The consumer's probe; false means "no room" (the caller may sweep and retry).</summary>
    private bool TryBeginCore(in OrderIdKey key, long nowTicks, out CancelEntryHandle handle, out bool alreadyInFlight)
    {
        CancelSlot[] slots = _slots;
        int mask = _mask;
        int index = (int)(key.Hash & (uint)mask);
        int reusable = -1;
        for (int probes = 0; probes < slots.Length; probes++, index = (index + 1) & mask)
        {
            ref CancelSlot slot = ref slots[index];
            long word = Volatile.Read(ref slot.Word);
            int code = Code(word);
            if (code == EmptyCode)
            {
                // The id is nowhere further on (a chain never crosses an empty slot): place it.
                alreadyInFlight = false;
                return TryPlace(in key, reusable >= 0 ? reusable : index, nowTicks, out handle);
            }

            // Only this thread writes ids, so plain reads of the key are current here.
            if (slot.Key.Hash == key.Hash && slot.Key.SameId(in key))
            {
                return TryBeginExisting(ref slot, index, word, nowTicks, out handle, out alreadyInFlight);
            }

            if (reusable < 0 && IsReusable(ref slot, code, nowTicks))
            {
                reusable = index;
            }
        }

        // Unreachable while one slot is always kept empty; handled rather than assumed.
        alreadyInFlight = false;
        if (reusable >= 0)
        {
            return TryPlace(in key, reusable, nowTicks, out handle);
        }

        handle = default;
        return false;
    }

    /// <summary>The id already has a slot: join its cancel in flight, or start a new episode in place.</summary>
    private bool TryBeginExisting(
        ref CancelSlot slot, int index, long word, long nowTicks, out CancelEntryHandle handle, out bool alreadyInFlight)
    {
        int code = Code(word);
        if (code is (int)CancelState.Queued or (int)CancelState.Sent)
        {
            handle = new CancelEntryHandle(index, Generation(word));
            alreadyInFlight = true;
            return true;
        }

        alreadyInFlight = false;
        if (code == TombstoneCode)
        {
            if (_count >= Capacity)
            {
                handle = default;
                return false;
            }

            Volatile.Write(ref _count, _count + 1);
        }

        // Final and tombstone words have no legal moves, so no other thread can change this word under us.
        long generation = Generation(word) + 1;
        Volatile.Write(ref slot.ChangedTicks, nowTicks);
        long prior = Interlocked.CompareExchange(ref slot.Word, Pack(generation, (int)CancelState.Queued), word);
        Debug.Assert(prior == word, "A final or tombstone word changed under the consumer.");
        handle = new CancelEntryHandle(index, generation);
        return true;
    }

    /// <summary>Puts a new id in an empty, tombstone or expired final slot, under the slot's sequence lock.</summary>
    private bool TryPlace(in OrderIdKey key, int index, long nowTicks, out CancelEntryHandle handle)
    {
        ref CancelSlot slot = ref _slots[index];
        long word = Volatile.Read(ref slot.Word);
        int code = Code(word);
        if (code == EmptyCode || code == TombstoneCode)
        {
            // Keep one slot always empty so every probe ends.
            if (_count >= Capacity || (code == EmptyCode && _usedSlots >= _slots.Length - 1))
            {
                handle = default;
                return false;
            }

            if (code == EmptyCode)
            {
                _usedSlots++;
            }

            Volatile.Write(ref _count, _count + 1);
        }
        else
        {
            Volatile.Write(ref _recycledCount, _recycledCount + 1);
        }

        long generation = Generation(word) + 1;
        int version = slot.Version;
        Interlocked.Exchange(ref slot.Version, version + 1);
        slot.Key = key;
        Volatile.Write(ref slot.ChangedTicks, nowTicks);
        Volatile.Write(ref slot.Word, Pack(generation, (int)CancelState.Queued));
        Volatile.Write(ref slot.Version, version + 2);
        handle = new CancelEntryHandle(index, generation);
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryBeginAfterSweep(in OrderIdKey key, long nowTicks, out CancelEntryHandle handle, out bool alreadyInFlight)
    {
        // A sweep can only free something once a retained entry has reached its retention; before that, a full
        // table under a burst would rescan every slot per intent for nothing.
        if (nowTicks >= _nextUsefulSweepTicks)
        {
            SweepCore(nowTicks, _slots.Length);
            if (TryBeginCore(in key, nowTicks, out handle, out alreadyInFlight))
            {
                return true;
            }
        }

        handle = default;
        alreadyInFlight = false;
        Volatile.Write(ref _refusalCount, _refusalCount + 1);
        return false;
    }

    /// <summary>Debug builds check that two threads never place ids at once (the single-inserter rule).</summary>
    [Conditional("DEBUG")]
    private void EnterConsumer()
    {
        int previous = Interlocked.Exchange(ref _consumerActive, 1);
        Debug.Assert(previous == 0, "TryBegin and Sweep belong to one consumer thread; two ran at once.");
    }

    [Conditional("DEBUG")]
    private void ExitConsumer() => Volatile.Write(ref _consumerActive, 0);
}
