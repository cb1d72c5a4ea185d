namespace Oms.Transport.Tests.HPack;

public class HPackHuffmanTests
{
    /// <summary>Every Huffman string of RFC 7541 C.4 and C.6 but one (the second date, encoded only), with its octets.</summary>
    public static TheoryData<string, string> RfcStrings => new()
    {
        { "www.example.com", "f1e3c2e5f23a6ba0ab90f4ff" },
        { "no-cache", "a8eb10649cbf" },
        { "custom-key", "25a849e95ba97d7f" },
        { "custom-value", "25a849e95bb8e8b4bf" },
        { "302", "6402" },
        { "307", "640eff" },
        { "private", "aec3771a4b" },
        { "Mon, 21 Oct 2013 20:13:21 GMT", "d07abe941054d444a8200595040b8166e082a62d1bff" },
        { "https://www.example.com", "9d29ad171863c78f0b97c8e9ae82ae43d3" },
        { "gzip", "9bd9ab" },
        { "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
          "94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007" },
    };

    [Theory]
    [MemberData(nameof(RfcStrings))]
    [InlineData("Mon, 21 Oct 2013 20:13:22 GMT", "d07abe941054d444a8200595040b8166e084a62d1bff")]
    public void TryEncode_RfcStrings_WritesRfcOctets(string text, string expectedHex)
    {
        // Arrange
        byte[] source = Encoding.ASCII.GetBytes(text);
        byte[] destination = new byte[128];

        // Act
        bool written = HPackHuffman.TryEncode(source, destination, out int bytesWritten);

        // Assert
        Assert.True(written);
        Assert.Equal(expectedHex, HPackTestHex.Format(destination.AsSpan(0, bytesWritten)));
        Assert.Equal(bytesWritten, HPackHuffman.GetEncodedLength(source));
    }

    [Theory]
    [MemberData(nameof(RfcStrings))]
    public void TryDecode_RfcOctets_ReturnsRfcStrings(string expected, string hex)
    {
        // Arrange
        byte[] destination = new byte[128];

        // Act
        bool decoded = HPackHuffman.TryDecode(HPackTestHex.Parse(hex), destination, out int bytesWritten);

        // Assert
        Assert.True(decoded);
        Assert.Equal(expected, Encoding.ASCII.GetString(destination, 0, bytesWritten));
    }

    // Rows of RFC 7541 Appendix B, checked by hand: code right-aligned, length in bits.
    [Theory]
    [InlineData(0, 0x1ff8u, 13)]
    [InlineData(1, 0x7fffd8u, 23)]
    [InlineData(10, 0x3ffffffcu, 30)]
    [InlineData(32, 0x14u, 6)]
    [InlineData(47, 0x18u, 6)]
    [InlineData(48, 0x0u, 5)]
    [InlineData(65, 0x21u, 6)]
    [InlineData(92, 0x7fff0u, 19)]
    [InlineData(97, 0x3u, 5)]
    [InlineData(122, 0x7bu, 7)]
    [InlineData(127, 0xffffffcu, 28)]
    [InlineData(128, 0xfffe6u, 20)]
    [InlineData(199, 0x1ffffecu, 25)]
    [InlineData(255, 0x3ffffeeu, 26)]
    [InlineData(256, 0x3fffffffu, 30)]
    public void GetCode_AppendixBRows_MatchRfc(int symbol, uint code, int length)
    {
        // Act / Assert
        Assert.Equal(code, HPackHuffman.GetCode(symbol));
        Assert.Equal(length, HPackHuffman.GetCodeLength(symbol));
    }

    [Fact]
    public void CodeTable_IsCanonicalAndComplete()
    {
        // Arrange: RFC 7541 Appendix B is a canonical Huffman code: sorted by (length, symbol), each code is the
        // previous one plus one, shifted left by the growth in length. Rebuilding it from the lengths alone
        // catches any mistyped code; the Kraft sum being exactly 1 catches a mistyped length.
        int[] symbols = Enumerable.Range(0, 257)
            .OrderBy(HPackHuffman.GetCodeLength)
            .ThenBy(symbol => symbol)
            .ToArray();
        ulong kraft = 0;
        uint code = 0;
        int previousLength = HPackHuffman.GetCodeLength(symbols[0]);

        // Act / Assert
        for (int i = 0; i < symbols.Length; i++)
        {
            int length = HPackHuffman.GetCodeLength(symbols[i]);
            if (i > 0)
            {
                code = (code + 1) << (length - previousLength);
                previousLength = length;
            }

            Assert.Equal(code, HPackHuffman.GetCode(symbols[i]));
            kraft += 1UL << (HPackHuffman.MaxCodeLength - length);
        }

        Assert.Equal(1UL << HPackHuffman.MaxCodeLength, kraft);
    }

    [Fact]
    public void TryEncode_ThenDecode_EverySingleOctetRoundTrips()
    {
        // Arrange
        byte[] encoded = new byte[8];
        byte[] decoded = new byte[8];

        for (int symbol = 0; symbol < 256; symbol++)
        {
            // Act
            Assert.True(HPackHuffman.TryEncode([(byte)symbol], encoded, out int encodedLength));
            Assert.True(HPackHuffman.TryDecode(encoded.AsSpan(0, encodedLength), decoded, out int decodedLength));

            // Assert
            Assert.Equal(1, decodedLength);
            Assert.Equal((byte)symbol, decoded[0]);
            Assert.Equal((HPackHuffman.GetCodeLength(symbol) + 7) / 8, encodedLength);
        }
    }

    [Fact]
    public void TryEncode_ThenDecode_RandomOctetsRoundTrip()
    {
        // Arrange
        var random = new Random(7541);
        byte[] encoded = new byte[1024];
        byte[] decoded = new byte[256];

        for (int iteration = 0; iteration < 2000; iteration++)
        {
            byte[] source = new byte[random.Next(0, 200)];
            random.NextBytes(source);
            if (iteration % 2 == 0)
            {
                // Half the runs use header-like text, where the short codes and the fast table matter.
                for (int i = 0; i < source.Length; i++)
                {
                    source[i] = (byte)random.Next(0x20, 0x7F);
                }
            }

            // Act
            Assert.True(HPackHuffman.TryEncode(source, encoded, out int encodedLength));
            Assert.True(HPackHuffman.TryDecode(encoded.AsSpan(0, encodedLength), decoded, out int decodedLength));

            // Assert
            Assert.Equal(HPackHuffman.GetEncodedLength(source), encodedLength);
            Assert.Equal(source, decoded.AsSpan(0, decodedLength).ToArray());
        }
    }

    [Theory]
    [InlineData("1fff", HPackError.HuffmanPaddingTooLong)] // 'a' then 11 one-bits
    [InlineData("ff", HPackError.HuffmanPaddingTooLong)] // 8 one-bits and nothing else
    [InlineData("ffff", HPackError.HuffmanPaddingTooLong)] // 16 one-bits: a cut EOS
    [InlineData("18", HPackError.HuffmanInvalidPadding)] // 'a' then 000
    [InlineData("1e", HPackError.HuffmanInvalidPadding)] // 'a' then 110
    [InlineData("00", HPackError.HuffmanInvalidPadding)] // '0' then 000
    [InlineData("fe", HPackError.HuffmanPaddingTooLong)] // 8 bits that only start a 10-bit code
    [InlineData("ffffffff", HPackError.HuffmanEos)] // EOS then 2 padding bits
    [InlineData("1fffffffff", HPackError.HuffmanEos)] // 'a', EOS, padding
    [InlineData("fffffffc", HPackError.HuffmanEos)] // EOS then 00: the EOS is met first
    internal void TryDecode_InvalidInput_ThrowsPreciseError(string hex, HPackError expected)
    {
        // Arrange
        byte[] source = HPackTestHex.Parse(hex);
        byte[] destination = new byte[16];

        // Act
        var exception = Assert.Throws<HPackDecodingException>(() => HPackHuffman.TryDecode(source, destination, out _));

        // Assert
        Assert.Equal(expected, exception.Error);
    }

    [Fact]
    public void TryDecode_DestinationTooShort_ReturnsFalse()
    {
        // Arrange
        byte[] source = HPackTestHex.Parse("f1e3c2e5f23a6ba0ab90f4ff"); // www.example.com, 15 octets
        byte[] destination = new byte[14];

        // Act
        bool decoded = HPackHuffman.TryDecode(source, destination, out int bytesWritten);

        // Assert
        Assert.False(decoded);
        Assert.Equal(0, bytesWritten);
    }

    [Fact]
    public void TryEncode_DestinationTooShort_ReturnsFalse()
    {
        // Arrange
        byte[] source = Encoding.ASCII.GetBytes("www.example.com"); // 12 octets encoded

        for (int length = 0; length < 12; length++)
        {
            // Act
            bool written = HPackHuffman.TryEncode(source, new byte[length], out int bytesWritten);

            // Assert
            Assert.False(written);
            Assert.Equal(0, bytesWritten);
        }
    }

    [Fact]
    public void TryEncodeAndDecode_Empty_WriteNothing()
    {
        // Act
        bool encoded = HPackHuffman.TryEncode([], [], out int encodedLength);
        bool decoded = HPackHuffman.TryDecode([], [], out int decodedLength);

        // Assert
        Assert.True(encoded);
        Assert.True(decoded);
        Assert.Equal(0, encodedLength);
        Assert.Equal(0, decodedLength);
        Assert.Equal(0, HPackHuffman.GetEncodedLength([]));
    }
}
