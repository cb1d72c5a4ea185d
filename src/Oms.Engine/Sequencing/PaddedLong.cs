namespace Oms.Engine.Sequencing;

/// <summary>
/// A 64-bit value alone on its cache lines: <see cref="CacheLine.PaddingSize"/> bytes of padding before it and
/// the rest of another <see cref="CacheLine.PaddingSize"/> bytes after it.
/// </summary>
/// <remarks>
/// <para>
/// Explicit layout puts the value at byte offset <see cref="CacheLine.PaddingSize"/> of a struct that is
/// 2 × <see cref="CacheLine.PaddingSize"/> bytes long, so nothing written by another thread can share the
/// value's line (or its prefetch pair) whatever the struct is embedded in. A test asserts the offset and size.
/// </para>
/// <para>
/// This is a mutable struct: embed it in a class as a non-readonly field and call its methods on the field
/// itself. A copy is a different value and a <c>readonly</c> field would make the compiler call each method on
/// a defensive copy.
/// </para>
/// <para>
/// Memory ordering: <see cref="ReadAcquire"/> is a volatile (acquire) read, <see cref="WriteRelease"/> an
/// ordered (release) write, and <see cref="CompareExchange"/> a full fence.
/// </para>
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 2 * CacheLine.PaddingSize)]
internal struct PaddedLong
{
    [FieldOffset(CacheLine.PaddingSize)]
    private long _value;

    /// <summary>Reads the value with acquire semantics: later reads cannot move before it.</summary>
    /// <returns>The current value.</returns>
    public readonly long ReadAcquire() => Volatile.Read(in _value);

    /// <summary>
    /// Writes the value with release semantics: earlier writes (a slot's contents, a consumed batch) are
    /// visible to any thread that reads this value with acquire semantics.
    /// </summary>
    /// <param name="value">The new value.</param>
    public void WriteRelease(long value) => Volatile.Write(ref _value, value);

    /// <summary>Atomically replaces the value when it equals <paramref name="comparand"/>.</summary>
    /// <param name="value">The value to store.</param>
    /// <param name="comparand">The value expected to be there.</param>
    /// <returns>The value that was there before the call; it equals <paramref name="comparand"/> on success.</returns>
    public long CompareExchange(long value, long comparand) => Interlocked.CompareExchange(ref _value, value, comparand);
}
