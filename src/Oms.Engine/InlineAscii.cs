namespace Oms.Engine;

/// <summary>
/// Up to <see cref="Capacity"/> ASCII bytes and their length, held inline: the engine's ids, which copy by value
/// through the ring and the consumer's tables without a reference. <see cref="Orders.OrderId"/> wraps it with the
/// order id's rules; a request id (<c>InFlightEntry.RequestId</c>) is one as it stands, written by the venue's
/// generator just before the send and echoed in the answer.
/// </summary>
internal struct InlineAscii
{
    public const int Capacity = 32;

    private Bytes _bytes;
    private byte _length;

    public readonly int Length => _length;

    /// <summary>The bytes, over this value's own storage.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<byte> Span => ((ReadOnlySpan<byte>)_bytes)[.._length];

    /// <summary>Sets the length and returns the bytes for the caller to fill.</summary>
    [UnscopedRef]
    public Span<byte> Reset(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)length, (uint)Capacity, nameof(length));
        _length = (byte)length;
        return ((Span<byte>)_bytes)[..length];
    }

    [InlineArray(Capacity)]
    private struct Bytes
    {
        private byte _element0;
    }
}
