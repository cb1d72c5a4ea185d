using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;

namespace Oms.Engine.Orders;

/// <summary>
/// An order id as the engine carries it from <c>TryCancel</c> to the wire: 1 to <see cref="MaxLength"/> ASCII bytes
/// held inline, so an intent, a waiting cancel and an in-flight request each copy it without a reference. It is made
/// once, at the call, from input the venue's profile has accepted; every later stop reads <see cref="Span"/>.
/// </summary>
internal struct OrderId
{
    /// <summary>The longest order id any venue profile allows, in bytes (AscendEX ids are 32, older ones 31).</summary>
    public const int MaxLength = 32;

    private Bytes _bytes;
    private byte _length;

    public readonly int Length => _length;

    /// <summary>The id's bytes, over this value's own storage.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<byte> Span => ((ReadOnlySpan<byte>)_bytes)[.._length];

    /// <summary>Narrows an id given as characters; false when it is empty, too long or not ASCII.</summary>
    public static bool TryFromAscii(ReadOnlySpan<char> chars, out OrderId id)
    {
        id = default;
        if (chars.IsEmpty || chars.Length > MaxLength
            || Ascii.FromUtf16(chars, id._bytes, out var written) != System.Buffers.OperationStatus.Done)
        {
            id = default;
            return false;
        }

        id._length = (byte)written;
        return true;
    }

    /// <summary>Copies an id given as ASCII bytes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The id is empty or longer than <see cref="MaxLength"/>.</exception>
    public static OrderId FromAscii(ReadOnlySpan<byte> bytes)
    {
        if ((uint)(bytes.Length - 1) >= MaxLength)
        {
            ThrowHelper.ThrowOrderIdLength(bytes.Length, nameof(bytes));
        }

        var id = default(OrderId);
        bytes.CopyTo(id._bytes);
        id._length = (byte)bytes.Length;
        return id;
    }

    [InlineArray(MaxLength)]
    private struct Bytes
    {
        private byte _element0;
    }
}
