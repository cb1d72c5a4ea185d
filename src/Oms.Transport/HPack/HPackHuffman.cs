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

    // Canonical-code decoding state, built once from s_codeTable: for each code length, the numerically
    // smallest code of that length, how many codes have it, and where its symbols start in s_symbolsByCode.
    private static readonly uint[] s_firstCode = new uint[MaxCodeLength + 1];
    private static readonly int[] s_codeCount = new int[MaxCodeLength + 1];
    private static readonly int[] s_firstSymbol = new int[MaxCodeLength + 1];
    private static readonly ushort[] s_symbolsByCode = new ushort[EosSymbol + 1];

    // One lookup resolves every code of up to 8 bits (all of the common header characters): indexed by the
    // next 8 bits, it holds symbol | length << 9, or 0 when the code is longer.
    private static readonly ushort[] s_fast = new ushort[1 << FastBits];

#pragma warning disable CA1810 // The decoding tables are derived from s_codeTable in dependency order; field initialisers cannot express that.
    static HPackHuffman()
#pragma warning restore CA1810
    {
        ReadOnlySpan<uint> table = s_codeTable;
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
    public static uint GetCode(int symbol) => s_codeTable[2 * symbol];

    /// <summary>The length in bits of the code of <paramref name="symbol"/> (0-255, or 256 for EOS).</summary>
    public static int GetCodeLength(int symbol) => (int)s_codeTable[2 * symbol + 1];

    /// <summary>How many octets the Huffman encoding of <paramref name="source"/> takes, padding included.</summary>
    public static int GetEncodedLength(ReadOnlySpan<byte> source)
    {
        ReadOnlySpan<uint> table = s_codeTable;
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
        ReadOnlySpan<uint> table = s_codeTable;
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

    // RFC 7541 Appendix B, one row per symbol: the code right-aligned ("code as hex aligned to LSB"), then
    // its length in bits ("len in bits"). Symbol 256 is EOS.
    private static readonly uint[] s_codeTable =
    [
        0x00001ff8, 13, // (  0)
        0x007fffd8, 23, // (  1)
        0x0fffffe2, 28, // (  2)
        0x0fffffe3, 28, // (  3)
        0x0fffffe4, 28, // (  4)
        0x0fffffe5, 28, // (  5)
        0x0fffffe6, 28, // (  6)
        0x0fffffe7, 28, // (  7)
        0x0fffffe8, 28, // (  8)
        0x00ffffea, 24, // (  9)
        0x3ffffffc, 30, // ( 10)
        0x0fffffe9, 28, // ( 11)
        0x0fffffea, 28, // ( 12)
        0x3ffffffd, 30, // ( 13)
        0x0fffffeb, 28, // ( 14)
        0x0fffffec, 28, // ( 15)
        0x0fffffed, 28, // ( 16)
        0x0fffffee, 28, // ( 17)
        0x0fffffef, 28, // ( 18)
        0x0ffffff0, 28, // ( 19)
        0x0ffffff1, 28, // ( 20)
        0x0ffffff2, 28, // ( 21)
        0x3ffffffe, 30, // ( 22)
        0x0ffffff3, 28, // ( 23)
        0x0ffffff4, 28, // ( 24)
        0x0ffffff5, 28, // ( 25)
        0x0ffffff6, 28, // ( 26)
        0x0ffffff7, 28, // ( 27)
        0x0ffffff8, 28, // ( 28)
        0x0ffffff9, 28, // ( 29)
        0x0ffffffa, 28, // ( 30)
        0x0ffffffb, 28, // ( 31)
        0x00000014,  6, // ( 32) ' '
        0x000003f8, 10, // ( 33) '!'
        0x000003f9, 10, // ( 34) '"'
        0x00000ffa, 12, // ( 35) '#'
        0x00001ff9, 13, // ( 36) '$'
        0x00000015,  6, // ( 37) '%'
        0x000000f8,  8, // ( 38) '&'
        0x000007fa, 11, // ( 39) '''
        0x000003fa, 10, // ( 40) '('
        0x000003fb, 10, // ( 41) ')'
        0x000000f9,  8, // ( 42) '*'
        0x000007fb, 11, // ( 43) '+'
        0x000000fa,  8, // ( 44) ','
        0x00000016,  6, // ( 45) '-'
        0x00000017,  6, // ( 46) '.'
        0x00000018,  6, // ( 47) '/'
        0x00000000,  5, // ( 48) '0'
        0x00000001,  5, // ( 49) '1'
        0x00000002,  5, // ( 50) '2'
        0x00000019,  6, // ( 51) '3'
        0x0000001a,  6, // ( 52) '4'
        0x0000001b,  6, // ( 53) '5'
        0x0000001c,  6, // ( 54) '6'
        0x0000001d,  6, // ( 55) '7'
        0x0000001e,  6, // ( 56) '8'
        0x0000001f,  6, // ( 57) '9'
        0x0000005c,  7, // ( 58) ':'
        0x000000fb,  8, // ( 59) ';'
        0x00007ffc, 15, // ( 60) '<'
        0x00000020,  6, // ( 61) '='
        0x00000ffb, 12, // ( 62) '>'
        0x000003fc, 10, // ( 63) '?'
        0x00001ffa, 13, // ( 64) '@'
        0x00000021,  6, // ( 65) 'A'
        0x0000005d,  7, // ( 66) 'B'
        0x0000005e,  7, // ( 67) 'C'
        0x0000005f,  7, // ( 68) 'D'
        0x00000060,  7, // ( 69) 'E'
        0x00000061,  7, // ( 70) 'F'
        0x00000062,  7, // ( 71) 'G'
        0x00000063,  7, // ( 72) 'H'
        0x00000064,  7, // ( 73) 'I'
        0x00000065,  7, // ( 74) 'J'
        0x00000066,  7, // ( 75) 'K'
        0x00000067,  7, // ( 76) 'L'
        0x00000068,  7, // ( 77) 'M'
        0x00000069,  7, // ( 78) 'N'
        0x0000006a,  7, // ( 79) 'O'
        0x0000006b,  7, // ( 80) 'P'
        0x0000006c,  7, // ( 81) 'Q'
        0x0000006d,  7, // ( 82) 'R'
        0x0000006e,  7, // ( 83) 'S'
        0x0000006f,  7, // ( 84) 'T'
        0x00000070,  7, // ( 85) 'U'
        0x00000071,  7, // ( 86) 'V'
        0x00000072,  7, // ( 87) 'W'
        0x000000fc,  8, // ( 88) 'X'
        0x00000073,  7, // ( 89) 'Y'
        0x000000fd,  8, // ( 90) 'Z'
        0x00001ffb, 13, // ( 91) '['
        0x0007fff0, 19, // ( 92) '\'
        0x00001ffc, 13, // ( 93) ']'
        0x00003ffc, 14, // ( 94) '^'
        0x00000022,  6, // ( 95) '_'
        0x00007ffd, 15, // ( 96) '`'
        0x00000003,  5, // ( 97) 'a'
        0x00000023,  6, // ( 98) 'b'
        0x00000004,  5, // ( 99) 'c'
        0x00000024,  6, // (100) 'd'
        0x00000005,  5, // (101) 'e'
        0x00000025,  6, // (102) 'f'
        0x00000026,  6, // (103) 'g'
        0x00000027,  6, // (104) 'h'
        0x00000006,  5, // (105) 'i'
        0x00000074,  7, // (106) 'j'
        0x00000075,  7, // (107) 'k'
        0x00000028,  6, // (108) 'l'
        0x00000029,  6, // (109) 'm'
        0x0000002a,  6, // (110) 'n'
        0x00000007,  5, // (111) 'o'
        0x0000002b,  6, // (112) 'p'
        0x00000076,  7, // (113) 'q'
        0x0000002c,  6, // (114) 'r'
        0x00000008,  5, // (115) 's'
        0x00000009,  5, // (116) 't'
        0x0000002d,  6, // (117) 'u'
        0x00000077,  7, // (118) 'v'
        0x00000078,  7, // (119) 'w'
        0x00000079,  7, // (120) 'x'
        0x0000007a,  7, // (121) 'y'
        0x0000007b,  7, // (122) 'z'
        0x00007ffe, 15, // (123) '{'
        0x000007fc, 11, // (124) '|'
        0x00003ffd, 14, // (125) '}'
        0x00001ffd, 13, // (126) '~'
        0x0ffffffc, 28, // (127)
        0x000fffe6, 20, // (128)
        0x003fffd2, 22, // (129)
        0x000fffe7, 20, // (130)
        0x000fffe8, 20, // (131)
        0x003fffd3, 22, // (132)
        0x003fffd4, 22, // (133)
        0x003fffd5, 22, // (134)
        0x007fffd9, 23, // (135)
        0x003fffd6, 22, // (136)
        0x007fffda, 23, // (137)
        0x007fffdb, 23, // (138)
        0x007fffdc, 23, // (139)
        0x007fffdd, 23, // (140)
        0x007fffde, 23, // (141)
        0x00ffffeb, 24, // (142)
        0x007fffdf, 23, // (143)
        0x00ffffec, 24, // (144)
        0x00ffffed, 24, // (145)
        0x003fffd7, 22, // (146)
        0x007fffe0, 23, // (147)
        0x00ffffee, 24, // (148)
        0x007fffe1, 23, // (149)
        0x007fffe2, 23, // (150)
        0x007fffe3, 23, // (151)
        0x007fffe4, 23, // (152)
        0x001fffdc, 21, // (153)
        0x003fffd8, 22, // (154)
        0x007fffe5, 23, // (155)
        0x003fffd9, 22, // (156)
        0x007fffe6, 23, // (157)
        0x007fffe7, 23, // (158)
        0x00ffffef, 24, // (159)
        0x003fffda, 22, // (160)
        0x001fffdd, 21, // (161)
        0x000fffe9, 20, // (162)
        0x003fffdb, 22, // (163)
        0x003fffdc, 22, // (164)
        0x007fffe8, 23, // (165)
        0x007fffe9, 23, // (166)
        0x001fffde, 21, // (167)
        0x007fffea, 23, // (168)
        0x003fffdd, 22, // (169)
        0x003fffde, 22, // (170)
        0x00fffff0, 24, // (171)
        0x001fffdf, 21, // (172)
        0x003fffdf, 22, // (173)
        0x007fffeb, 23, // (174)
        0x007fffec, 23, // (175)
        0x001fffe0, 21, // (176)
        0x001fffe1, 21, // (177)
        0x003fffe0, 22, // (178)
        0x001fffe2, 21, // (179)
        0x007fffed, 23, // (180)
        0x003fffe1, 22, // (181)
        0x007fffee, 23, // (182)
        0x007fffef, 23, // (183)
        0x000fffea, 20, // (184)
        0x003fffe2, 22, // (185)
        0x003fffe3, 22, // (186)
        0x003fffe4, 22, // (187)
        0x007ffff0, 23, // (188)
        0x003fffe5, 22, // (189)
        0x003fffe6, 22, // (190)
        0x007ffff1, 23, // (191)
        0x03ffffe0, 26, // (192)
        0x03ffffe1, 26, // (193)
        0x000fffeb, 20, // (194)
        0x0007fff1, 19, // (195)
        0x003fffe7, 22, // (196)
        0x007ffff2, 23, // (197)
        0x003fffe8, 22, // (198)
        0x01ffffec, 25, // (199)
        0x03ffffe2, 26, // (200)
        0x03ffffe3, 26, // (201)
        0x03ffffe4, 26, // (202)
        0x07ffffde, 27, // (203)
        0x07ffffdf, 27, // (204)
        0x03ffffe5, 26, // (205)
        0x00fffff1, 24, // (206)
        0x01ffffed, 25, // (207)
        0x0007fff2, 19, // (208)
        0x001fffe3, 21, // (209)
        0x03ffffe6, 26, // (210)
        0x07ffffe0, 27, // (211)
        0x07ffffe1, 27, // (212)
        0x03ffffe7, 26, // (213)
        0x07ffffe2, 27, // (214)
        0x00fffff2, 24, // (215)
        0x001fffe4, 21, // (216)
        0x001fffe5, 21, // (217)
        0x03ffffe8, 26, // (218)
        0x03ffffe9, 26, // (219)
        0x0ffffffd, 28, // (220)
        0x07ffffe3, 27, // (221)
        0x07ffffe4, 27, // (222)
        0x07ffffe5, 27, // (223)
        0x000fffec, 20, // (224)
        0x00fffff3, 24, // (225)
        0x000fffed, 20, // (226)
        0x001fffe6, 21, // (227)
        0x003fffe9, 22, // (228)
        0x001fffe7, 21, // (229)
        0x001fffe8, 21, // (230)
        0x007ffff3, 23, // (231)
        0x003fffea, 22, // (232)
        0x003fffeb, 22, // (233)
        0x01ffffee, 25, // (234)
        0x01ffffef, 25, // (235)
        0x00fffff4, 24, // (236)
        0x00fffff5, 24, // (237)
        0x03ffffea, 26, // (238)
        0x007ffff4, 23, // (239)
        0x03ffffeb, 26, // (240)
        0x07ffffe6, 27, // (241)
        0x03ffffec, 26, // (242)
        0x03ffffed, 26, // (243)
        0x07ffffe7, 27, // (244)
        0x07ffffe8, 27, // (245)
        0x07ffffe9, 27, // (246)
        0x07ffffea, 27, // (247)
        0x07ffffeb, 27, // (248)
        0x0ffffffe, 28, // (249)
        0x07ffffec, 27, // (250)
        0x07ffffed, 27, // (251)
        0x07ffffee, 27, // (252)
        0x07ffffef, 27, // (253)
        0x07fffff0, 27, // (254)
        0x03ffffee, 26, // (255)
        0x3fffffff, 30, // (256) EOS
    ];
}
