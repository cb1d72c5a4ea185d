namespace Oms.Transport.Tests.HPack;

public class HPackIntegerTests
{
    // RFC 7541 C.1.1, C.1.2, C.1.3 (the first octet's unused high bits written as 0).
    [Theory]
    [InlineData(10, 5, "0a")]
    [InlineData(1337, 5, "1f9a0a")]
    [InlineData(42, 8, "2a")]
    public void TryEncode_RfcC1Examples_WritesRfcOctets(int value, int prefixBits, string expectedHex)
    {
        // Arrange
        byte[] destination = new byte[8];

        // Act
        bool written = HPackInteger.TryEncode(value, prefixBits, 0x00, destination, out int bytesWritten);

        // Assert
        Assert.True(written);
        Assert.Equal(expectedHex, HPackTestHex.Format(destination.AsSpan(0, bytesWritten)));
        Assert.Equal(bytesWritten, HPackInteger.GetEncodedLength(value, prefixBits));
    }

    [Theory]
    [InlineData(10, 5, "0a")]
    [InlineData(1337, 5, "1f9a0a")]
    [InlineData(42, 8, "2a")]
    public void Decode_RfcC1Examples_ReturnsValue(int expected, int prefixBits, string hex)
    {
        // Arrange
        byte[] bytes = HPackTestHex.Parse(hex);
        var decoder = new HPackIntegerDecoder();

        // Act
        int value = DecodeByteAtATime(ref decoder, bytes, prefixBits, out int consumed);

        // Assert
        Assert.Equal(expected, value);
        Assert.Equal(bytes.Length, consumed);
    }

    [Fact]
    public void TryEncode_FirstByteHighBits_ArePreservedAndLowBitsReplaced()
    {
        // Arrange: 0xFF in the first octet's prefix bits must not leak into the value.
        byte[] destination = [0xFF, 0xFF, 0xFF, 0xFF];

        // Act
        HPackInteger.TryEncode(10, 5, 0xFF, destination, out int small);
        byte first = destination[0];
        HPackInteger.TryEncode(1337, 5, 0xA0, destination, out int large);

        // Assert
        Assert.Equal(1, small);
        Assert.Equal(0xEA, first);
        Assert.Equal(3, large);
        Assert.Equal("bf9a0a", HPackTestHex.Format(destination.AsSpan(0, 3)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void TryEncode_ThenDecode_RoundTripsBoundaryValues(int prefixBits)
    {
        // Arrange
        int max = (1 << prefixBits) - 1;
        int[] values = [0, 1, max - 1, max, max + 1, max + 127, max + 128, 16_383, 16_384, 1 << 21, (1 << 28) - 1, 1 << 28, int.MaxValue - 1, int.MaxValue];
        byte[] destination = new byte[8];

        foreach (int value in values.Where(v => v >= 0))
        {
            // Act
            Assert.True(HPackInteger.TryEncode(value, prefixBits, 0x00, destination, out int written));
            var decoder = new HPackIntegerDecoder();
            int decoded = DecodeByteAtATime(ref decoder, destination.AsSpan(0, written), prefixBits, out int consumed);

            // Assert
            Assert.Equal(value, decoded);
            Assert.Equal(written, consumed);
            Assert.Equal(written, HPackInteger.GetEncodedLength(value, prefixBits));
        }
    }

    [Fact]
    public void TryEncode_DestinationTooShort_ReturnsFalse()
    {
        // Arrange
        byte[] destination = new byte[2];

        // Act
        bool tooShortForLarge = HPackInteger.TryEncode(1337, 5, 0x00, destination, out int largeWritten);
        bool emptyForSmall = HPackInteger.TryEncode(1, 5, 0x00, [], out int smallWritten);

        // Assert
        Assert.False(tooShortForLarge);
        Assert.Equal(0, largeWritten);
        Assert.False(emptyForSmall);
        Assert.Equal(0, smallWritten);
    }

    [Fact]
    public void TryEncode_NegativeValue_Throws()
    {
        // Act / Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => HPackInteger.TryEncode(-1, 5, 0x00, new byte[8], out _));
    }

    [Theory]
    [InlineData("7fffffffff0f")] // 127 + (2^28 - 1) + 15 * 2^28: above int.MaxValue
    [InlineData("7fffffffff07")] // 127 + (2^28 - 1) + 7 * 2^28 = 2^31 + 126
    [InlineData("7f808080808000")] // six continuation octets, all zero-valued
    [InlineData("7f8080808080808001")]
    public void TryDecode_TooLargeOrTooLong_ThrowsIntegerOverflow(string hex)
    {
        // Arrange
        byte[] bytes = HPackTestHex.Parse(hex);

        // Act
        var exception = Assert.Throws<HPackDecodingException>(() =>
        {
            var decoder = new HPackIntegerDecoder();
            DecodeByteAtATime(ref decoder, bytes, 7, out _);
        });

        // Assert
        Assert.Equal(HPackError.IntegerOverflow, exception.Error);
    }

    [Fact]
    public void TryDecode_MaxValueWithFiveContinuationOctets_Succeeds()
    {
        // Arrange: int.MaxValue - 127 needs 31 bits, i.e. five 7-bit groups.
        byte[] bytes = HPackTestHex.Parse("7f80ffffff07");
        var decoder = new HPackIntegerDecoder();

        // Act
        int value = DecodeByteAtATime(ref decoder, bytes, 7, out _);

        // Assert
        Assert.Equal(int.MaxValue, value);
    }

    private static int DecodeByteAtATime(ref HPackIntegerDecoder decoder, ReadOnlySpan<byte> bytes, int prefixBits, out int consumed)
    {
        consumed = 1;
        if (decoder.BeginTryDecode(bytes[0], prefixBits, out int value))
        {
            return value;
        }

        while (consumed < bytes.Length)
        {
            if (decoder.TryDecode(bytes[consumed++], out value))
            {
                return value;
            }
        }

        throw new InvalidOperationException("Integer incomplete.");
    }
}
