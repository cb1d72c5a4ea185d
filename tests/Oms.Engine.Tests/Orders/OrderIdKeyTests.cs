namespace Oms.Engine.Tests.Orders;

public class OrderIdKeyTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("a18f2c3d4e5fU1234567890000000001")]
    [InlineData("a8f2c3d4e5fU1234567890000000001")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")]
    public void TryFromAscii_AsciiText_EqualsTheKeyOfItsBytes(string text)
    {
        // Arrange
        OrderIdKey fromBytes = OrderIdKey.FromBytes(Encoding.ASCII.GetBytes(text));

        // Act
        bool ok = OrderIdKey.TryFromAscii(text, out OrderIdKey fromChars);

        // Assert
        Assert.True(ok);
        Assert.True(fromChars.SameId(in fromBytes));
        Assert.Equal(fromBytes.Hash, fromChars.Hash);
        Assert.Equal(text.Length, fromChars.Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a18f2c3d4e5fU12345678900000000012")]
    [InlineData("a18f2c3d4e5fU123456789000000000\u00e9")]
    public void TryFromAscii_EmptyTooLongOrNotAscii_Fails(string text)
    {
        // Arrange / Act
        bool ok = OrderIdKey.TryFromAscii(text, out _);

        // Assert
        Assert.False(ok);
    }

    [Fact]
    public void SameId_IdAndItsZeroPaddedPrefix_Differ()
    {
        // Arrange: a 31-byte id and the same bytes followed by a zero byte fill the same lanes.
        byte[] shorter = TestOrderIds.OlderBytes(1);
        byte[] padded = [.. shorter, 0];

        // Act
        OrderIdKey a = OrderIdKey.FromBytes(shorter);
        OrderIdKey b = OrderIdKey.FromBytes(padded);

        // Assert
        Assert.False(a.SameId(in b));
    }

    [Fact]
    public void Hash_ExchangeShapedIds_SpreadOverHomeSlotsLikeRandom()
    {
        // Arrange: 65,536 ids into 131,072 slots; uniform hashing fills 1 - e^-0.5 ≈ 39 % of the slots.
        const int ids = 65_536;
        const int slots = 131_072;
        var homes = new HashSet<uint>();

        // Act
        for (int n = 0; n < ids; n++)
        {
            homes.Add(OrderIdKey.FromBytes(TestOrderIds.Bytes(n)).Hash & (slots - 1));
        }

        // Assert: within a few percent of the uniform expectation (a weak hash on these ids collapses far lower).
        double expected = slots * (1 - Math.Exp(-(double)ids / slots));
        Assert.InRange(homes.Count, expected * 0.97, expected * 1.03);
    }
}
