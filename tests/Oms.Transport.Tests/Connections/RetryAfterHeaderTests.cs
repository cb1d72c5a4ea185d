namespace Oms.Transport.Tests.Connections;

public sealed class RetryAfterHeaderTests
{
    private static readonly DateTime s_now = new(2026, 11, 25, 8, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("0", 0)]
    [InlineData("1", 1)]
    [InlineData("120", 120)]
    [InlineData(" 30 ", 30)]
    [InlineData("86400", 86_400)]
    [InlineData("86401", 86_400)]
    [InlineData("99999999999999999999999", 86_400)]
    public void Parse_DeltaSeconds_IsTheSecondsCappedAtADay(string value, int expected)
    {
        Assert.Equal(expected, RetryAfterHeader.Parse(Encoding.ASCII.GetBytes(value), s_now));
    }

    [Theory]
    [InlineData("Wed, 25 Nov 2026 08:00:10 GMT", 10)]
    [InlineData("Wed, 25 Nov 2026 09:00:00 GMT", 3600)]
    [InlineData("Wed, 25 Nov 2026 08:00:00 GMT", 0)]
    [InlineData("Wed, 25 Nov 2026 07:59:00 GMT", 0)]
    [InlineData("Sun, 06 Nov 1994 08:49:37 GMT", 0)]
    public void Parse_HttpDate_IsTheSecondsUntilThatDate(string value, int expected)
    {
        Assert.Equal(expected, RetryAfterHeader.Parse(Encoding.ASCII.GetBytes(value), s_now));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("10s")]
    [InlineData("soon")]
    [InlineData("Wed, 25 Nov 2026 08:00:10")]
    [InlineData("Wed, 25 Nov 2026 08:00:10 GMT trailing")]
    public void Parse_Malformed_IsNoRetryAfter(string value)
    {
        Assert.Equal(Http2ResponseHead.NoRetryAfter, RetryAfterHeader.Parse(Encoding.ASCII.GetBytes(value), s_now));
    }

    [Fact]
    public void ResponseHead_WithoutRetryAfter_SaysSo()
    {
        var head = new Http2ResponseHead(429);

        Assert.Equal(429, head.Status);
        Assert.False(head.HasRetryAfter);
        Assert.True(new Http2ResponseHead(429, 0).HasRetryAfter);
    }
}
