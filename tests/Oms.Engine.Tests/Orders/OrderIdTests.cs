using System.Text;
using Oms.Engine.Orders;

namespace Oms.Engine.Tests.Orders;

public sealed class OrderIdTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("a18f1c2b3d4U1234567890abcdefghi")]
    [InlineData("a18f1c2b3d4eU1234567890abcdefghi")]
    public void TryFromAscii_IdTheProfilesAccept_KeepsEveryByteAndTheLength(string text)
    {
        var made = OrderId.TryFromAscii(text, out var id);

        Assert.True(made);
        Assert.Equal(text.Length, id.Length);
        Assert.Equal(text, Encoding.ASCII.GetString(id.Span));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a18f1c2b3d4eU1234567890abcdefghij")]
    [InlineData("a18f1c2b3d4eU12345é")]
    public void TryFromAscii_EmptyTooLongOrNotAscii_IsRefused(string text)
    {
        Assert.False(OrderId.TryFromAscii(text, out var id));
        Assert.Equal(0, id.Length);
    }

    [Fact]
    public void Copy_IsAValue_ChangingTheOriginalLeavesTheCopy()
    {
        var first = OrderId.FromAscii("a18f1c2b3d4eU1234567890abcdefghi"u8);
        var copy = first;

        first = OrderId.FromAscii("b"u8);

        Assert.Equal("a18f1c2b3d4eU1234567890abcdefghi", Encoding.ASCII.GetString(copy.Span));
        Assert.Equal("b", Encoding.ASCII.GetString(first.Span));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(33)]
    public void FromAscii_LengthOutOfRange_Throws(int length)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OrderId.FromAscii(new byte[length]));
    }

    [Fact]
    public void MaxLength_IsTheOneDeclaration_TheTableAndItsKeyUseIt()
    {
        Assert.Equal(OrderId.MaxLength, CancelStateTable.MaxOrderIdLength);
        Assert.Equal(OrderId.MaxLength, OrderIdKey.MaxLength);
    }
}
