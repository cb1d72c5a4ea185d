using System.Numerics;

namespace Oms.Engine.Orders;

/// <summary>
/// Where each order's cancel stands, keyed by order id: fixed capacity, written by the consumer thread alone, read
/// without locks from any thread.
/// </summary>
/// <remarks>
/// Open addressing with linear probing over 64-byte slots; a state word packs a generation with the state, so a handle
/// from an ended episode can never move a later one; ids are published under a per-slot sequence lock so a reader never
/// sees one id's state for another; final entries are kept for <see cref="RetentionTicks"/>, then recycled in place
/// (never moved) by lazy reuse and a sliced sweep. The layout, the memory ordering and the recycling rules are in
/// <c>docs/order-state.md</c>. Times are the caller's ticks; the table never reads a clock and never allocates after
/// construction.
/// </remarks>
internal sealed partial class CancelStateTable
{
    /// <summary>The largest <see cref="Capacity"/> accepted: 2^24 entries, a 2 GiB slot array.</summary>
    public const int MaxCapacity = 1 << 24;

    /// <summary>The longest order id stored, in bytes (exchange ids are 32, older ones 31).</summary>
    public const int MaxOrderIdLength = OrderId.MaxLength;

    // The word: generation (upper 58 bits), fate (3 bits), state code (lower 3 bits).
    private const int StateBits = 3;
    private const long StateMask = (1 << StateBits) - 1;
    private const int FateShift = StateBits;
    private const long FateMask = 7;
    private const int GenerationShift = StateBits + 3;
    private const int EmptyCode = 0;
    private const int TombstoneCode = 7;

    private readonly CancelEntry[] _slots;
    private readonly int _mask;

    // Written by the consumer alone; Volatile writes so that readers on other threads see recent values.
    private int _count;
    private long _refusalCount;
    private long _recycledCount;

    // Consumer-only bookkeeping.
    private int _usedSlots;
    private long _nextUsefulSweepTicks = long.MinValue;

    // Where the next sweep slice starts: an empty slot when it was left, -1 before the first slice.
    private int _sweepCursor = -1;

    // Debug-only guard against two writers at once (see EnterConsumer).
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
        _slots = new CancelEntry[slotCount];
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
    /// <remarks>Consumer thread only, like every write to the table.</remarks>
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

    /// <summary>Moves the episode named by <paramref name="handle"/> to <paramref name="to"/>.</summary>
    /// <param name="handle">The handle <see cref="TryBegin"/> returned.</param>
    /// <param name="to">The state to move to; must be a legal move from the current one (see <see cref="CancelState"/>).</param>
    /// <param name="nowTicks">The current time in ticks, recorded as the entry's last change.</param>
    /// <returns><see langword="false"/> when the handle's episode is over (or the handle is not this table's).</returns>
    /// <exception cref="ArgumentException">The move is not legal from the current state: a programming error.</exception>
    /// <remarks>
    /// Consumer thread only, like <see cref="TryBegin"/>: the table has one writer, so a move is two release writes
    /// (the change time, then the word), never a compare-and-swap. Readers that see the new word see its time.
    /// </remarks>
    public bool Transition(CancelEntryHandle handle, CancelState to, long nowTicks)
    {
        CancelEntry[] slots = _slots;
        if (!handle.IsValid || (uint)handle.Index >= (uint)slots.Length)
        {
            return false;
        }

        ref CancelEntry slot = ref slots[handle.Index];
        long word = slot.Word;
        if (Generation(word) != handle.Generation)
        {
            return false;
        }

        CancelState from = ToPublic(Code(word));
        if (!from.CanMoveTo(to))
        {
            ThrowHelper.ThrowIllegalTransition(from, to);
        }

        AssertConsumer();
        Volatile.Write(ref slot.ChangedTicks, Math.Max(slot.ChangedTicks, nowTicks));
        Volatile.Write(ref slot.Word, Pack(handle.Generation, (int)to));
        return true;
    }

    /// <summary>Records the order's fate on the final entry named by <paramref name="handle"/>.</summary>
    /// <param name="handle">The handle <see cref="TryBegin"/> returned.</param>
    /// <param name="fate"><see cref="OrderFate.Pending"/> while the venue is asked, then the fate it gave.</param>
    /// <param name="nowTicks">The current time in ticks, recorded as the entry's last change.</param>
    /// <returns>
    /// <see langword="false"/> when the handle's episode is over or its cancel is not final (a fate follows an outcome);
    /// an entry whose fate is <see cref="OrderFate.Pending"/> is never recycled.
    /// </returns>
    /// <remarks>Consumer thread only, like every write: the time, then the word, both release writes.</remarks>
    public bool SetFate(CancelEntryHandle handle, OrderFate fate, long nowTicks)
    {
        CancelEntry[] slots = _slots;
        if (!handle.IsValid || (uint)handle.Index >= (uint)slots.Length)
        {
            return false;
        }

        ref CancelEntry slot = ref slots[handle.Index];
        long word = slot.Word;
        if (Generation(word) != handle.Generation || !IsFinalCode(Code(word)))
        {
            return false;
        }

        AssertConsumer();
        Volatile.Write(ref slot.ChangedTicks, Math.Max(slot.ChangedTicks, nowTicks));
        Volatile.Write(ref slot.Word, Pack(handle.Generation, Code(word), fate));
        return true;
    }

    /// <summary>The fate recorded for the latest cancel of <paramref name="orderId"/>, with its state.</summary>
    /// <param name="orderId">The order id as characters.</param>
    /// <param name="fate">The fate; <see cref="OrderFate.None"/> when unknown or not yet awaited.</param>
    /// <returns>The state, as <see cref="GetState(ReadOnlySpan{char})"/> gives it: both read from one word.</returns>
    public CancelState GetState(ReadOnlySpan<char> orderId, out OrderFate fate)
    {
        fate = OrderFate.None;
        if (!OrderIdKey.TryFromAscii(orderId, out OrderIdKey key))
        {
            return CancelState.None;
        }

        long word = FindWord(in key);
        fate = Code(word) == TombstoneCode ? OrderFate.None : FateOf(word);
        return ToPublic(Code(word));
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
        CancelEntry[] slots = _slots;
        if (!handle.IsValid || (uint)handle.Index >= (uint)slots.Length)
        {
            return CancelState.None;
        }

        long word = Volatile.Read(ref slots[handle.Index].Word);
        return Generation(word) == handle.Generation ? ToPublic(Code(word)) : CancelState.None;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Pack(long generation, int code, OrderFate fate = OrderFate.None) =>
        (generation << GenerationShift) | ((long)fate << FateShift) | (long)code;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Generation(long word) => (long)((ulong)word >> GenerationShift);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static OrderFate FateOf(long word) => (OrderFate)((word >> FateShift) & FateMask);

    /// <summary>A final entry whose fate is not awaited: the only kind retention may recycle.</summary>
    private static bool IsSettled(long word) => IsFinalCode(Code(word)) && FateOf(word) != OrderFate.Pending;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Code(long word) => (int)(word & StateMask);

    private static bool IsFinalCode(int code) => code is >= (int)CancelState.Acked and <= (int)CancelState.Expired;

    private static CancelState ToPublic(int code) => code == TombstoneCode ? CancelState.None : (CancelState)code;

    /// <summary>Compares the slot's id with <paramref name="key"/>, every field read with acquire semantics.</summary>
    private static bool KeyMatchesAcquire(ref CancelEntry slot, in OrderIdKey key) =>
        Volatile.Read(ref slot.Key.Hash) == key.Hash
        && Volatile.Read(ref slot.Key.Length) == key.Length
        && Volatile.Read(ref slot.Key.Lane0) == key.Lane0
        && Volatile.Read(ref slot.Key.Lane1) == key.Lane1
        && Volatile.Read(ref slot.Key.Lane2) == key.Lane2
        && Volatile.Read(ref slot.Key.Lane3) == key.Lane3;

    /// <summary>The reader's probe: lock-free, any thread.</summary>
    private CancelState Find(in OrderIdKey key) => ToPublic(Code(FindWord(in key)));

    /// <summary>The word of the slot holding <paramref name="key"/>, or 0 (empty) when none does.</summary>
    private long FindWord(in OrderIdKey key)
    {
        CancelEntry[] slots = _slots;
        int mask = _mask;
        int index = (int)(key.Hash & (uint)mask);
        for (int probes = 0; probes < slots.Length; probes++, index = (index + 1) & mask)
        {
            ref CancelEntry slot = ref slots[index];
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
                return 0;
            }

            if (KeyMatchesAcquire(ref slot, in key) && Volatile.Read(ref slot.Version) == version)
            {
                return word;
            }
        }

        return 0;
    }

    private bool IsReusable(ref CancelEntry slot, long word, long nowTicks) =>
        Code(word) == TombstoneCode
        || (IsSettled(word) && nowTicks - Volatile.Read(ref slot.ChangedTicks) >= RetentionTicks);

    /// <summary>The consumer's probe; false means "no room" (the caller may sweep and retry).</summary>
    private bool TryBeginCore(in OrderIdKey key, long nowTicks, out CancelEntryHandle handle, out bool alreadyInFlight)
    {
        CancelEntry[] slots = _slots;
        int mask = _mask;
        int index = (int)(key.Hash & (uint)mask);
        int reusable = -1;
        for (int probes = 0; probes < slots.Length; probes++, index = (index + 1) & mask)
        {
            ref CancelEntry slot = ref slots[index];
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

            if (reusable < 0 && IsReusable(ref slot, word, nowTicks))
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
        ref CancelEntry slot, int index, long word, long nowTicks, out CancelEntryHandle handle, out bool alreadyInFlight)
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

        long generation = Generation(word) + 1;
        Volatile.Write(ref slot.ChangedTicks, nowTicks);
        Volatile.Write(ref slot.Word, Pack(generation, (int)CancelState.Queued));
        handle = new CancelEntryHandle(index, generation);
        return true;
    }

    /// <summary>Puts a new id in an empty, tombstone or expired final slot, under the slot's sequence lock.</summary>
    private bool TryPlace(in OrderIdKey key, int index, long nowTicks, out CancelEntryHandle handle)
    {
        ref CancelEntry slot = ref _slots[index];
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

    /// <summary>Debug builds check that two threads never write at once (the single-writer rule).</summary>
    [Conditional("DEBUG")]
    private void EnterConsumer()
    {
        int previous = Interlocked.Exchange(ref _consumerActive, 1);
        Debug.Assert(previous == 0, "The order-state table has one writer; two threads wrote at once.");
    }

    [Conditional("DEBUG")]
    private void ExitConsumer() => Volatile.Write(ref _consumerActive, 0);

    /// <summary>Debug builds check that a move does not overlap a begin or a sweep on another thread.</summary>
    [Conditional("DEBUG")]
    private void AssertConsumer() =>
        Debug.Assert(Volatile.Read(ref _consumerActive) == 0, "The order-state table has one writer; a move overlapped a begin or a sweep.");
}
