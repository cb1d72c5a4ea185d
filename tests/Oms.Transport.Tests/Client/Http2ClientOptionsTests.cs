namespace Oms.Transport.Tests.Client;

public sealed class Http2ClientOptionsTests
{
    [Fact]
    public void Validate_Defaults_Pass()
    {
        var options = new Http2ClientOptions { BaseUri = new Uri("https://ascendex.com") };

        options.Validate();

        Assert.Equal(2, options.ConnectionCount);
        Assert.Equal(1, options.FirstStreamId);
    }

    public static TheoryData<string> BadOptions => new()
    {
        "relative uri",
        "ftp scheme",
        "ca file with http",
        "no connections",
        "zero connect timeout",
        "zero request timeout",
        "negative ping interval",
        "stream window below 65535",
        "connection window below 65535",
        "zero concurrent streams",
        "zero reconnect delay",
        "max delay below min delay",
        "tiny header list",
        "tiny body limit",
        "even first stream id",
        "zero first stream id",
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Validate_OneBadSetting_ThrowsArgumentExceptionNamingIt(string bad)
    {
        var https = new Uri("https://localhost:1");
        var options = bad switch
        {
            "relative uri" => new Http2ClientOptions { BaseUri = new Uri("/x", UriKind.Relative) },
            "ftp scheme" => new Http2ClientOptions { BaseUri = new Uri("ftp://localhost") },
            "ca file with http" => new Http2ClientOptions { BaseUri = new Uri("http://localhost"), CaCertificatePath = "ca.pem" },
            "no connections" => new Http2ClientOptions { BaseUri = https, ConnectionCount = 0 },
            "zero connect timeout" => new Http2ClientOptions { BaseUri = https, ConnectTimeout = TimeSpan.Zero },
            "zero request timeout" => new Http2ClientOptions { BaseUri = https, RequestTimeout = TimeSpan.Zero },
            "negative ping interval" => new Http2ClientOptions { BaseUri = https, PingInterval = TimeSpan.FromSeconds(-1) },
            "stream window below 65535" => new Http2ClientOptions { BaseUri = https, StreamReceiveWindow = 65_534 },
            "connection window below 65535" => new Http2ClientOptions { BaseUri = https, ConnectionReceiveWindow = 1000 },
            "zero concurrent streams" => new Http2ClientOptions { BaseUri = https, MaxConcurrentStreamsPerConnection = 0 },
            "zero reconnect delay" => new Http2ClientOptions { BaseUri = https, ReconnectMinDelay = TimeSpan.Zero },
            "max delay below min delay" => new Http2ClientOptions { BaseUri = https, ReconnectMinDelay = TimeSpan.FromSeconds(2), ReconnectMaxDelay = TimeSpan.FromSeconds(1) },
            "tiny header list" => new Http2ClientOptions { BaseUri = https, MaxResponseHeaderListSize = 100 },
            "tiny body limit" => new Http2ClientOptions { BaseUri = https, MaxResponseBodySize = 100 },
            "even first stream id" => new Http2ClientOptions { BaseUri = https, FirstStreamId = 2 },
            "zero first stream id" => new Http2ClientOptions { BaseUri = https, FirstStreamId = 0 },
            _ => throw new ArgumentOutOfRangeException(nameof(bad)),
        };

        var error = Assert.ThrowsAny<ArgumentException>(options.Validate);

        Assert.False(string.IsNullOrEmpty(error.ParamName));
    }

    [Fact]
    public async Task ConnectAsync_InvalidOptions_ThrowsBeforeConnecting()
    {
        var options = new Http2ClientOptions { BaseUri = new Uri("http://127.0.0.1:1"), FirstStreamId = 4 };

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Http2Client.ConnectAsync(options, new Support.RecordingResponseHandler(1)));
    }
}
