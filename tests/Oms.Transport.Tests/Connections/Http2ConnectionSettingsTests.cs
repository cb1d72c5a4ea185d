namespace Oms.Transport.Tests.Connections;

/// <summary>The server's SETTINGS, at the start and changed mid-connection.</summary>
public sealed class Http2ConnectionSettingsTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task MaxConcurrentStreams_OneFromTheStart_SecondSendHasNoCapacityUntilTheFirstCompletes()
    {
        using var peer = RawHttp2Peer.Start(new RawPeerOptions
        {
            Settings = [new(Http2SettingsParameter.MaxConcurrentStreams, 1)],
            Reply = c => c.RequestNumber == 1 ? RawPeerReply.Hold : RawPeerReply.Answer,
        });
        var handler = new RecordingResponseHandler(2);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri), handler);

        var first = PeerRequests.TrySend(client, 0);
        var second = PeerRequests.TrySend(client, 1);
        client.Flush();
        var connection = await peer.ConnectionAsync(0);
        Assert.True(await connection.WaitForRequestsAsync(1, s_wait));
        connection.Answer(1);
        Assert.True(await handler.WaitForOutcomesAsync(1, s_wait));
        var afterCompletion = PeerRequests.TrySend(client, 1);
        client.Flush();
        Assert.True(await handler.WaitForOutcomesAsync(2, s_wait));

        Assert.Equal(Http2SendResult.Sent, first);
        Assert.Equal(Http2SendResult.NoCapacity, second);
        Assert.Equal(Http2SendResult.Sent, afterCompletion);
        handler.AssertExactlyOneOutcomeEach(2);
    }

    [Fact]
    public async Task MaxConcurrentStreams_LoweredThenRaisedMidConnection_CapacityFollowsTheNewLimit()
    {
        await using var held = await HeldStreams.StartAsync(requests: 3, capacity: 6);
        var (client, connection) = (held.Client, held.Connection);

        await held.ChangeSettingsAsync(new Http2Setting(Http2SettingsParameter.MaxConcurrentStreams, 1));
        var overLowered = PeerRequests.TrySend(client, 3);
        connection.Answer(1);
        connection.Answer(3);
        connection.Answer(5);
        Assert.True(await held.Handler.WaitForOutcomesAsync(3, s_wait));
        var one = PeerRequests.TrySend(client, 3);
        var two = PeerRequests.TrySend(client, 4);
        await held.ChangeSettingsAsync(new Http2Setting(Http2SettingsParameter.MaxConcurrentStreams, 10));
        var raised = PeerRequests.TrySend(client, 4);
        client.Flush();
        Assert.True(await connection.WaitForRequestsAsync(5, s_wait));
        connection.Answer(7);
        connection.Answer(9);
        Assert.True(await held.Handler.WaitForOutcomesAsync(5, s_wait));

        Assert.Equal(Http2SendResult.NoCapacity, overLowered);
        Assert.Equal(Http2SendResult.Sent, one);
        Assert.Equal(Http2SendResult.NoCapacity, two);
        Assert.Equal(Http2SendResult.Sent, raised);
        held.Handler.AssertExactlyOneOutcomeEach(5);
    }

    [Fact]
    public async Task InitialWindowSize_ChangedMidConnection_BodiesLargerThanTheStreamWindowWait()
    {
        // Request bodies go out whole, so a body only fits when the peer's initial stream window holds all of it.
        await using var held = await HeldStreams.StartAsync(requests: 0, capacity: 2, peerOptions: new RawPeerOptions());
        var body = new byte[100];

        await held.ChangeSettingsAsync(new Http2Setting(Http2SettingsParameter.InitialWindowSize, 99));
        var tooLarge = PeerRequests.TrySend(held.Client, 0, body);
        var fits = PeerRequests.TrySend(held.Client, 0, body.AsSpan(0, 99));
        await held.ChangeSettingsAsync(new Http2Setting(Http2SettingsParameter.InitialWindowSize, 100));
        var fitsNow = PeerRequests.TrySend(held.Client, 1, body);
        held.Client.Flush();
        Assert.True(await held.Handler.WaitForOutcomesAsync(2, s_wait));

        Assert.Equal(Http2SendResult.NoCapacity, tooLarge);
        Assert.Equal(Http2SendResult.Sent, fits);
        Assert.Equal(Http2SendResult.Sent, fitsNow);
        held.Handler.AssertExactlyOneOutcomeEach(2);
    }

    [Fact]
    public async Task ConnectionWindow_SpentByBodies_NoCapacityUntilTheServersWindowUpdate()
    {
        // No connection WINDOW_UPDATE up front: the connection send window is the default 65,535 octets.
        using var peer = RawHttp2Peer.Start(new RawPeerOptions
        {
            ConnectionWindowIncrement = 0,
            Settings = [new(Http2SettingsParameter.InitialWindowSize, 1 << 20)],
        });
        var handler = new RecordingResponseHandler(3);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri), handler);
        var connection = await peer.ConnectionAsync(0);
        var body = new byte[30_000];

        var first = PeerRequests.TrySend(client, 0, body);
        var second = PeerRequests.TrySend(client, 1, body);
        var third = PeerRequests.TrySend(client, 2, body);
        client.Flush();
        Assert.True(await handler.WaitForOutcomesAsync(2, s_wait));
        var stillNone = PeerRequests.TrySend(client, 2, body);
        connection.Send(PeerFrames.WindowUpdateFrame(0, 60_000));
        var granted = false;
        Assert.True(await WaitUntilAsync(() => granted = granted || PeerRequests.TrySend(client, 2, body) == Http2SendResult.Sent));
        client.Flush();
        Assert.True(await handler.WaitForOutcomesAsync(3, s_wait));

        Assert.Equal(Http2SendResult.Sent, first);
        Assert.Equal(Http2SendResult.Sent, second);
        Assert.Equal(Http2SendResult.NoCapacity, third);
        Assert.Equal(Http2SendResult.NoCapacity, stillNone);
        Assert.True(granted);
        handler.AssertExactlyOneOutcomeEach(3);
    }

    [Fact]
    public async Task HeaderTableSize_ZeroThenBackMidConnection_SizeUpdatesAreEmittedAndEveryRequestDecodes()
    {
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { DecodeRequests = true });
        var handler = new RecordingResponseHandler(6);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri), handler);
        var connection = await peer.ConnectionAsync(0);

        await SendOneAsync(client, handler, 0);
        await SendOneAsync(client, handler, 1);
        await ChangeSettingsAsync(connection, new Http2Setting(Http2SettingsParameter.HeaderTableSize, 0));
        await SendOneAsync(client, handler, 2);
        await SendOneAsync(client, handler, 3);
        await ChangeSettingsAsync(connection, new Http2Setting(Http2SettingsParameter.HeaderTableSize, 4096));
        await SendOneAsync(client, handler, 4);
        await SendOneAsync(client, handler, 5);

        handler.AssertExactlyOneOutcomeEach(6);
        Assert.Null(connection.Error);
        var requests = connection.Requests;
        Assert.Equal(6, requests.Count);
        foreach (var request in requests)
        {
            Assert.Equal("POST", request.Header(":method"));
            Assert.Equal("/orders", request.Header(":path"));
            Assert.Equal("http", request.Header(":scheme"));
            Assert.Equal(peer.BaseUri.Authority, request.Header(":authority"));
            Assert.Equal("application/json", request.Header("content-type"));
            Assert.Equal("r1", request.Header("x-request"));
        }

        // RFC 7541 section 6.3: a size update is 001xxxxx. It opens exactly the first block after each change.
        Assert.Equal([false, false, true, false, true, false], requests.Select(r => (r.HeaderBlock[0] & 0xE0) == 0x20));
        Assert.Equal(0x20, requests[2].HeaderBlock[0]);

        // With a table, the second request replays the constants as one-octet indexes; without one, each is a literal.
        Assert.True(requests[1].HeaderBlock.Length < requests[0].HeaderBlock.Length);
        Assert.True(requests[3].HeaderBlock.Length > requests[1].HeaderBlock.Length + 20);
        Assert.Equal(requests[1].HeaderBlock.Length, requests[5].HeaderBlock.Length);
    }

    [Fact]
    public async Task HeaderTableSize_ZeroAtARealServer_RequestsDecodeThere()
    {
        await using var server = await KestrelTestServer.StartAsync(new KestrelTestServerOptions { HeaderTableSize = 0 });
        var template = new Http2RequestTemplate("DELETE", "/headers", [new("content-type", "application/json"), new("x-key", "key-1")], [new("x-variable", false)]);
        var handler = new RecordingResponseHandler(3);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(server.BaseUri), handler);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Http2SendResult.Sent, client.TrySend(template, Encoding.ASCII.GetBytes("v" + i), [], [], i));
            client.Flush();
            Assert.True(await handler.WaitForOutcomesAsync(i + 1, s_wait));
        }

        handler.AssertExactlyOneOutcomeEach(3);
        for (var i = 0; i < 3; i++)
        {
            var text = Encoding.UTF8.GetString(handler.Body(i));
            Assert.Equal(
                $"method=DELETE\npath=/headers\nscheme=http\nhost={server.BaseUri.Authority}\ncontent-type=application/json\nx-key=key-1\nx-variable=v{i}\n",
                text);
        }
    }

    [Fact]
    public async Task MaxFrameSize_RaisedThenLoweredMidConnection_NextBodiesAreSplitByTheNewSize()
    {
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { RecordStreamFrames = true });
        var handler = new RecordingResponseHandler(3);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri), handler);
        var connection = await peer.ConnectionAsync(0);
        var body = new byte[40_000];

        await SendOneAsync(client, handler, 0, body);
        await ChangeSettingsAsync(connection, new Http2Setting(Http2SettingsParameter.MaxFrameSize, 20_000));
        await SendOneAsync(client, handler, 1, body);
        await ChangeSettingsAsync(connection, new Http2Setting(Http2SettingsParameter.MaxFrameSize, 16_384));
        await SendOneAsync(client, handler, 2, body);

        handler.AssertExactlyOneOutcomeEach(3);
        Assert.Equal([16_384, 16_384, 7_232], DataLengths(connection, 1));
        Assert.Equal([20_000, 20_000], DataLengths(connection, 3));
        Assert.Equal([16_384, 16_384, 7_232], DataLengths(connection, 5));
        Assert.All([1, 3, 5], id => Assert.True(connection.Frames.Last(f => f.StreamId == id).Flags.HasFlag(Http2FrameFlags.EndStream)));
        Assert.All(connection.Frames.Where(f => f.Type == Http2FrameType.Headers), f => Assert.Equal(Http2FrameFlags.EndHeaders, f.Flags));
    }

    [Fact]
    public async Task HeaderTableSize_LoweredAndRestoredBetweenTwoRequests_NextBlockSignalsTheSmallestThenTheFinalSize()
    {
        // RFC 7541 section 4.2: when the limit changes more than once between two header blocks, the smallest value
        // is signalled, then the final one. The peer acknowledged 0, so it may have emptied its table.
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { DecodeRequests = true });
        var handler = new RecordingResponseHandler(4);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri), handler);
        var connection = await peer.ConnectionAsync(0);

        await SendOneAsync(client, handler, 0);
        await SendOneAsync(client, handler, 1);
        await ChangeSettingsAsync(connection, new Http2Setting(Http2SettingsParameter.HeaderTableSize, 0));
        await ChangeSettingsAsync(connection, new Http2Setting(Http2SettingsParameter.HeaderTableSize, 4096));
        await SendOneAsync(client, handler, 2);
        await SendOneAsync(client, handler, 3);

        AssertDecodedAlike(connection, 4);
        var requests = connection.Requests;
        Assert.Equal([0x20, 0x3F, 0xE1, 0x1F], requests[2].HeaderBlock[..4]);

        // The constants went into the emptied table again, so the next request replays them as indexes.
        Assert.Equal(requests[0].HeaderBlock.Length + 4, requests[2].HeaderBlock.Length);
        Assert.Equal(requests[1].HeaderBlock, requests[3].HeaderBlock);
    }

    [Fact]
    public async Task HeaderTableSize_TwiceInOneSettingsFrame_NextBlockSignalsTheSmallestThenTheFinalSize()
    {
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { DecodeRequests = true });
        var handler = new RecordingResponseHandler(2);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri), handler);
        var connection = await peer.ConnectionAsync(0);

        await SendOneAsync(client, handler, 0);
        await ChangeSettingsAsync(
            connection, new Http2Setting(Http2SettingsParameter.HeaderTableSize, 0), new Http2Setting(Http2SettingsParameter.HeaderTableSize, 4096));
        await SendOneAsync(client, handler, 1);

        AssertDecodedAlike(connection, 2);
        Assert.Equal([0x20, 0x3F, 0xE1, 0x1F], connection.Requests[1].HeaderBlock[..4]);
    }

    [Fact]
    public async Task HeaderTableSize_LoweredTo100ThenRaisedPastOurTable_BlocksSignalEachSizeOurTableAllows()
    {
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { DecodeRequests = true });
        var handler = new RecordingResponseHandler(5);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri), handler);
        var connection = await peer.ConnectionAsync(0);

        await SendOneAsync(client, handler, 0);
        await ChangeSettingsAsync(connection, new Http2Setting(Http2SettingsParameter.HeaderTableSize, 100));
        await SendOneAsync(client, handler, 1);
        await SendOneAsync(client, handler, 2);
        await ChangeSettingsAsync(connection, new Http2Setting(Http2SettingsParameter.HeaderTableSize, 65_536));
        await SendOneAsync(client, handler, 3);
        await SendOneAsync(client, handler, 4);

        AssertDecodedAlike(connection, 5);
        var requests = connection.Requests;

        // 100 = 31 + 69 (0x45) on a 5-bit prefix; our encoder never goes beyond its 4,096-octet table, so the raise
        // to 65,536 is signalled as 4,096.
        Assert.Equal([0x3F, 0x45], requests[1].HeaderBlock[..2]);
        Assert.NotEqual(0x20, requests[2].HeaderBlock[0] & 0xE0);
        Assert.Equal([0x3F, 0xE1, 0x1F], requests[3].HeaderBlock[..3]);
        Assert.NotEqual(0x20, requests[4].HeaderBlock[0] & 0xE0);
        Assert.True(requests[4].HeaderBlock.Length < requests[3].HeaderBlock.Length);
    }

    [Theory]
    [InlineData(2, 0, 2)]
    [InlineData(40_000, 0, 4)]
    [InlineData(0, 0, 1)]
    [InlineData(40_000, 40_000, 2)]
    public async Task FramesSent_RequestSplitByMaxFrameSize_CountsEveryFrame(int bodyLength, int peerMaxFrameSize, int expectedFrames)
    {
        // HEADERS plus one DATA frame per SETTINGS_MAX_FRAME_SIZE octets of body (16,384 unless the server raises it).
        using var peer = RawHttp2Peer.Start(new RawPeerOptions
        {
            Settings = peerMaxFrameSize == 0 ? [] : [new(Http2SettingsParameter.MaxFrameSize, (uint)peerMaxFrameSize)],
        });
        var handler = new RecordingResponseHandler(1);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri), handler);
        var connection = await peer.ConnectionAsync(0);
        Assert.True(await WaitUntilAsync(() => connection.Frames.Any(IsSettingsAck)));
        var before = client.Counters.FramesSent;

        Assert.Equal(Http2SendResult.Sent, PeerRequests.TrySend(client, 0, new byte[bodyLength]));
        client.Flush();
        Assert.True(await handler.WaitForOutcomesAsync(1, s_wait));

        Assert.Equal(expectedFrames, client.Counters.FramesSent - before);
        Assert.Equal(200, handler.Status(0));
    }

    /// <summary>Sends SETTINGS and waits for the client's ACK, after which the client applies them to what it sends.</summary>
    private static async Task ChangeSettingsAsync(RawPeerConnection connection, params Http2Setting[] settings)
    {
        var acks = connection.Frames.Count(IsSettingsAck);
        connection.SendSettings(settings);
        Assert.True(await WaitUntilAsync(() => connection.Frames.Count(IsSettingsAck) > acks));
    }

    private static bool IsSettingsAck(ObservedFrame frame) => frame.Type == Http2FrameType.Settings && frame.Flags.HasFlag(Http2FrameFlags.Ack);

    private static async Task SendOneAsync(Http2Client client, RecordingResponseHandler handler, int token, byte[]? body = null)
    {
        Assert.Equal(Http2SendResult.Sent, body is null ? PeerRequests.TrySend(client, token) : PeerRequests.TrySend(client, token, body));
        client.Flush();
        Assert.True(await handler.WaitForOutcomesAsync(token + 1, s_wait));
    }

    private static int[] DataLengths(RawPeerConnection connection, int streamId) =>
        [.. connection.Frames.Where(f => f.Type == Http2FrameType.Data && f.StreamId == streamId).Select(f => f.Length)];

    /// <summary>Every request reached the peer intact: decoded without error, with the same fields.</summary>
    private static void AssertDecodedAlike(RawPeerConnection connection, int count)
    {
        Assert.Null(connection.Error);
        var requests = connection.Requests;
        Assert.Equal(count, requests.Count);
        Assert.All(requests, r => Assert.Equal(requests[0].Headers, r.Headers));
        Assert.Equal("r1", requests[0].Header("x-request"));
        Assert.Equal("application/json", requests[0].Header("content-type"));
    }
}
