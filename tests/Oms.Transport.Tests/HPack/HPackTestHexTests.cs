namespace Oms.Transport.Tests.HPack;

public class HPackTestHexTests
{
    [Fact]
    public void Parse_RfcDumpWithSpaces_ReturnsOctets()
    {
        // Act
        byte[] bytes = HPackTestHex.Parse("8286 8441 0f");

        // Assert
        Assert.Equal([0x82, 0x86, 0x84, 0x41, 0x0F], bytes);
    }

    [Fact]
    public void Format_Octets_ReturnsLowercaseHex()
    {
        // Act
        string hex = HPackTestHex.Format([0xAB, 0x01]);

        // Assert
        Assert.Equal("ab01", hex);
    }
}
