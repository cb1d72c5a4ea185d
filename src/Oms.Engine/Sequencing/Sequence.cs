namespace Oms.Engine.Sequencing;

/// <summary>
/// A shared, padded sequence number: the producers' claim cursor or the consumer's progress.
/// </summary>
/// <remarks>
/// <para>
/// A reference type so that the producers, the consumer and the wait strategy all see the same counter; the
/// value itself lives in a <see cref="PaddedLong"/> so the counter written by one side never shares a cache
/// line with anything written by the other.
/// </para>
/// <para>
/// Reads are acquire, <see cref="SetValue"/> is a release write, <see cref="CompareAndSet"/> is a full fence.
/// Sequences start at <see cref="InitialValue"/>: the first claimed or processed sequence is 0.
/// </para>
/// </remarks>
internal sealed class Sequence
{
    /// <summary>The value of a sequence before anything was claimed or processed.</summary>
    public const long InitialValue = -1;

    // Not readonly: PaddedLong is a mutable struct and a readonly field would be operated on through copies.
    private PaddedLong _value;

    /// <summary>Creates a sequence holding <paramref name="initialValue"/>.</summary>
    /// <param name="initialValue">The starting value, <see cref="InitialValue"/> unless resuming.</param>
    public Sequence(long initialValue = InitialValue) => _value.WriteRelease(initialValue);

    /// <summary>The current value, read with acquire semantics.</summary>
    public long Value => _value.ReadAcquire();

    /// <summary>Stores <paramref name="value"/> with release semantics (an ordered write, not a full fence).</summary>
    /// <param name="value">The new value.</param>
    /// <remarks>Only the single owner of the sequence may call this; concurrent writers use <see cref="CompareAndSet"/>.</remarks>
    public void SetValue(long value) => _value.WriteRelease(value);

    /// <summary>Atomically sets the value to <paramref name="newValue"/> if it is still <paramref name="expected"/>.</summary>
    /// <param name="expected">The value the caller last read.</param>
    /// <param name="newValue">The value to store.</param>
    /// <returns><see langword="true"/> when the value was replaced.</returns>
    public bool CompareAndSet(long expected, long newValue) => _value.CompareExchange(newValue, expected) == expected;

    /// <summary>The current value as text, for debugging.</summary>
    /// <returns>The value in invariant digits.</returns>
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
