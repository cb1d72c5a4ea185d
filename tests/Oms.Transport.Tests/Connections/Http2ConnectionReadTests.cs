using Oms.Transport.Tests.Http2;

namespace Oms.Transport.Tests.Connections;

/// <summary>Response shapes a server may legally send, and stream-level errors that must not take the connection down.</summary>
public sealed class Http2ConnectionReadTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    // :status 100 as a literal without indexing, static name index 8 (RFC 7541 section 6.2.2).
    private static readonly byte[] s_status100 = [0x08, 0x03, (byte)'1', (byte)'0', (byte)'0'];

    public static TheoryData<string, int, string> LegalShapes => new()
    {
        { "body in two DATA frames", 200, "abcd" },
        { "interim 100 before the final response", 200, "ok" },
        { "trailers end the stream", 200, "abc" },
        { "padded DATA", 200, "xyz" },
        { "END_STREAM on HEADERS", 204, "" },
        { "empty DATA with END_STREAM after the body", 200, "ab" },
        { "header block split by CONTINUATION", 404, "" },
    };

    [Theory]
    [MemberData(nameof(LegalShapes))]
    public async Task Response_LegalShape_IsReportedWithStatusAndWholeBody(string shape, int status, string body)
    {
        await using var setup = await HeldStreamAsync();

        setup.Connection.Send(Frames(shape));
        Assert.True(await setup.Handler.WaitForOutcomesAsync(1, s_wait));

        setup.Handler.AssertExactlyOneOutcomeEach(1);
        Assert.Equal(status, setup.Handler.Status(0));
        Assert.Equal(body, Encoding.ASCII.GetString(setup.Handler.Body(0)));
        Assert.Equal(0, setup.Client.Counters.ProtocolErrors);
    }

    [Theory]
    [InlineData("DATA before HEADERS")]
    [InlineData("a response without :status")]
    [InlineData("WINDOW_UPDATE of 0 on the stream")]
    public async Task StreamError_OnOneStream_ResetsThatStreamOnlyAndTheConnectionServesOn(string error)
    {
        await using var setup = await HeldStreamAsync(requests: 2);

        setup.Connection.Send(error switch
        {
            "DATA before HEADERS" => PeerFrames.DataFrame(1, "x"u8.ToArray()),
            "a response without :status" => PeerFrames.HeadersFrame(1, [0x84], PeerFrames.EndHeaders | PeerFrames.EndStream),
            _ => PeerFrames.WindowUpdateFrame(1, 0),
        });
        var reset = await setup.Connection.WaitForFrameAsync(f => f.Type == Http2FrameType.RstStream, s_wait);
        setup.Connection.Answer(3);
        Assert.True(await setup.Handler.WaitForOutcomesAsync(2, s_wait));

        setup.Handler.AssertExactlyOneOutcomeEach(2);
        Assert.Equal(1, reset?.StreamId);
        Assert.Equal(Http2ErrorCode.ProtocolError, reset?.ErrorCode);
        Assert.Equal(Http2StreamFailure.ProtocolError, setup.Handler.FailureOf(0));
        Assert.Equal(200, setup.Handler.Status(1));
        Assert.Equal(0, setup.Client.Counters.ProtocolErrors);
        Assert.Null(await setup.Connection.WaitForFrameAsync(f => f.Type == Http2FrameType.GoAway, TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task PriorityAndUnknownFrames_OnALiveConnection_AreIgnoredAndTheConnectionServesOn()
    {
        // RFC 9113 section 5.3.2 (PRIORITY is deprecated, may arrive on any stream, idle and closed ones included) and
        // section 4.1 (unknown types, whatever their flags, stream or length, are ignored).
        await using var held = await HeldStreams.StartAsync(requests: 2, capacity: 3);
        byte[] ignored = [
            .. Priority(1, dependency: 0, weight: 15),
            .. Priority(99, dependency: 1, weight: 0),
            .. Priority(3, dependency: 0x8000_0001, weight: 255),
            .. RawFrame.Build(0x20, 0xFF, 0, new byte[10]),
            .. RawFrame.Build(0xFA, 0x00, 1),
            .. RawFrame.Build(0x0B, 0x05, 77, new byte[16_384]),
            .. RawFrame.Build(0xFF, 0x00, 0x8000_0003, 1, 2, 3)];

        held.Connection.Send(ignored);
        held.Connection.Answer(1);
        held.Connection.Answer(3);
        Assert.True(await held.Handler.WaitForOutcomesAsync(2, s_wait));
        held.Connection.Send([.. Priority(1, dependency: 3, weight: 7), .. RawFrame.Build(0x21, 0, 3, 9)]);
        SendDriver.SendAll(held.Client, 2, 1, t => PeerRequests.TrySend(held.Client, t), 1, s_wait);
        Assert.True(await held.Connection.WaitForRequestsAsync(3, s_wait));
        held.Connection.Answer(5);
        Assert.True(await held.Handler.WaitForOutcomesAsync(3, s_wait));
        await held.SyncAsync();

        held.AssertEveryOneServedAndNothingElse(3);
        Assert.Equal(1, held.Peer.ConnectionCount);
    }

    [Fact]
    public async Task Response_ForAStreamAlreadyTimedOut_IsDecodedButNotReportedAgain()
    {
        // The late header block still goes through the HPACK decoder, so a later indexed field still resolves.
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Reply = _ => RawPeerReply.Hold });
        var handler = new RecordingResponseHandler(2);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri, requestTimeout: TimeSpan.FromMilliseconds(200)), handler);
        SendDriver.SendAll(client, 0, 1, t => PeerRequests.TrySend(client, t), 1, s_wait);
        Assert.True(await handler.WaitForOutcomesAsync(1, s_wait));
        var connection = await peer.ConnectionAsync(0);

        // Stream 1 (timed out): :status 299 with incremental indexing, now dynamic entry 62.
        connection.Send([.. PeerFrames.HeadersFrame(1, [0x48, 0x03, (byte)'2', (byte)'9', (byte)'9']), .. PeerFrames.DataFrame(1, "late"u8.ToArray())]);
        SendDriver.SendAll(client, 1, 1, t => PeerRequests.TrySend(client, t), 1, s_wait);
        Assert.True(await connection.WaitForRequestsAsync(2, s_wait));
        connection.Send([.. PeerFrames.HeadersFrame(3, [0xBE]), .. PeerFrames.DataFrame(3, "ok"u8.ToArray())]);
        Assert.True(await handler.WaitForOutcomesAsync(2, s_wait));

        handler.AssertExactlyOneOutcomeEach(2);
        Assert.Equal(Http2StreamFailure.Timeout, handler.FailureOf(0));
        Assert.Equal(299, handler.Status(1));
        Assert.Equal(0, client.Counters.ProtocolErrors);
    }

    private static byte[] Frames(string shape) => shape switch
    {
        "body in two DATA frames" => [.. PeerFrames.HeadersFrame(1, [0x88]), .. PeerFrames.DataFrame(1, "ab"u8.ToArray(), 0), .. PeerFrames.DataFrame(1, "cd"u8.ToArray())],
        "interim 100 before the final response" => [.. PeerFrames.HeadersFrame(1, s_status100), .. PeerFrames.HeadersFrame(1, [0x88]), .. PeerFrames.DataFrame(1, "ok"u8.ToArray())],
        "trailers end the stream" => [
            .. PeerFrames.HeadersFrame(1, [0x88]),
            .. PeerFrames.DataFrame(1, "abc"u8.ToArray(), 0),
            .. PeerFrames.HeadersFrame(1, [0x00, 0x03, (byte)'x', (byte)'-', (byte)'t', 0x01, (byte)'1'], PeerFrames.EndHeaders | PeerFrames.EndStream)],
        "padded DATA" => [.. PeerFrames.HeadersFrame(1, [0x88]), .. RawFrame.Build(PeerFrames.Data, 0x08 | PeerFrames.EndStream, 1, 4, (byte)'x', (byte)'y', (byte)'z', 0, 0, 0, 0)],
        "END_STREAM on HEADERS" => PeerFrames.HeadersFrame(1, [0x89], PeerFrames.EndHeaders | PeerFrames.EndStream),
        "empty DATA with END_STREAM after the body" => [.. PeerFrames.HeadersFrame(1, [0x88]), .. PeerFrames.DataFrame(1, "ab"u8.ToArray(), 0), .. PeerFrames.DataFrame(1, [])],
        "header block split by CONTINUATION" => [
            .. PeerFrames.HeadersFrame(1, [0x8D, 0x00, 0x03, (byte)'x', (byte)'-', (byte)'a'], PeerFrames.EndStream),
            .. PeerFrames.ContinuationFrame(1, [0x01, (byte)'1'], PeerFrames.EndHeaders)],
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "unknown shape"),
    };

    // RFC 9113 section 6.3: Exclusive (1) and Stream Dependency (31), then Weight (8).
    private static byte[] Priority(uint streamId, uint dependency, byte weight) =>
        RawFrame.Build(0x2, 0, streamId, [.. RawFrame.U32(dependency), weight]);

    private static async Task<Setup> HeldStreamAsync(int requests = 1)
    {
        var peer = RawHttp2Peer.Start(new RawPeerOptions { Reply = _ => RawPeerReply.Hold });
        var handler = new RecordingResponseHandler(requests);
        var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri), handler);
        SendDriver.SendAll(client, 0, requests, t => PeerRequests.TrySend(client, t), requests, s_wait);
        var connection = await peer.ConnectionAsync(0);
        Assert.True(await connection.WaitForRequestsAsync(requests, s_wait));
        return new Setup(peer, client, handler, connection);
    }

    private sealed record Setup(RawHttp2Peer Peer, Http2Client Client, RecordingResponseHandler Handler, RawPeerConnection Connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            Peer.Dispose();
        }
    }
}
