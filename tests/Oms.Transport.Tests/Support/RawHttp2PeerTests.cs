namespace Oms.Transport.Tests.Support;

/// <summary>The raw peer checked against an independent HTTP/2 client: HttpClient with h2c prior knowledge.</summary>
public sealed class RawHttp2PeerTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Get_DefaultPeer_Answers200WithTheConfiguredBody()
    {
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { ResponseBody = "hello"u8.ToArray() });
        using var http = new HttpClient();

        using var response = await SendAsync(http, peer, "/a");
        var connection = await peer.ConnectionAsync(0);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("hello", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, connection.RequestsReceived);
        Assert.NotNull(await connection.WaitForFrameAsync(f => f.Type == Http2FrameType.Settings && f.Flags.HasFlag(Http2FrameFlags.Ack), s_wait));
    }

    [Fact]
    public async Task Get_DecodingOn_RecordsTheRequestHeaders()
    {
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { DecodeRequests = true });
        using var http = new HttpClient();

        using var response = await SendAsync(http, peer, "/path?q=1", ("x-test", "value"));
        var request = Assert.Single((await peer.ConnectionAsync(0)).Requests);

        Assert.Equal("GET", request.Header(":method"));
        Assert.Equal("/path?q=1", request.Header(":path"));
        Assert.Equal("http", request.Header(":scheme"));
        Assert.Equal("value", request.Header("x-test"));
        Assert.True(request.IsComplete);
        Assert.Equal(1, request.StreamId);
        Assert.Null((await peer.ConnectionAsync(0)).Error);
    }

    [Fact]
    public async Task Hold_ClientCancels_PeerObservesRstStreamCancel()
    {
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Reply = _ => RawPeerReply.Hold });
        using var http = new HttpClient();
        using var cancel = new CancellationTokenSource();

        var pending = SendAsync(http, peer, "/held", cancellationToken: cancel.Token);
        var connection = await peer.ConnectionAsync(0);
        Assert.True(await connection.WaitForRequestsAsync(1, s_wait));
        Assert.Equal([1], connection.HeldStreams);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);

        var reset = await connection.WaitForFrameAsync(f => f.Type == Http2FrameType.RstStream, s_wait);
        Assert.Equal(1, reset?.StreamId);
        Assert.Equal(Http2ErrorCode.Cancel, reset?.ErrorCode);
        Assert.True(await WaitUntilAsync(() => connection.HeldStreams.Count == 0));
    }

    [Fact]
    public async Task Answer_HeldStream_CompletesTheRequest()
    {
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Reply = _ => RawPeerReply.Hold });
        using var http = new HttpClient();

        var pending = SendAsync(http, peer, "/held");
        var connection = await peer.ConnectionAsync(0);
        Assert.True(await connection.WaitForRequestsAsync(1, s_wait));
        connection.Answer(1);
        using var response = await pending.WaitAsync(s_wait);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(connection.HeldStreams);
    }

    [Fact]
    public async Task Send_InjectedPing_ClientAcknowledgesWithTheSamePayload()
    {
        using var peer = RawHttp2Peer.Start();
        using var http = new HttpClient();
        using var response = await SendAsync(http, peer, "/a");
        var connection = await peer.ConnectionAsync(0);

        connection.Send(PeerFrames.PingFrame(0x1122334455667788));

        var ack = await connection.WaitForFrameAsync(f => f.Type == Http2FrameType.Ping && f.Opaque == 0x1122334455667788, s_wait);
        Assert.True(ack?.Flags.HasFlag(Http2FrameFlags.Ack));
    }

    [Fact]
    public async Task ResetCancel_Get_ClientSeesStreamResetWithCancel()
    {
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Reply = _ => RawPeerReply.ResetCancel });
        using var http = new HttpClient();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => SendAsync(http, peer, "/a"));

        Assert.Equal(0x8, Assert.IsType<HttpProtocolException>(error.InnerException).ErrorCode);
    }

    [Fact]
    public async Task HeadersThenClose_Get_ClientSeesTheConnectionEndMidResponse()
    {
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Reply = _ => RawPeerReply.HeadersThenClose, ResponseBody = new byte[100] });
        using var http = new HttpClient();

        // The headers arrive, so SendAsync succeeds; reading the body fails when the connection ends.
        await Assert.ThrowsAnyAsync<Exception>(() => SendAsync(http, peer, "/a"));
        var connection = await peer.ConnectionAsync(0);

        await connection.Closed.WaitAsync(s_wait);
        Assert.Equal(1, connection.RequestsReceived);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendSettings_HeaderTableSizeZeroAcknowledged_NextBlockMustStartWithASizeUpdate(bool withSizeUpdate)
    {
        // A hand-made client, so the test controls exactly what the next header block holds.
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { DecodeRequests = true });
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, peer.Port);
        await socket.SendAsync((byte[])[.. Http2ControlFrameWriter.ClientPreface, .. RawFrame.Build(PeerFrames.Settings, 0, 0), .. RawFrame.Build(PeerFrames.Settings, PeerFrames.Ack, 0)]);
        var connection = await peer.ConnectionAsync(0);
        connection.SendSettings(new Http2Setting(Http2SettingsParameter.HeaderTableSize, 0));

        // :method GET, :scheme http, :path / (static), :authority "abc" (literal without indexing, static name 1).
        byte[] fields = [0x82, 0x86, 0x84, 0x01, 0x03, (byte)'a', (byte)'b', (byte)'c'];
        byte[] block = withSizeUpdate ? [0x20, .. fields] : fields;
        await socket.SendAsync((byte[])[
            .. RawFrame.Build(PeerFrames.Settings, PeerFrames.Ack, 0),
            .. PeerFrames.HeadersFrame(1, block, PeerFrames.EndHeaders | PeerFrames.EndStream)]);
        var settled = await WaitUntilAsync(() => connection.RequestsReceived == 1 || connection.Error is not null);

        Assert.True(settled);
        if (withSizeUpdate)
        {
            Assert.Null(connection.Error);
            Assert.Equal("abc", connection.Requests[0].Header(":authority"));
        }
        else
        {
            Assert.Contains("size update", connection.Error, StringComparison.Ordinal);
            Assert.Equal(0, connection.RequestsReceived);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RecordStreamFrames_HandMadeRequest_KeepsHeadersAndDataWithTheirLengthsOnlyWhenAsked(bool record)
    {
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { RecordStreamFrames = record });
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, peer.Port);

        // :method POST, :scheme http, :path / (static), then a body of 5 and 3 octets, then a PING as a marker.
        await socket.SendAsync((byte[])[
            .. Http2ControlFrameWriter.ClientPreface,
            .. RawFrame.Build(PeerFrames.Settings, 0, 0),
            .. PeerFrames.HeadersFrame(1, [0x83, 0x86, 0x84], PeerFrames.EndHeaders),
            .. PeerFrames.DataFrame(1, "abcde"u8.ToArray(), 0),
            .. PeerFrames.DataFrame(1, "xyz"u8.ToArray()),
            .. PeerFrames.PingFrame(7)]);
        var connection = await peer.ConnectionAsync(0);
        var ping = await connection.WaitForFrameAsync(f => f.Type == Http2FrameType.Ping, s_wait);

        Assert.NotNull(ping);
        var streamFrames = connection.Frames.Where(f => f.StreamId == 1).Select(f => (f.Type, f.Flags, f.Length)).ToArray();
        if (record)
        {
            Assert.Equal(
                [(Http2FrameType.Headers, Http2FrameFlags.EndHeaders, 3), (Http2FrameType.Data, Http2FrameFlags.None, 5), (Http2FrameType.Data, Http2FrameFlags.EndStream, 3)],
                streamFrames);
        }
        else
        {
            Assert.Empty(streamFrames);
        }

        Assert.Equal(8, ping.Value.Length);
        Assert.Equal(1, connection.RequestsReceived);
    }

    [Fact]
    public async Task Dispose_WithOpenConnection_StopsItsThreadsAndRefusesNewConnections()
    {
        var peer = RawHttp2Peer.Start();
        var port = peer.Port;
        using var http = new HttpClient();
        using (await SendAsync(http, peer, "/a"))
        {
        }

        var connection = await peer.ConnectionAsync(0);

        peer.Dispose();

        await connection.Closed.WaitAsync(s_wait);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(IPAddress.Loopback, port));
    }

    [Fact]
    public async Task CloseFirstConnections_One_FirstClientSeesTheConnectionEndAndTheSecondIsServed()
    {
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { CloseFirstConnections = 1 });
        using var first = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await first.ConnectAsync(IPAddress.Loopback, peer.Port);

        var received = await first.ReceiveAsync(new byte[16]).WaitAsync(s_wait);
        using var http = new HttpClient();
        using var response = await SendAsync(http, peer, "/a");

        Assert.Equal(0, received);
        Assert.Equal(1, peer.ClosedOnAccept);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, peer.ConnectionCount);
    }

    private static async Task<HttpResponseMessage> SendAsync(
        HttpClient http, RawHttp2Peer peer, string path, (string Name, string Value)? header = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(peer.BaseUri, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (header is { } h)
        {
            request.Headers.TryAddWithoutValidation(h.Name, h.Value);
        }

        var response = await http.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        return response;
    }
}
