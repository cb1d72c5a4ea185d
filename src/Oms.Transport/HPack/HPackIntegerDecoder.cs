namespace Oms.Transport.HPack;

/// <summary>
/// Reads one HPACK prefixed integer (RFC 7541 section 5.1) an octet at a time, so an integer may straddle two
/// input segments. Call <see cref="BeginTryDecode"/> with the first octet, then <see cref="TryDecode"/> with
/// each following octet until one of them returns true.
/// </summary>
/// <remarks>
/// A mutable struct held in a field of its owner: copying it mid-integer would fork the state.
/// Values above <see cref="int.MaxValue"/> and encodings with more than <see cref="MaxContinuationBytes"/>
/// continuation octets are rejected (RFC 7541 section 5.1 lets decoders bound integers; a run of 0x80 octets would
/// otherwise never end).
/// </remarks>
internal struct HPackIntegerDecoder
{
    /// <summary>7 bits each: five octets after the prefix already reach past 2^31.</summary>
    public const int MaxContinuationBytes = 5;

    private int _value;
    private int _shift;

    /// <summary>Starts an integer from the octet that holds its N-bit prefix.</summary>
    /// <param name="firstByte">The first octet; only its low N bits are read.</param>
    /// <param name="prefixBits">N, from 1 to 8.</param>
    /// <param name="result">The value, when it fits in the prefix.</param>
    /// <returns>True when the value is complete; false when continuation octets follow.</returns>
    public bool BeginTryDecode(byte firstByte, int prefixBits, out int result)
    {
        int max = (1 << prefixBits) - 1;
        int prefix = firstByte & max;
        if (prefix < max)
        {
            result = prefix;
            return true;
        }

        _value = max;
        _shift = 0;
        result = 0;
        return false;
    }

    /// <summary>Feeds the next continuation octet.</summary>
    /// <param name="nextByte">The octet.</param>
    /// <param name="result">The value, once complete.</param>
    /// <returns>True when this octet ended the integer.</returns>
    /// <exception cref="HPackDecodingException"><see cref="HPackError.IntegerOverflow"/>.</exception>
    public bool TryDecode(byte nextByte, out int result)
    {
        if (_shift > 7 * (MaxContinuationBytes - 1))
        {
            ThrowHelper.ThrowDecoding(HPackError.IntegerOverflow);
        }

        long value = _value + ((long)(nextByte & 0x7F) << _shift);
        if (value > int.MaxValue)
        {
            ThrowHelper.ThrowDecoding(HPackError.IntegerOverflow);
        }

        _value = (int)value;
        _shift += 7;
        if ((nextByte & 0x80) == 0)
        {
            result = _value;
            return true;
        }

        result = 0;
        return false;
    }
}
