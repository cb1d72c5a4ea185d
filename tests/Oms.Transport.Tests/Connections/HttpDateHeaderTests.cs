namespace Oms.Transport.Tests.Connections;

public sealed class HttpDateHeaderTests
{
    [Theory]
    [InlineData("Sun, 06 Nov 1994 08:49:37 GMT", 784111777L)]
    [InlineData("Thu, 01 Jan 1970 00:00:00 GMT", 0L)]
    [InlineData(" Sun, 06 Dec 2026 16:34:17 GMT ", 1796574857L)]
    public void Parse_ImfFixdate_UnixSeconds(string value, long expected)
    {
        var header = new HttpDateHeader();

        Assert.Equal(expected, header.Parse(Encoding.ASCII.GetBytes(value)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("Sun, 06 Nov 1994 08:49:37 GMT and more")]
    [InlineData("784111777")]
    public void Parse_NotAnImfFixdate_NoServerDate(string value)
    {
        var header = new HttpDateHeader();

        Assert.Equal(Http2ResponseHead.NoServerDate, header.Parse(Encoding.ASCII.GetBytes(value)));
    }

    [Fact]
    public void Parse_SameTextAgainThenANewSecond_EachReadCorrectly()
    {
        var header = new HttpDateHeader();
        var first = Encoding.ASCII.GetBytes("Sun, 06 Nov 1994 08:49:37 GMT");
        var next = Encoding.ASCII.GetBytes("Sun, 06 Nov 1994 08:49:38 GMT");

        Assert.Equal(784111777L, header.Parse(first));
        Assert.Equal(784111777L, header.Parse(first));
        Assert.Equal(784111778L, header.Parse(next));
        Assert.Equal(784111777L, header.Parse(first));
    }

    [Fact]
    public void Parse_RepeatedText_AllocatesNothing()
    {
        var header = new HttpDateHeader();
        var value = Encoding.ASCII.GetBytes("Sun, 06 Nov 1994 08:49:37 GMT");
        header.Parse(value);

        long sum = 0;
        long allocated = AllocationMeter.AllocatedBytes(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                sum += header.Parse(value);
            }
        });

        Assert.Equal(0, allocated);
        Assert.Equal(784111777L * 1000, sum);
    }
}
