namespace Oms.Transport.HPack;

/// <summary>
/// The static Huffman code of RFC 7541 Appendix B: encoding, encoded length and decoding, none of which
/// allocates. Decoding checks the rules of RFC 7541 section 5.2: padding of at most 7 bits, made of the most
/// significant bits of EOS (all 1s), and no EOS symbol inside the string.
/// </summary>
internal static class HPackHuffman
{
    /// <summary>The EOS symbol; it never appears in a valid string.</summary>
    public const int EosSymbol = 256;

    /// <summary>The longest code, EOS's.</summary>
    public const int MaxCodeLength = 30;

    private const int FastBits = 8;

    // Canonical-code decoding state, built once from HPackHuffmanCodes.Table: for each code length, the numerically
    // smallest code of that length, how many codes have it, and where its symbols start in s_symbolsByCode.
    private static readonly uint[] s_firstCode = new uint[MaxCodeLength + 1];
    private static readonly int[] s_codeCount = new int[MaxCodeLength + 1];
    private static readonly int[] s_firstSymbol = new int[MaxCodeLength + 1];
    private static readonly ushort[] s_symbolsByCode = new ushort[EosSymbol + 1];

    // One lookup resolves every code of up to 8 bits (all of the common header characters): indexed by the
    // next 8 bits, it holds symbol | length << 9, or 0 when the code is longer.
    private static readonly ushort[] s_fast = new ushort[1 << FastBits];

#pragma warning disable CA1810 // The decoding tables are derived from HPackHuffmanCodes.Table in dependency order; field initialisers cannot express that.
    static HPackHuffman()
#pragma warning restore CA1810
    {
        ReadOnlySpan<uint> table = HPackHuffmanCodes.Table;
        Span<uint> lastCode = stackalloc uint[MaxCodeLength + 1];
        for (int symbol = 0; symbol <= EosSymbol; symbol++)
        {
            uint code = table[2 * symbol];
            int length = (int)table[2 * symbol + 1];
            if (s_codeCount[length] == 0 || code < s_firstCode[length])
            {
                s_firstCode[length] = code;
            }

            lastCode[length] = Math.Max(lastCode[length], code);
            s_codeCount[length]++;
        }

        int next = 0;
        for (int length = 1; length <= MaxCodeLength; length++)
        {
            // The code is canonical (RFC 7541 Appendix B): the codes of one length are consecutive integers.
            Debug.Assert(s_codeCount[length] == 0 || lastCode[length] - s_firstCode[length] + 1 == s_codeCount[length]);
            s_firstSymbol[length] = next;
            next += s_codeCount[length];
        }

        for (int symbol = 0; symbol <= EosSymbol; symbol++)
        {
            uint code = table[2 * symbol];
            int length = (int)table[2 * symbol + 1];
            s_symbolsByCode[s_firstSymbol[length] + (int)(code - s_firstCode[length])] = (ushort)symbol;
            if (length <= FastBits)
            {
                int shift = FastBits - length;
                int start = (int)(code << shift);
                for (int i = 0; i < 1 << shift; i++)
                {
                    s_fast[start + i] = (ushort)(symbol | (length << 9));
                }
            }
        }
    }

    /// <summary>The code of <paramref name="symbol"/> (0-255, or 256 for EOS), right-aligned.</summary>
    public static uint GetCode(int symbol) => HPackHuffmanCodes.Table[2 * symbol];

    /// <summary>The length in bits of the code of <paramref name="symbol"/> (0-255, or 256 for EOS).</summary>
    public static int GetCodeLength(int symbol) => (int)HPackHuffmanCodes.Table[2 * symbol + 1];

    /// <summary>How many octets the Huffman encoding of <paramref name="source"/> takes, padding included.</summary>
    public static int GetEncodedLength(ReadOnlySpan<byte> source)
    {
        ReadOnlySpan<uint> table = HPackHuffmanCodes.Table;
        long bits = 0;
        foreach (byte b in source)
        {
            bits += table[2 * b + 1];
        }

        return (int)((bits + 7) >> 3);
    }

    // RFC 7541 section 5.2: the codes of the octets, most significant bit first, then the most significant bits of
    // EOS (all 1s) up to the next octet boundary.

    /// <summary>Huffman-encodes <paramref name="source"/> into <paramref name="destination"/>.</summary>
    /// <param name="source">The octets to encode.</param>
    /// <param name="destination">Where to write.</param>
    /// <param name="bytesWritten">Octets written; 0 when this returns false.</param>
    /// <returns>False when <paramref name="destination"/> is too short (its content is then unspecified).</returns>
    public static bool TryEncode(ReadOnlySpan<byte> source, Span<byte> destination, out int bytesWritten)
    {
        ReadOnlySpan<uint> table = HPackHuffmanCodes.Table;
        ulong pending = 0;
        int pendingBits = 0;
        int written = 0;
        foreach (byte b in source)
        {
            int length = (int)table[2 * b + 1];

            // Bits above pendingBits are already written; they shift out of the top and are never read again.
            pending = (pending << length) | table[2 * b];
            pendingBits += length;
            while (pendingBits >= 8)
            {
                if ((uint)written >= (uint)destination.Length)
                {
                    bytesWritten = 0;
                    return false;
                }

                pendingBits -= 8;
                destination[written++] = (byte)(pending >> pendingBits);
            }
        }

        if (pendingBits > 0)
        {
            if ((uint)written >= (uint)destination.Length)
            {
                bytesWritten = 0;
                return false;
            }

            destination[written++] = (byte)((pending << (8 - pendingBits)) | (0xFFu >> pendingBits));
        }

        bytesWritten = written;
        return true;
    }

    /// <summary>Decodes a Huffman-encoded string literal.</summary>
    /// <param name="source">The encoded octets of one whole string.</param>
    /// <param name="destination">Where to write the decoded octets.</param>
    /// <param name="bytesWritten">Octets written; 0 when this returns false.</param>
    /// <returns>False when <paramref name="destination"/> is too short.</returns>
    /// <exception cref="HPackDecodingException">
    /// <see cref="HPackError.HuffmanPaddingTooLong"/>, <see cref="HPackError.HuffmanInvalidPadding"/> or
    /// <see cref="HPackError.HuffmanEos"/>.
    /// </exception>
    public static bool TryDecode(ReadOnlySpan<byte> source, Span<byte> destination, out int bytesWritten)
    {
        // Bits waiting to be decoded, most significant first, aligned to bit 63.
        ulong pending = 0;
        int pendingBits = 0;
        int read = 0;
        int written = 0;
        while (true)
        {
            while (pendingBits <= 56 && read < source.Length)
            {
                pending |= (ulong)source[read++] << (56 - pendingBits);
                pendingBits += 8;
            }

            if (pendingBits == 0)
            {
                break;
            }

            // The refill leaves fewer than 30 bits only at the end of the string. Filling the missing bits with
            // 1s (what valid padding is made of) lets one lookup tell a last short code from padding: a code
            // longer than the bits left means those bits were padding.
            uint window = (uint)(pending >> (64 - MaxCodeLength));
            if (pendingBits < MaxCodeLength)
            {
                window |= (1u << (MaxCodeLength - pendingBits)) - 1;
            }

            int symbol;
            int length;
            int fast = s_fast[window >> (MaxCodeLength - FastBits)];
            if (fast != 0)
            {
                symbol = fast & 0x1FF;
                length = fast >> 9;
            }
            else
            {
                symbol = DecodeLongCode(window, out length);
            }

            if (length > pendingBits)
            {
                CheckPadding(pending, pendingBits);
                break;
            }

            if (symbol == EosSymbol)
            {
                ThrowHelper.ThrowDecoding(HPackError.HuffmanEos);
            }

            if ((uint)written >= (uint)destination.Length)
            {
                bytesWritten = 0;
                return false;
            }

            destination[written++] = (byte)symbol;
            pending <<= length;
            pendingBits -= length;
        }

        bytesWritten = written;
        return true;
    }

    private static int DecodeLongCode(uint window, out int length)
    {
        // Canonical decoding: the first length at which the window's prefix falls inside that length's range
        // of codes. The code is complete (every 30-bit window starts with some code), so the loop ends.
        for (length = FastBits + 1; length < MaxCodeLength; length++)
        {
            uint offset = (window >> (MaxCodeLength - length)) - s_firstCode[length];
            if (offset < (uint)s_codeCount[length])
            {
                return s_symbolsByCode[s_firstSymbol[length] + (int)offset];
            }
        }

        length = MaxCodeLength;
        return s_symbolsByCode[s_firstSymbol[MaxCodeLength] + (int)(window - s_firstCode[MaxCodeLength])];
    }

    private static void CheckPadding(ulong pending, int pendingBits)
    {
        if (pendingBits > 7)
        {
            ThrowHelper.ThrowDecoding(HPackError.HuffmanPaddingTooLong);
        }

        ulong mask = ~0UL << (64 - pendingBits);
        if ((pending & mask) != mask)
        {
            ThrowHelper.ThrowDecoding(HPackError.HuffmanInvalidPadding);
        }
    }
}
