using System.Reflection;
using Oms.Transport.Tests.Http2;

namespace Oms.Transport.Tests.Connections;

/// <summary>
/// A server that misbehaves without breaking a framing rule the reader already polices: bodies without end, header
/// blocks without end, malformed responses, requests it never answers, PINGs it ignores. Each case ends in bounded
/// time and memory with a defined outcome.
/// </summary>
public sealed class Http2ConnectionHostilePeerTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task BufferedBody_ConnectionCreditIsHeldUntilTheStreamEnds_ThenReturnedWhole()
    {
        // A 65,535-octet connection window returns credit once half of it is released. Three 16 KiB frames of one body
        // are buffered, not consumed: no connection credit may go back until the body ends.
        await using var held = await HeldStreams.StartAsync(requests: 1, options: uri => Options(uri) with { ConnectionReceiveWindow = 65_535, MaxResponseBodySize = 65_535 });
        var frame = new byte[16_384];

        held.Connection.Send([
            .. PeerFrames.HeadersFrame(1, [0x88]), .. PeerFrames.DataFrame(1, frame, 0), .. PeerFrames.DataFrame(1, frame, 0),
            .. PeerFrames.DataFrame(1, frame, 0)]);
        await held.SyncAsync();
        var whileBuffered = held.FramesOf(Http2FrameType.WindowUpdate).Count(f => f.StreamId == 0);
        held.Connection.Send(PeerFrames.DataFrame(1, []));
        Assert.True(await held.Handler.WaitForOutcomesAsync(1, s_wait));
        await held.SyncAsync();

        Assert.Equal(0, whileBuffered);
        Assert.Equal(3 * 16_384, held.Handler.Body(0).Length);
        Assert.Contains(held.FramesOf(Http2FrameType.WindowUpdate), f => f.StreamId == 0 && f.Increment == 3 * 16_384);
    }

    [Fact]
    public async Task Body_PastTheLimit_ReportedTruncatedWithItsFirstOctetsStreamResetCancelAndTheConnectionServesOn()
    {
        await using var held = await HeldStreams.StartAsync(requests: 2, options: uri => Options(uri) with { MaxResponseBodySize = 20_000 });
        var frame = new byte[16_384];
        frame.AsSpan().Fill((byte)'a');

        held.Connection.Send([.. PeerFrames.HeadersFrame(1, [0x88]), .. PeerFrames.DataFrame(1, frame, 0), .. PeerFrames.DataFrame(1, frame, 0)]);
        Assert.True(await held.Handler.WaitForOutcomesAsync(1, s_wait));
        held.Connection.Send([.. PeerFrames.DataFrame(1, frame, 0), .. PeerFrames.HeadersFrame(3, [0x88]), .. PeerFrames.DataFrame(3, "ok"u8.ToArray())]);
        Assert.True(await held.Handler.WaitForOutcomesAsync(2, s_wait));
        await held.SyncAsync();

        held.Handler.AssertExactlyOneOutcomeEach(2);
        Assert.True(held.Handler.Truncated(0));
        Assert.Equal(200, held.Handler.Status(0));
        Assert.Equal(20_000, held.Handler.Body(0).Length);
        Assert.All(held.Handler.Body(0), b => Assert.Equal((byte)'a', b));
        Assert.False(held.Handler.Truncated(1));
        Assert.Equal("ok"u8.ToArray(), held.Handler.Body(1));
        Assert.Contains(held.FramesOf(Http2FrameType.RstStream), f => f.StreamId == 1 && f.ErrorCode == Http2ErrorCode.Cancel);
        Assert.Empty(held.FramesOf(Http2FrameType.GoAway));
        Assert.Equal(1, held.Client.Counters.ResponsesTooLarge);

        // Everything the server sent, the late frame on the reset stream included, was given back to the connection.
        var returned = held.FramesOf(Http2FrameType.WindowUpdate).Where(f => f.StreamId == 0).Sum(f => (long)f.Increment);
        Assert.True(returned >= 3 * 16_384, $"only {returned} octets of connection credit returned");
    }

    [Fact]
    public async Task HeaderBlock_EndlessEmptyContinuationFrames_GoAwayEnhanceYourCalmAndStreamsFail()
    {
        await using var held = await HeldStreams.StartAsync(requests: 2, options: uri => Options(uri) with { MaxHeaderBlockFrames = 16 });
        var frames = new List<byte>(PeerFrames.HeadersFrame(1, [0x88], 0));
        for (var i = 0; i < 100; i++)
        {
            frames.AddRange(PeerFrames.ContinuationFrame(1, [], 0));
        }

        held.Connection.Send([.. frames]);

        await AssertClosedWithAsync(held, Http2ErrorCode.EnhanceYourCalm);
    }

    [Fact]
    public async Task HeaderBlock_NeverFinished_ClosedWithEnhanceYourCalmAfterTheHeaderBlockTimeout()
    {
        await using var held = await HeldStreams.StartAsync(
            requests: 2, options: uri => Options(uri) with { HeaderBlockTimeout = TimeSpan.FromMilliseconds(300) });

        held.Connection.Send([.. PeerFrames.HeadersFrame(1, [0x88], 0), .. PeerFrames.ContinuationFrame(1, [], 0)]);

        await AssertClosedWithAsync(held, Http2ErrorCode.EnhanceYourCalm);
    }

    public static TheoryData<string> MalformedResponses => new()
    {
        "an interim 1xx response with END_STREAM",
        "an upper-case field name",
        "a pseudo-header after a regular field",
        "two :status fields",
        "a request pseudo-header in a response",
        "a pseudo-header in trailers",
    };

    [Theory]
    [MemberData(nameof(MalformedResponses))]
    public async Task Response_Malformed_StreamResetProtocolErrorFailsAsProtocolErrorAndTheOtherIsServed(string malformed)
    {
        await using var held = await HeldStreams.StartAsync(requests: 2);

        held.Connection.Send(MalformedFrames(malformed));
        held.Connection.Send([.. PeerFrames.HeadersFrame(3, [0x88]), .. PeerFrames.DataFrame(3, "ok"u8.ToArray())]);
        Assert.True(await held.Handler.WaitForOutcomesAsync(2, s_wait));
        await held.SyncAsync();

        held.Handler.AssertExactlyOneOutcomeEach(2);
        Assert.Equal(Http2StreamFailure.ProtocolError, held.Handler.FailureOf(0));
        Assert.Equal(200, held.Handler.Status(1));
        Assert.Contains(held.FramesOf(Http2FrameType.RstStream), f => f.StreamId == 1 && f.ErrorCode == Http2ErrorCode.ProtocolError);
        Assert.Empty(held.FramesOf(Http2FrameType.GoAway));
    }

    [Fact]
    public async Task ConnectionError_WhileTheSenderHoldsTheWriteSide_GoAwayStillLeavesBeforeTheSocketCloses()
    {
        await using var held = await HeldStreams.StartAsync(requests: 1);
        var connection = held.Client.ConnectionAt(0)!;
        var writer = typeof(Http2Connection).GetField("_writer", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(connection)!;
        var writeLock = (Lock)typeof(RequestWriter).GetField("_writeLock", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(writer)!;
        using var holding = new ManualResetEventSlim();

        // The sending thread holds the write side for 200 ms while the violation arrives: the reader must wait for it
        // (boundedly) rather than close without a GOAWAY.
        var sender = new Thread(() =>
        {
            writeLock.Enter();
            holding.Set();
            Thread.Sleep(200);
            writeLock.Exit();
        }) { IsBackground = true };
        sender.Start();
        holding.Wait(s_wait);
        held.Connection.Send(PeerFrames.DataFrame(0, [1]));
        Assert.True(sender.Join(s_wait));

        await AssertClosedWithAsync(held, Http2ErrorCode.ProtocolError, streams: 1);
    }

    [Fact]
    public async Task Requests_TimingOutInARow_ConnectionRetiredWithGoAwayAndReplacedThenServes()
    {
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Reply = c => c.ConnectionIndex == 0 ? RawPeerReply.Hold : RawPeerReply.Answer });
        var handler = new RecordingResponseHandler(4);
        await using var client = await Http2Client.ConnectAsync(
            Options(peer.BaseUri) with { RequestTimeout = TimeSpan.FromMilliseconds(200), MaxConsecutiveTimeouts = 3, ReconnectMinDelay = TimeSpan.FromMilliseconds(10) }, handler);
        var first = await peer.ConnectionAsync(0);

        SendDriver.SendAll(client, 0, 3, t => PeerRequests.TrySend(client, t), 3, s_wait);
        Assert.True(await handler.WaitForOutcomesAsync(3, s_wait));
        var goAway = await first.WaitForFrameAsync(f => f.Type == Http2FrameType.GoAway, s_wait);
        await first.Closed.WaitAsync(s_wait);
        await peer.ConnectionAsync(1);
        SendDriver.SendAll(client, 3, 1, t => PeerRequests.TrySend(client, t), 1, s_wait);
        Assert.True(await handler.WaitForOutcomesAsync(4, s_wait));

        Assert.All([0, 1, 2], t => Assert.Equal(Http2StreamFailure.Timeout, handler.FailureOf(t)));
        Assert.Equal(Http2ErrorCode.NoError, goAway?.ErrorCode);
        Assert.Equal(1, client.Counters.ConnectionsRetired);
        Assert.Equal(200, handler.Status(3));
    }

    [Fact]
    public async Task Ping_Unanswered_ConnectionRetiredAndItsOpenStreamsFailAsLost()
    {
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Reply = _ => RawPeerReply.Hold, AnswerPings = false });
        var handler = new RecordingResponseHandler(1);
        await using var client = await Http2Client.ConnectAsync(
            Options(peer.BaseUri) with { PingInterval = TimeSpan.FromMilliseconds(100), PingTimeout = TimeSpan.FromMilliseconds(300) }, handler);
        var first = await peer.ConnectionAsync(0);
        SendDriver.SendAll(client, 0, 1, t => PeerRequests.TrySend(client, t), 1, s_wait);

        Assert.True(await handler.WaitForOutcomesAsync(1, s_wait));
        await first.Closed.WaitAsync(s_wait);

        Assert.Equal(Http2StreamFailure.ConnectionLost, handler.FailureOf(0));
        Assert.Equal(1, client.Counters.ConnectionsRetired);
        Assert.NotNull(await first.WaitForFrameAsync(f => f.Type == Http2FrameType.GoAway, s_wait));
    }

    [Fact]
    public async Task Send_AfterATimeoutOnOneConnection_GoesToTheHealthyOneEveryTime()
    {
        // Two connections; the server never answers on the first it accepted. Retirement is off (a high limit), so
        // only the routing keeps requests away from it once one timed out there.
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Reply = c => c.ConnectionIndex == 0 ? RawPeerReply.Hold : RawPeerReply.Answer });
        var handler = new RecordingResponseHandler(40);
        await using var client = await Http2Client.ConnectAsync(
            Options(peer.BaseUri) with { ConnectionCount = 2, RequestTimeout = TimeSpan.FromMilliseconds(200), MaxConsecutiveTimeouts = 1000 }, handler);
        var silent = await peer.ConnectionAsync(0);
        await peer.ConnectionAsync(1);

        // One request at a time, one flush each (the client moves to the next connection at every flush), until one has
        // timed out on the silent connection.
        var token = 0;
        do
        {
            Assert.Equal(Http2SendResult.Sent, PeerRequests.TrySend(client, token));
            client.Flush();
            Assert.True(await handler.WaitForOutcomesAsync(token + 1, s_wait));
            token++;
        }
        while (handler.IsResponse(token - 1) && token < 10);

        var heldBefore = silent.RequestsReceived;
        for (var i = 0; i < 20; i++, token++)
        {
            Assert.Equal(Http2SendResult.Sent, PeerRequests.TrySend(client, token));
            client.Flush();
            Assert.True(await handler.WaitForOutcomesAsync(token + 1, s_wait));
        }

        Assert.Equal(Http2StreamFailure.Timeout, handler.FailureOf(token - 21));
        Assert.Equal(heldBefore, silent.RequestsReceived);
        Assert.All(Enumerable.Range(token - 20, 20), t => Assert.Equal(200, handler.Status(t)));
    }

    [Fact]
    public async Task Connect_ServerSendsGoAwayRightAfterItsSettingsOnEveryConnection_ThrowsHttp2ConnectExceptionSayingSo()
    {
        // SETTINGS and GOAWAY leave in one write. The reader nearly always handles both before the connect resumes
        // ("GOAWAY ... right after its SETTINGS"); if the connect resumes first, the client finds no connection open
        // ("closed every connection as soon as it opened"). Either way a connect failure, never a bug.
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Opening = RawPeerOpening.GoAway });

        var error = await Assert.ThrowsAsync<Http2ConnectException>(
            () => Http2Client.ConnectAsync(Options(peer.BaseUri) with { ConnectionCount = 2 }, new RecordingResponseHandler(1)).WaitAsync(s_wait));

        Assert.True(
            error.Message.Contains("GOAWAY NoError right after its SETTINGS", StringComparison.Ordinal)
            || error.Message.Contains("closed every connection as soon as it opened", StringComparison.Ordinal),
            error.Message);
    }

    private static Http2ClientOptions Options(Uri uri) => PeerRequests.Options(uri);

    private static async Task AssertClosedWithAsync(HeldStreams held, Http2ErrorCode code, int streams = 2)
    {
        var goAway = await held.Connection.WaitForFrameAsync(f => f.Type == Http2FrameType.GoAway, s_wait);
        Assert.True(await held.Handler.WaitForOutcomesAsync(streams, s_wait));
        await held.Connection.Closed.WaitAsync(s_wait);

        Assert.Equal(code, goAway?.ErrorCode);
        held.Handler.AssertExactlyOneOutcomeEach(streams);
        Assert.All(Enumerable.Range(0, streams), t => Assert.Equal(Http2StreamFailure.ProtocolError, held.Handler.FailureOf(t)));
        Assert.Equal(1, held.Client.Counters.ProtocolErrors);
    }

    // Header blocks by hand (RFC 7541): 0x88 is :status 200 (static index 8), 0x89 :status 204, 0x8D :status 404,
    // 0x82 :method GET; 0x00 starts a literal field without indexing with a literal name.
    private static byte[] MalformedFrames(string malformed) => malformed switch
    {
        // :status 100 is a literal with indexed name 8, value "100".
        "an interim 1xx response with END_STREAM" => PeerFrames.HeadersFrame(1, [0x08, 0x03, (byte)'1', (byte)'0', (byte)'0'], PeerFrames.EndHeaders | PeerFrames.EndStream),
        "an upper-case field name" => PeerFrames.HeadersFrame(1, [0x88, 0x00, 0x03, (byte)'X', (byte)'-', (byte)'a', 0x01, (byte)'1'], PeerFrames.EndHeaders | PeerFrames.EndStream),
        "a pseudo-header after a regular field" => PeerFrames.HeadersFrame(1, [0x00, 0x03, (byte)'x', (byte)'-', (byte)'a', 0x01, (byte)'1', 0x88], PeerFrames.EndHeaders | PeerFrames.EndStream),
        "two :status fields" => PeerFrames.HeadersFrame(1, [0x88, 0x8D], PeerFrames.EndHeaders | PeerFrames.EndStream),
        "a request pseudo-header in a response" => PeerFrames.HeadersFrame(1, [0x88, 0x82], PeerFrames.EndHeaders | PeerFrames.EndStream),
        "a pseudo-header in trailers" => [.. PeerFrames.HeadersFrame(1, [0x88]), .. PeerFrames.DataFrame(1, "x"u8.ToArray(), 0), .. PeerFrames.HeadersFrame(1, [0x89], PeerFrames.EndHeaders | PeerFrames.EndStream)],
        _ => throw new ArgumentOutOfRangeException(nameof(malformed), malformed, "unknown case"),
    };
}
