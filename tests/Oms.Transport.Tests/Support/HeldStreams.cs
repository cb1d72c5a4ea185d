namespace Oms.Transport.Tests.Support;

/// <summary>
/// A client of one connection to a raw peer that holds every request, with requests already in flight on streams 1, 3,
/// 5... (tokens 0, 1, 2...): the starting point of tests that script what the server sends on open streams.
/// </summary>
internal sealed class HeldStreams : IAsyncDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private ulong _nextPing = 0x5359_4E43_0000_0000;

    private HeldStreams(RawHttp2Peer peer, Http2Client client, RecordingResponseHandler handler, RawPeerConnection connection)
    {
        Peer = peer;
        Client = client;
        Handler = handler;
        Connection = connection;
    }

    public RawHttp2Peer Peer { get; }

    public Http2Client Client { get; }

    public RecordingResponseHandler Handler { get; }

    public RawPeerConnection Connection { get; }

    /// <summary>Sends <paramref name="requests"/> requests with a 2-octet body and waits until the peer holds them all.</summary>
    /// <param name="requests">Requests to open now.</param>
    /// <param name="capacity">Tokens the handler records, at least <paramref name="requests"/>: room for requests the test sends later.</param>
    /// <param name="options">Client options for the peer's address; one connection, no PINGs, 30 s timeouts when null.</param>
    /// <param name="peerOptions">The peer; one that holds every request when null.</param>
    public static async Task<HeldStreams> StartAsync(
        int requests, int capacity = 0, Func<Uri, Http2ClientOptions>? options = null, RawPeerOptions? peerOptions = null)
    {
        var peer = RawHttp2Peer.Start(peerOptions ?? new RawPeerOptions { Reply = _ => RawPeerReply.Hold });
        var handler = new RecordingResponseHandler(Math.Max(requests, capacity));
        var client = await Http2Client.ConnectAsync((options ?? (uri => PeerRequests.Options(uri)))(peer.BaseUri), handler);
        var connection = await peer.ConnectionAsync(0);
        if (requests > 0)
        {
            SendDriver.SendAll(client, 0, requests, t => PeerRequests.TrySend(client, t), requests, s_wait);
            Assert.True(await connection.WaitForRequestsAsync(requests, s_wait), "the peer did not receive every request");
        }

        return new HeldStreams(peer, client, handler, connection);
    }

    /// <summary>Sends SETTINGS and waits for the client's ACK, which it sends once it has applied them.</summary>
    public async Task ChangeSettingsAsync(params Http2Setting[] settings)
    {
        var acks = Connection.Frames.Count(IsSettingsAck);
        Connection.SendSettings(settings);
        Assert.True(await WaitUntilAsync(() => Connection.Frames.Count(IsSettingsAck) > acks), "the client did not acknowledge the SETTINGS");
    }

    /// <summary>
    /// A PING round trip: when it returns, the client has handled every frame sent before, and every frame it queued
    /// while doing so (RST_STREAM, GOAWAY) has reached the peer, because the client answers in order.
    /// </summary>
    public async Task SyncAsync()
    {
        var opaque = _nextPing++;
        Connection.Send(PeerFrames.PingFrame(opaque));
        var ack = await Connection.WaitForFrameAsync(f => f.Type == Http2FrameType.Ping && f.Flags.HasFlag(Http2FrameFlags.Ack) && f.Opaque == opaque, s_wait);
        Assert.True(ack is not null, "the client did not answer the PING");
    }

    /// <summary>
    /// Asserts a stream error on the first of two streams only: the client reset stream 1 with <paramref name="code"/>
    /// and failed token 0 as a protocol error, token 1 got its 200, and the connection carried on (no GOAWAY, no
    /// connection-level protocol error counted).
    /// </summary>
    public void AssertOnlyTheFirstStreamReset(ObservedFrame? reset, Http2ErrorCode code)
    {
        Assert.Equal(1, reset?.StreamId);
        Assert.Equal(code, reset?.ErrorCode);
        Handler.AssertExactlyOneOutcomeEach(2);
        Assert.Equal(Http2StreamFailure.ProtocolError, Handler.FailureOf(0));
        Assert.Equal(200, Handler.Status(1));
        Assert.Empty(FramesOf(Http2FrameType.GoAway));
        Assert.Equal(0, Client.Counters.ProtocolErrors);
    }

    /// <summary>Asserts that tokens 0 to <paramref name="requests"/> - 1 each got exactly one outcome, and that it was a 200.</summary>
    public void AssertEveryOneServed(int requests)
    {
        Handler.AssertExactlyOneOutcomeEach(requests);
        for (var token = 0; token < requests; token++)
        {
            Assert.Equal(200, Handler.Status(token));
        }
    }

    /// <summary><see cref="AssertEveryOneServed"/>, and the client reset no stream, sent no GOAWAY and counted no protocol error.</summary>
    public void AssertEveryOneServedAndNothingElse(int requests)
    {
        AssertEveryOneServed(requests);
        Assert.Empty(FramesOf(Http2FrameType.RstStream));
        Assert.Empty(FramesOf(Http2FrameType.GoAway));
        Assert.Equal(0, Client.Counters.ProtocolErrors);
    }

    /// <summary>The frames of one type the client has sent so far.</summary>
    public ObservedFrame[] FramesOf(Http2FrameType type) => [.. Connection.Frames.Where(f => f.Type == type)];

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        Peer.Dispose();
    }

    private static bool IsSettingsAck(ObservedFrame frame) => frame.Type == Http2FrameType.Settings && frame.Flags.HasFlag(Http2FrameFlags.Ack);
}
