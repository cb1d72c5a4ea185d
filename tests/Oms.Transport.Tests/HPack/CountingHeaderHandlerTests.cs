namespace Oms.Transport.Tests.HPack;

public class CountingHeaderHandlerTests
{
    [Fact]
    public void OnHeader_TwoFields_CountsFieldsAndOctets()
    {
        // Arrange
        var handler = new CountingHeaderHandler();

        // Act
        handler.OnHeader("ab"u8, "cde"u8);
        handler.OnHeader("f"u8, []);

        // Assert
        Assert.Equal(2, handler.Count);
        Assert.Equal(6, handler.Octets);
    }
}
