namespace Oms.Transport.HPack;

/// <summary>Writes HPACK prefixed integers (RFC 7541 section 5.1).</summary>
internal static class HPackInteger
{
    /// <summary>How many octets <paramref name="value"/> takes with an N-bit prefix.</summary>
    /// <param name="value">A non-negative value.</param>
    /// <param name="prefixBits">N, from 1 to 8.</param>
    public static int GetEncodedLength(int value, int prefixBits)
    {
        Debug.Assert(value >= 0 && prefixBits is >= 1 and <= 8);
        int max = (1 << prefixBits) - 1;
        if (value < max)
        {
            return 1;
        }

        uint rest = (uint)(value - max);
        int length = 2;
        while (rest >= 0x80)
        {
            rest >>= 7;
            length++;
        }

        return length;
    }

    // RFC 7541 section 5.1, Figures 2 and 3 (shown for N = 5):
    //
    //   0   1   2   3   4   5   6   7          0   1   2   3   4   5   6   7
    // +---+---+---+---+---+---+---+---+      +---+---+---+---+---+---+---+---+
    // | ? | ? | ? |       Value       |      | ? | ? | ? | 1   1   1   1   1 |
    // +---+---+---+-------------------+      +---+---+---+-------------------+
    //                                        | 1 |    Value-(2^N-1) LSB      |
    //                                        +---+---------------------------+
    //                                                       ...
    //                                        +---+---------------------------+
    //                                        | 0 |    Value-(2^N-1) MSB      |
    //                                        +---+---------------------------+

    /// <summary>
    /// Writes <paramref name="value"/> with an N-bit prefix. The first octet keeps the 8-N high bits of
    /// <paramref name="firstByte"/> (the representation's pattern, e.g. 0x80 for an indexed field).
    /// </summary>
    /// <param name="value">A non-negative value.</param>
    /// <param name="prefixBits">N, from 1 to 8.</param>
    /// <param name="firstByte">Supplies the high bits of the first octet; its low N bits are ignored.</param>
    /// <param name="destination">Where to write.</param>
    /// <param name="bytesWritten">Octets written; 0 when this returns false.</param>
    /// <returns>False when <paramref name="destination"/> is too short; nothing is written then.</returns>
    public static bool TryEncode(int value, int prefixBits, byte firstByte, Span<byte> destination, out int bytesWritten)
    {
        if (value < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(value), "HPACK integers are non-negative.");
        }

        Debug.Assert(prefixBits is >= 1 and <= 8);
        int max = (1 << prefixBits) - 1;
        byte high = (byte)(firstByte & ~max);
        if (value < max)
        {
            if (destination.IsEmpty)
            {
                bytesWritten = 0;
                return false;
            }

            destination[0] = (byte)(high | value);
            bytesWritten = 1;
            return true;
        }

        int length = GetEncodedLength(value, prefixBits);
        if (destination.Length < length)
        {
            bytesWritten = 0;
            return false;
        }

        destination[0] = (byte)(high | max);
        uint rest = (uint)(value - max);
        int i = 1;
        while (rest >= 0x80)
        {
            destination[i++] = (byte)(0x80 | (rest & 0x7F));
            rest >>= 7;
        }

        destination[i++] = (byte)rest;
        bytesWritten = i;
        return true;
    }
}
