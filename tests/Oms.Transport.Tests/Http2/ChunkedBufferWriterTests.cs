namespace Oms.Transport.Tests.Http2;

public sealed class ChunkedBufferWriterTests
{
    [Fact]
    public void GetSpan_LargeHint_NeverExceedsMaxSpan()
    {
        // Arrange
        var writer = new ChunkedBufferWriter(4);

        // Act
        int length = writer.GetSpan(100).Length;

        // Assert
        Assert.Equal(4, length);
    }

    [Fact]
    public void Write_AcrossSeveralSpans_KeepsOrderAndCountsCalls()
    {
        // Arrange
        var writer = new ChunkedBufferWriter(4);
        byte[] data = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

        // Act
        writer.Write(data);

        // Assert
        Assert.Equal(data, writer.WrittenBytes);
        Assert.Equal(3, writer.AdvanceCalls);
    }

    [Fact]
    public void Advance_PastSpan_Throws()
    {
        // Arrange
        var writer = new ChunkedBufferWriter(4);
        writer.GetSpan();

        // Act + Assert
        Assert.Throws<InvalidOperationException>(() => writer.Advance(5));
    }
}
