using Oms.Venue.Streaming;

namespace Oms.Venue.Tests.Streaming;

public sealed class StreamRequestTests
{
    [Fact]
    public void TryRead_Sub_ReadsOpIdAndChannelSkippingOthers()
    {
        var read = StreamRequest.TryRead("{\"op\":\"sub\",\"extra\":{\"a\":[1,2]},\"id\":\"r1\",\"ch\":\"order:futures\"}"u8, out var request);

        Assert.True(read);
        Assert.Equal(new StreamRequest("sub", "r1", "order:futures"), request);
    }

    [Fact]
    public void TryRead_PingWithoutId_EmptyIdAndChannel()
    {
        Assert.True(StreamRequest.TryRead("{\"op\":\"ping\"}"u8, out var request));
        Assert.Equal(new StreamRequest("ping", "", ""), request);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("[1,2]")]
    [InlineData("{\"op\":\"sub\"")]
    [InlineData("{\"op\":\"sub\"} {}")]
    public void TryRead_NotOneJsonObject_False(string text)
    {
        Assert.False(StreamRequest.TryRead(Encoding.UTF8.GetBytes(text), out _));
    }
}
