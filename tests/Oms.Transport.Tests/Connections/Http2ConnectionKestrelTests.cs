namespace Oms.Transport.Tests.Connections;

/// <summary>Responses a real server shapes: large bodies under small windows, resets, empty bodies, echoed bodies.</summary>
public sealed class Http2ConnectionKestrelTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task LargeResponse_WithASixtyFourKibStreamWindowAndTheBodyAsConnectionWindow_ArrivesCompleteAndByteExact()
    {
        // Connection credit comes back only once a body is consumed, so a body needs a connection window at least its
        // size; the stream window is returned as the body arrives, 64 KiB at a time.
        await using var server = await KestrelTestServer.StartAsync();
        var handler = new RecordingResponseHandler(2);
        var options = new Http2ClientOptions
        {
            BaseUri = server.BaseUri,
            ConnectionCount = 1,
            StreamReceiveWindow = 65_535,
            ConnectionReceiveWindow = KestrelTestServer.LargeBodyLength,
            MaxResponseBodySize = KestrelTestServer.LargeBodyLength,
            PingInterval = TimeSpan.Zero,
        };
        await using var client = await Http2Client.ConnectAsync(options, handler);

        // Twice in a row: the second proves the windows were restored, not just large enough once.
        for (var token = 0; token < 2; token++)
        {
            Assert.Equal(Http2SendResult.Sent, client.TrySend(Get("/large"), [], [], [], token));
            client.Flush();
            Assert.True(await handler.WaitForOutcomesAsync(token + 1, s_wait));
        }

        handler.AssertExactlyOneOutcomeEach(2);
        var expected = KestrelTestServer.LargeBody();
        Assert.Equal(200, handler.Status(0));
        Assert.True(expected.AsSpan().SequenceEqual(handler.Body(0)));
        Assert.True(expected.AsSpan().SequenceEqual(handler.Body(1)));
        Assert.True(client.Counters.FramesReceived >= 2 * (KestrelTestServer.LargeBodyLength / 16_384));
        Assert.Equal(0, client.Counters.ProtocolErrors);
    }

    [Fact]
    public async Task ResetEndpoint_ServerAbortsTheStream_ReportsReset()
    {
        await using var server = await KestrelTestServer.StartAsync();
        var handler = new RecordingResponseHandler(2);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(server.BaseUri), handler);

        client.TrySend(Get("/reset"), [], [], [], 0);
        client.Flush();
        Assert.True(await handler.WaitForOutcomesAsync(1, s_wait));
        client.TrySend(Get("/ok"), [], [], [], 1);
        client.Flush();
        Assert.True(await handler.WaitForOutcomesAsync(2, s_wait));

        handler.AssertExactlyOneOutcomeEach(2);
        Assert.Equal(Http2StreamFailure.Reset, handler.FailureOf(0));
        Assert.Equal(1, client.Counters.ResetsReceived);
        Assert.Equal("ok"u8.ToArray(), handler.Body(1));
    }

    [Fact]
    public async Task KillConnectionEndpoint_ServerDropsTheConnectionMidResponse_EveryStreamOnItLostThenTheClientReconnects()
    {
        await using var server = await KestrelTestServer.StartAsync();
        var handler = new RecordingResponseHandler(4);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(server.BaseUri, reconnectMinDelay: TimeSpan.FromMilliseconds(50)), handler);

        // A held stream shares the connection with the one whose answer is cut off: both are lost with it.
        client.TrySend(Get("/never"), [], [], [], 0);
        client.TrySend(Get("/kill-connection"), [], [], [], 1);
        client.Flush();
        Assert.True(await handler.WaitForOutcomesAsync(2, s_wait));
        var deadline = DateTime.UtcNow + s_wait;
        Http2SendResult sent;
        while ((sent = client.TrySend(Get("/ok"), [], [], [], 2)) != Http2SendResult.Sent && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        client.Flush();
        Assert.True(await handler.WaitForOutcomesAsync(3, s_wait));

        handler.AssertExactlyOneOutcomeEach(3);
        Assert.Equal(Http2StreamFailure.ConnectionLost, handler.FailureOf(0));
        Assert.Equal(Http2StreamFailure.ConnectionLost, handler.FailureOf(1));
        Assert.Equal(Http2SendResult.Sent, sent);
        Assert.Equal("ok"u8.ToArray(), handler.Body(2));
        Assert.True(client.Counters.ConnectionsOpened >= 2, "The client did not reconnect.");
    }

    [Theory]
    [InlineData(204, "")]
    [InlineData(404, "status 404")]
    [InlineData(503, "status 503")]
    public async Task StatusEndpoint_AnyStatus_IsReportedAsAResponseWithItsBody(int status, string body)
    {
        await using var server = await KestrelTestServer.StartAsync();
        var handler = new RecordingResponseHandler(1);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(server.BaseUri), handler);

        client.TrySend(Get("/status/" + status), [], [], [], 0);
        client.Flush();
        Assert.True(await handler.WaitForOutcomesAsync(1, s_wait));

        handler.AssertExactlyOneOutcomeEach(1);
        Assert.Equal(status, handler.Status(0));
        Assert.Equal(body, Encoding.ASCII.GetString(handler.Body(0)));

        // Kestrel stamps every response with its date: it arrives as the server's clock, to the second.
        Assert.InRange(handler.ServerDateUnixSeconds(0), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
    }

    [Theory]
    [InlineData("7", 7)]
    [InlineData("0", 0)]
    [InlineData("soon", Http2ResponseHead.NoRetryAfter)]
    public async Task StatusEndpoint_WithRetryAfter_ReportsItsSeconds(string retryAfter, int expectedSeconds)
    {
        await using var server = await KestrelTestServer.StartAsync();
        var handler = new RecordingResponseHandler(2);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(server.BaseUri), handler);

        client.TrySend(new Http2RequestTemplate("GET", "/status/429", [new KeyValuePair<string, string>("x-retry-after", retryAfter)], []), [], [], [], 0);
        client.TrySend(Get("/status/429"), [], [], [], 1);
        client.Flush();
        Assert.True(await handler.WaitForOutcomesAsync(2, s_wait));

        handler.AssertExactlyOneOutcomeEach(2);
        Assert.Equal(429, handler.Status(0));
        Assert.Equal(expectedSeconds, handler.RetryAfterSeconds(0));
        Assert.Equal(Http2ResponseHead.NoRetryAfter, handler.RetryAfterSeconds(1));
    }

    [Fact]
    public async Task Echo_FortyBodiesOf40KB_SpendMoreThanTheServersConnectionWindowAndAllComeBackExact()
    {
        // 40 x 40,000 octets is over Kestrel's 1 MiB connection window: sending them all needs its WINDOW_UPDATEs,
        // and each body spans three DATA frames of at most 16,384 octets.
        const int count = 40;
        await using var server = await KestrelTestServer.StartAsync();
        var bodies = Enumerable.Range(0, count).Select(i => Enumerable.Range(0, 40_000).Select(j => (byte)(i + (j * 7))).ToArray()).ToArray();
        var template = new Http2RequestTemplate("POST", "/echo", [new("content-type", "application/octet-stream")], []);
        var handler = new RecordingResponseHandler(count);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(server.BaseUri), handler);

        await SendDriver.SendAllOnThreadAsync(client, 0, count, t => client.TrySend(template, [], [], bodies[t], t), 4, s_wait);
        Assert.True(await handler.WaitForOutcomesAsync(count, s_wait));

        handler.AssertExactlyOneOutcomeEach(count);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(bodies[i], handler.Body(i));
        }
    }

    [Fact]
    public async Task LargeResponse_OverMaxResponseBodySize_ReportedTruncatedWithItsFirstOctetsResetAndTheConnectionServesOn()
    {
        await using var server = await KestrelTestServer.StartAsync();
        var handler = new RecordingResponseHandler(2);
        var options = new Http2ClientOptions { BaseUri = server.BaseUri, ConnectionCount = 1, MaxResponseBodySize = 64 * 1024, PingInterval = TimeSpan.Zero };
        await using var client = await Http2Client.ConnectAsync(options, handler);

        client.TrySend(Get("/large"), [], [], [], 0);
        client.Flush();
        Assert.True(await handler.WaitForOutcomesAsync(1, s_wait));
        client.TrySend(Get("/ok"), [], [], [], 1);
        client.Flush();
        Assert.True(await handler.WaitForOutcomesAsync(2, s_wait));

        handler.AssertExactlyOneOutcomeEach(2);
        Assert.Equal(200, handler.Status(0));
        Assert.True(handler.Truncated(0));
        Assert.True(KestrelTestServer.LargeBody().AsSpan(0, 64 * 1024).SequenceEqual(handler.Body(0)));
        Assert.False(handler.Truncated(1));
        Assert.Equal(1, client.Counters.ResponsesTooLarge);
        Assert.Equal(1, client.Counters.ResetsSent);
        Assert.Equal(0, client.Counters.ProtocolErrors);
        Assert.Equal(200, handler.Status(1));
        Assert.Equal(1, client.Counters.ConnectionsOpened);
    }

    [Fact]
    public async Task NeverEndpoint_AfterRequestTimeout_ReportsTimeoutAndTheServerSeesTheCancel()
    {
        await using var server = await KestrelTestServer.StartAsync();
        var handler = new RecordingResponseHandler(1);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(server.BaseUri, requestTimeout: TimeSpan.FromMilliseconds(300)), handler);

        client.TrySend(Get("/never"), [], [], [], 0);
        client.Flush();
        Assert.True(await WaitUntilAsync(() => server.Held == 1));
        Assert.True(await handler.WaitForOutcomesAsync(1, s_wait));

        handler.AssertExactlyOneOutcomeEach(1);
        Assert.Equal(Http2StreamFailure.Timeout, handler.FailureOf(0));
        Assert.Equal(1, client.Counters.Timeouts);
        Assert.True(await WaitUntilAsync(() => server.Held == 0), "the RST_STREAM(CANCEL) reached the server");
    }

    private static Http2RequestTemplate Get(string path) => new("GET", path, [], []);
}
