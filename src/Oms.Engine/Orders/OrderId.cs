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
    public const int MaxLength = InlineAscii.Capacity;

    private InlineAscii _value;

    public readonly int Length => _value.Length;

    /// <summary>The id's bytes, over this value's own storage.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<byte> Span => _value.Span;

    /// <summary>Narrows an id given as characters; false when it is empty, too long or not ASCII.</summary>
    public static bool TryFromAscii(ReadOnlySpan<char> chars, out OrderId id)
    {
        id = default;
        if (chars.IsEmpty || chars.Length > MaxLength
            || Ascii.FromUtf16(chars, id._value.Reset(chars.Length), out _) != System.Buffers.OperationStatus.Done)
        {
            id = default;
            return false;
        }

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
        bytes.CopyTo(id._value.Reset(bytes.Length));
        return id;
    }
}
