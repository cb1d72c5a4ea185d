using System.Reflection;

namespace Oms.Engine.Tests.Signing;

public sealed class ApiCredentialsTests
{
    private const string Key = "mVJbEJeXXXUeufEyKYLEwOBh4RWx8LuN";
    private const string Secret = "hV8FgjyJtpvVeAcMAgzgAFQCN36wmbWuN7o3WPcYcYhFd8qvE43gzFGVsFcCqMNk";

    [Fact]
    public void ToString_ValidCredentials_ShowsKeyButNotSecret()
    {
        var credentials = new ApiCredentials(Key, Secret);

        string text = credentials.ToString();

        Assert.Contains(Key, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret[..8], text, StringComparison.Ordinal);
    }

    [Fact]
    public void DebuggerDisplay_Attribute_RendersToStringOnly()
    {
        var attribute = typeof(ApiCredentials).GetCustomAttribute<DebuggerDisplayAttribute>();

        Assert.NotNull(attribute);
        Assert.Equal("{ToString(),nq}", attribute.Value);
    }

    [Fact]
    public void SecretField_DebuggerBrowsable_IsNever()
    {
        FieldInfo[] byteFields = typeof(ApiCredentials)
            .GetFields(BindingFlags.Instance | BindingFlags.NonPublic)
            .Where(f => f.Name.Contains("secret", StringComparison.OrdinalIgnoreCase))
            .ToArray();

        FieldInfo field = Assert.Single(byteFields);
        Assert.Equal(DebuggerBrowsableState.Never, field.GetCustomAttribute<DebuggerBrowsableAttribute>()?.State);
    }

    [Fact]
    public void Constructor_StringSecret_HoldsItsUtf8Bytes()
    {
        var credentials = new ApiCredentials(Key, "sécret");

        Assert.Equal(Encoding.UTF8.GetBytes("sécret"), credentials.SecretUtf8.ToArray());
        Assert.Equal(Encoding.ASCII.GetBytes(Key), credentials.ApiKeyUtf8.ToArray());
        Assert.Equal(Key, credentials.ApiKey);
    }

    [Fact]
    public void Constructor_SpanSecret_CopiesTheBytes()
    {
        byte[] secret = Encoding.UTF8.GetBytes(Secret);
        var credentials = new ApiCredentials(Key, secret.AsSpan());

        secret[0] ^= 0xFF;

        Assert.Equal(Encoding.UTF8.GetBytes(Secret), credentials.SecretUtf8.ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("key with space")]
    [InlineData("key\u00e9")]
    [InlineData("key\n")]
    public void Constructor_BadKey_ThrowsWithoutTheSecret(string apiKey)
    {
        var exception = Assert.ThrowsAny<ArgumentException>(() => new ApiCredentials(apiKey, Secret));

        Assert.Equal("apiKey", exception.ParamName);
        Assert.DoesNotContain(Secret, exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NullKey_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => new ApiCredentials(null!, Secret));
    }

    [Fact]
    public void Constructor_EmptyStringSecret_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => new ApiCredentials(Key, string.Empty));

        Assert.Equal("secret", exception.ParamName);
    }

    [Fact]
    public void Constructor_EmptySpanSecret_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => new ApiCredentials(Key, ReadOnlySpan<byte>.Empty));

        Assert.Equal("secretUtf8", exception.ParamName);
    }
}
