namespace Oms.Transport.Tests.Client;

public sealed class Http2RequestTemplateTests
{
    [Fact]
    public void Constructor_ValidShape_ExposesMethodPathAndHeaders()
    {
        var template = new Http2RequestTemplate("DELETE", "/6/api/pro/v1/futures/order", [new("content-type", "application/json")], [new("x-auth-timestamp", false), new("x-auth-signature", true)]);

        Assert.Equal("DELETE", template.Method);
        Assert.Equal("/6/api/pro/v1/futures/order", template.Path);
        Assert.Equal(2, template.VariableHeaderCount);
        Assert.Equal(1, template.ConstantHeaderCount);
        Assert.Equal("content-type"u8.ToArray(), template.ConstantName(0).ToArray());
        Assert.Equal("application/json"u8.ToArray(), template.ConstantValue(0).ToArray());
        Assert.Equal("DELETE"u8.ToArray(), template.MethodBytes.ToArray());
    }

    [Fact]
    public void VariablePrefix_PlainAndSensitive_AreLiteralWithoutIndexingAndNeverIndexedWithARawName()
    {
        // RFC 7541 sections 6.2.2 and 6.2.3, new name: 0000 0000 or 0001 0000, then H = 0 and the name length.
        var template = new Http2RequestTemplate("GET", "/", [], [new("x-a", false), new("x-b", true)]);

        Assert.Equal([0x00, 0x03, (byte)'x', (byte)'-', (byte)'a'], template.VariablePrefix(0).ToArray());
        Assert.Equal([0x10, 0x03, (byte)'x', (byte)'-', (byte)'b'], template.VariablePrefix(1).ToArray());
    }

    [Theory]
    [InlineData("Content-Type")]
    [InlineData(":path")]
    [InlineData("x auth")]
    [InlineData("")]
    public void Constructor_BadHeaderName_Throws(string name)
    {
        Assert.ThrowsAny<ArgumentException>(() => new Http2RequestTemplate("GET", "/", [new(name, "v")], []));
        Assert.ThrowsAny<ArgumentException>(() => new Http2RequestTemplate("GET", "/", [], [new(name, false)]));
    }

    [Fact]
    public void Constructor_ThreeVariableHeaders_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Http2RequestTemplate("GET", "/", [], [new("x-a", false), new("x-b", false), new("x-c", false)]));
    }

    [Theory]
    [InlineData("", "/")]
    [InlineData("GET", "")]
    [InlineData("GET", "orders")]
    public void Constructor_BadMethodOrPath_Throws(string method, string path)
    {
        Assert.ThrowsAny<ArgumentException>(() => new Http2RequestTemplate(method, path, [], []));
    }
}
