namespace Oms.Transport.Tests.HPack;

public class HPackStaticTableTests
{
    // Spot checks against RFC 7541 Appendix A, Table 1: both ends, every entry with a value, and a few names.
    [Theory]
    [InlineData(1, ":authority", "")]
    [InlineData(2, ":method", "GET")]
    [InlineData(3, ":method", "POST")]
    [InlineData(4, ":path", "/")]
    [InlineData(5, ":path", "/index.html")]
    [InlineData(6, ":scheme", "http")]
    [InlineData(7, ":scheme", "https")]
    [InlineData(8, ":status", "200")]
    [InlineData(9, ":status", "204")]
    [InlineData(10, ":status", "206")]
    [InlineData(11, ":status", "304")]
    [InlineData(12, ":status", "400")]
    [InlineData(13, ":status", "404")]
    [InlineData(14, ":status", "500")]
    [InlineData(16, "accept-encoding", "gzip, deflate")]
    [InlineData(20, "access-control-allow-origin", "")]
    [InlineData(24, "cache-control", "")]
    [InlineData(28, "content-length", "")]
    [InlineData(31, "content-type", "")]
    [InlineData(33, "date", "")]
    [InlineData(46, "location", "")]
    [InlineData(55, "set-cookie", "")]
    [InlineData(58, "user-agent", "")]
    [InlineData(61, "www-authenticate", "")]
    public void GetNameAndValue_RfcEntries_MatchAppendixA(int index, string name, string value)
    {
        // Act
        string actualName = Encoding.ASCII.GetString(HPackStaticTable.GetName(index));
        string actualValue = Encoding.ASCII.GetString(HPackStaticTable.GetValue(index));

        // Assert
        Assert.Equal(name, actualName);
        Assert.Equal(value, actualValue);
    }

    [Fact]
    public void Count_Is61_AndEveryEntryIsLowercaseAscii()
    {
        // Act / Assert
        Assert.Equal(61, HPackStaticTable.Count);
        for (int index = 1; index <= HPackStaticTable.Count; index++)
        {
            ReadOnlySpan<byte> name = HPackStaticTable.GetName(index);
            Assert.False(name.IsEmpty);
            foreach (byte b in name)
            {
                Assert.False(b is >= (byte)'A' and <= (byte)'Z');
            }
        }
    }

    [Theory]
    [InlineData(":status", "200", 8, 8)]
    [InlineData(":status", "418", 0, 8)]
    [InlineData(":authority", "", 1, 1)]
    [InlineData(":authority", "example.com", 0, 1)]
    [InlineData(":path", "/index.html", 5, 4)]
    [InlineData("www-authenticate", "", 61, 61)]
    [InlineData("x-custom", "", 0, 0)]
    [InlineData("dat", "", 0, 0)]
    public void Find_NameAndValue_ReturnsFullMatchAndLowestNameIndex(string name, string value, int expectedIndex, int expectedNameIndex)
    {
        // Act
        int index = HPackStaticTable.Find(Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(value), out int nameIndex);

        // Assert
        Assert.Equal(expectedIndex, index);
        Assert.Equal(expectedNameIndex, nameIndex);
    }
}
