namespace Oms.Engine;

/// <summary>
/// Up to <see cref="Capacity"/> ASCII bytes and their length, held inline: the storage of the engine's ids
/// (<see cref="Orders.OrderId"/>, <see cref="Venues.RequestId"/>), which copy by value through the ring and the
/// consumer's tables without a reference.
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
