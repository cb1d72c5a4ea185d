namespace Oms.Engine.Orders;

/// <summary>One entry of the <see cref="CancelStateTable"/>: 64 bytes, the size of a cache line.</summary>
/// <remarks>
/// <para>
/// <see cref="Word"/> packs the slot's generation (upper 58 bits), the order's fate (3 bits, <see cref="OrderFate"/>) and its state code (lower 3 bits: 0 empty,
/// 1 to 6 the <see cref="CancelState"/> values, 7 a tombstone). Only the consumer writes it, with release writes.
/// </para>
/// <para>
/// <see cref="Version"/> is a sequence lock over <see cref="Key"/>: odd while the consumer rewrites the id, so a
/// reader that saw the same even version before and after comparing the id knows the id and the word it read
/// belong together.
/// </para>
/// <para>
/// Slots are not padded apart: neighbours hold unrelated orders, each written a handful of times in its life,
/// so sharing a line with a neighbour is rare and cheap, while padding to 128 bytes would double the table.
/// A test asserts the size and the offsets.
/// </para>
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal struct CancelEntry
{
    /// <summary>The size of a slot in bytes.</summary>
    public const int Size = 64;

    /// <summary>Generation and state code; see the remarks.</summary>
    [FieldOffset(0)]
    public long Word;

    /// <summary>Stopwatch ticks of the last change, written (never lowered) before the word.</summary>
    [FieldOffset(8)]
    public long ChangedTicks;

    /// <summary>Sequence lock over <see cref="Key"/>; odd while the id is being rewritten.</summary>
    [FieldOffset(16)]
    public int Version;

    /// <summary>The order id, inline.</summary>
    [FieldOffset(24)]
    public OrderIdKey Key;
}
