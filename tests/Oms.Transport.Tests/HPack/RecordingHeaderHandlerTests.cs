namespace Oms.Transport.Tests.HPack;

public class RecordingHeaderHandlerTests
{
    [Fact]
    public void OnHeader_AnyOctets_RecordedInOrderAndUnchanged()
    {
        // Arrange
        var handler = new RecordingHeaderHandler();
        byte[] binary = [0x00, 0x7F, 0x80, 0xFF];

        // Act
        handler.OnHeader("a"u8, "1"u8);
        handler.OnHeader(binary, []);

        // Assert
        Assert.Equal([("a", "1"), ("\u0000\u007F\u0080\u00FF", "")], handler.Headers);
        Assert.Equal(binary, Encoding.Latin1.GetBytes(handler.Headers[1].Name));
    }
}
