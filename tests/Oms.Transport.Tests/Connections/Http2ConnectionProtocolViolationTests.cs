using Oms.Transport.Tests.Http2;

namespace Oms.Transport.Tests.Connections;

/// <summary>
/// A server that breaks the protocol: the connection is closed with GOAWAY carrying the error code RFC 9113
/// prescribes, every open stream fails with ProtocolError, once, and nothing is left throwing in the background.
/// </summary>
[Collection(NonParallelCollection.Name)]
public sealed class Http2ConnectionProtocolViolationTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    // Public for xunit, so typed by what it enumerates: the element types are internal.
    public static IEnumerable<object?[]> Violations => new TheoryData<string, Http2ErrorCode>()
    {
        { "garbage instead of frames", Http2ErrorCode.FrameSizeError },
        { "a frame longer than our max frame size", Http2ErrorCode.FrameSizeError },
        { "DATA on stream 0", Http2ErrorCode.ProtocolError },
        { "DATA on a stream never opened", Http2ErrorCode.ProtocolError },
        { "DATA padding longer than the payload", Http2ErrorCode.ProtocolError },
        { "HEADERS on a server-initiated stream", Http2ErrorCode.ProtocolError },
        { "HEADERS on a stream never opened", Http2ErrorCode.ProtocolError },
        { "PUSH_PROMISE although push is off", Http2ErrorCode.ProtocolError },
        { "SETTINGS on a stream", Http2ErrorCode.ProtocolError },
        { "SETTINGS of 5 octets", Http2ErrorCode.FrameSizeError },
        { "SETTINGS ACK with a payload", Http2ErrorCode.FrameSizeError },
        { "SETTINGS_ENABLE_PUSH = 1 from a server", Http2ErrorCode.ProtocolError },
        { "SETTINGS_INITIAL_WINDOW_SIZE over 2^31-1", Http2ErrorCode.FlowControlError },
        { "SETTINGS_MAX_FRAME_SIZE below 16384", Http2ErrorCode.ProtocolError },
        { "PING on a stream", Http2ErrorCode.ProtocolError },
        { "PING of 7 octets", Http2ErrorCode.FrameSizeError },
        { "RST_STREAM on stream 0", Http2ErrorCode.ProtocolError },
        { "GOAWAY on a stream", Http2ErrorCode.ProtocolError },
        { "WINDOW_UPDATE of 0 on the connection", Http2ErrorCode.ProtocolError },
        { "WINDOW_UPDATE taking the connection window past 2^31-1", Http2ErrorCode.FlowControlError },
        { "WINDOW_UPDATE on a stream never opened", Http2ErrorCode.ProtocolError },
        { "CONTINUATION without HEADERS", Http2ErrorCode.ProtocolError },
        { "a PING inside a header block", Http2ErrorCode.ProtocolError },
        { "CONTINUATION for another stream inside a header block", Http2ErrorCode.ProtocolError },
        { "HPACK index 0", Http2ErrorCode.CompressionError },
        { "HPACK index beyond both tables", Http2ErrorCode.CompressionError },
        { "a response header list over our limit", Http2ErrorCode.CompressionError },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    internal async Task Violation_WithTwoStreamsOpen_GoAwayWithTheRightCodeAndBothStreamsFailProtocolError(string violation, Http2ErrorCode expected)
    {
        using var probe = new UnobservedExceptionProbe();
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Reply = _ => RawPeerReply.Hold });
        var handler = new RecordingResponseHandler(2);
        var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri), handler);
        var connection = await peer.ConnectionAsync(0);
        SendDriver.SendAll(client, 0, 2, t => PeerRequests.TrySend(client, t), 2, s_wait);
        Assert.True(await connection.WaitForRequestsAsync(2, s_wait));

        connection.Send(Bytes(violation));
        var goAway = await connection.WaitForFrameAsync(f => f.Type == Http2FrameType.GoAway, s_wait);
        var outcomes = await handler.WaitForOutcomesAsync(2, s_wait);
        await connection.Closed.WaitAsync(s_wait);
        await client.DisposeAsync().AsTask().WaitAsync(s_wait);

        Assert.NotNull(goAway);
        Assert.Equal(expected, goAway.Value.ErrorCode);
        Assert.True(outcomes);
        handler.AssertExactlyOneOutcomeEach(2);
        Assert.Equal(Http2StreamFailure.ProtocolError, handler.FailureOf(0));
        Assert.Equal(Http2StreamFailure.ProtocolError, handler.FailureOf(1));
        Assert.Equal(1, client.Counters.ProtocolErrors);
        Assert.Equal(0, client.Counters.HandlerExceptions);
        Assert.Null(connection.Error);
        Assert.Empty(probe.CollectTransportExceptions());
    }

    [Fact]
    public async Task ConnectionReceiveWindow_OverrunByOneOctet_GoAwayFlowControlErrorAndBothStreamsFail()
    {
        // Our connection window is 65,535 octets and its credit is held until it is used up: three full frames leave
        // 16,383, which a fourth full frame overruns (RFC 9113 section 6.9.1), whichever streams they are on. The
        // stream windows are 1 MiB.
        using var probe = new UnobservedExceptionProbe();
        await using var held = await HeldStreams.StartAsync(requests: 2, options: uri => WithHeldCredit(uri, connectionWindow: 65_535, streamWindow: 1 << 20));
        var frame = new byte[16_384];

        held.Connection.Send([
            .. PeerFrames.HeadersFrame(1, [0x88]), .. PeerFrames.HeadersFrame(3, [0x88]),
            .. PeerFrames.DataFrame(1, frame, 0), .. PeerFrames.DataFrame(1, frame, 0), .. PeerFrames.DataFrame(3, frame, 0),
            .. PeerFrames.DataFrame(3, frame, 0)]);

        await AssertConnectionErrorAsync(held, probe, Http2ErrorCode.FlowControlError);
    }

    [Fact]
    public async Task ConnectionReceiveWindow_UsedExactly_CreditIsReturnedAndTheResponseCompletes()
    {
        // The counterpart of the overrun: the same window filled to the last octet is legal, and then credited.
        await using var held = await HeldStreams.StartAsync(requests: 1, options: uri => WithHeldCredit(uri, connectionWindow: 65_535, streamWindow: 1 << 20));
        var frame = new byte[16_384];

        held.Connection.Send([
            .. PeerFrames.HeadersFrame(1, [0x88]),
            .. PeerFrames.DataFrame(1, frame, 0), .. PeerFrames.DataFrame(1, frame, 0), .. PeerFrames.DataFrame(1, frame, 0),
            .. PeerFrames.DataFrame(1, new byte[16_383])]);
        Assert.True(await held.Handler.WaitForOutcomesAsync(1, s_wait));
        await held.SyncAsync();

        Assert.Equal(200, held.Handler.Status(0));
        Assert.Equal(65_535, held.Handler.Body(0).Length);
        Assert.Contains(held.FramesOf(Http2FrameType.WindowUpdate), f => f.StreamId == 0 && f.Increment == 65_535);
        Assert.Empty(held.FramesOf(Http2FrameType.GoAway));
    }

    [Fact]
    public async Task StreamReceiveWindow_OverrunByOneOctet_ResetsThatStreamWithFlowControlErrorAndTheOtherIsServed()
    {
        // Our stream windows are 65,535 octets, credit held until used up; the connection window is large.
        using var probe = new UnobservedExceptionProbe();
        await using var held = await HeldStreams.StartAsync(requests: 2, options: uri => WithHeldCredit(uri, connectionWindow: 16 << 20, streamWindow: 65_535));
        var frame = new byte[16_384];

        held.Connection.Send([
            .. PeerFrames.HeadersFrame(1, [0x88]),
            .. PeerFrames.DataFrame(1, frame, 0), .. PeerFrames.DataFrame(1, frame, 0), .. PeerFrames.DataFrame(1, frame, 0),
            .. PeerFrames.DataFrame(1, frame, 0)]);
        var reset = await held.Connection.WaitForFrameAsync(f => f.Type == Http2FrameType.RstStream, s_wait);
        held.Connection.Answer(3);
        Assert.True(await held.Handler.WaitForOutcomesAsync(2, s_wait));
        await held.SyncAsync();

        held.AssertOnlyTheFirstStreamReset(reset, Http2ErrorCode.FlowControlError);
        Assert.Empty(probe.CollectTransportExceptions());
    }

    [Theory]
    [InlineData("DATA")]
    [InlineData("HEADERS")]
    public async Task FrameOnAStream_AfterItsEndStream_GoAwayStreamClosedAndTheOtherStreamFails(string frame)
    {
        // RFC 9113 section 5.1, "closed": any frame after END_STREAM (but WINDOW_UPDATE, RST_STREAM, PRIORITY) is a
        // connection error of type STREAM_CLOSED.
        using var probe = new UnobservedExceptionProbe();
        await using var held = await HeldStreams.StartAsync(requests: 2);
        held.Connection.Answer(1);
        Assert.True(await held.Handler.WaitForTokenAsync(0, s_wait));

        held.Connection.Send(frame == "DATA" ? PeerFrames.DataFrame(1, "x"u8.ToArray()) : PeerFrames.HeadersFrame(1, [0x88], PeerFrames.EndHeaders | PeerFrames.EndStream));
        var goAway = await held.Connection.WaitForFrameAsync(f => f.Type == Http2FrameType.GoAway, s_wait);
        Assert.True(await held.Handler.WaitForOutcomesAsync(2, s_wait));
        await held.Connection.Closed.WaitAsync(s_wait);

        Assert.Equal(Http2ErrorCode.StreamClosed, goAway?.ErrorCode);
        held.Handler.AssertExactlyOneOutcomeEach(2);
        Assert.Equal(200, held.Handler.Status(0));
        Assert.Equal(Http2StreamFailure.ProtocolError, held.Handler.FailureOf(1));
        Assert.Equal(1, held.Client.Counters.ProtocolErrors);
        Assert.Equal(0, held.Client.Counters.HandlerExceptions);
        Assert.Null(held.Connection.Error);
        Assert.Empty(probe.CollectTransportExceptions());
    }

    [Theory]
    [InlineData("DATA")]
    [InlineData("HEADERS")]
    [InlineData("WINDOW_UPDATE")]
    public async Task FrameOnAStream_AfterThePeerResetIt_RstStreamStreamClosedOnceAndTheConnectionServesOn(string frame)
    {
        // RFC 9113 section 5.1, "closed": any frame but PRIORITY after the peer's RST_STREAM is a stream error of
        // type STREAM_CLOSED; once we have reset the stream, what follows on it is ignored.
        await using var held = await HeldStreams.StartAsync(requests: 2);
        held.Connection.Send(PeerFrames.RstStreamFrame(1, Http2ErrorCode.Cancel));
        Assert.True(await held.Handler.WaitForTokenAsync(0, s_wait));

        // A header block after the reset is decoded all the same: its literal with incremental indexing becomes dynamic
        // entry 62, which stream 3's answer then uses (RFC 7541 section 2.3.2).
        var late = frame switch
        {
            "DATA" => PeerFrames.DataFrame(1, "x"u8.ToArray()),
            "HEADERS" => PeerFrames.HeadersFrame(1, [0x48, 0x03, (byte)'2', (byte)'9', (byte)'9'], PeerFrames.EndHeaders | PeerFrames.EndStream),
            _ => PeerFrames.WindowUpdateFrame(1, 10),
        };
        held.Connection.Send([.. late, .. late]);
        byte[] status = frame == "HEADERS" ? [0xBE] : [0x88];
        held.Connection.Send([.. PeerFrames.HeadersFrame(3, status), .. PeerFrames.DataFrame(3, "ok"u8.ToArray())]);
        Assert.True(await held.Handler.WaitForOutcomesAsync(2, s_wait));
        await held.SyncAsync();

        var resets = held.FramesOf(Http2FrameType.RstStream);
        var reset = Assert.Single(resets);
        Assert.Equal(1, reset.StreamId);
        Assert.Equal(Http2ErrorCode.StreamClosed, reset.ErrorCode);
        held.Handler.AssertExactlyOneOutcomeEach(2);
        Assert.Equal(Http2StreamFailure.Reset, held.Handler.FailureOf(0));
        Assert.Equal(frame == "HEADERS" ? 299 : 200, held.Handler.Status(1));
        Assert.Empty(held.FramesOf(Http2FrameType.GoAway));
        Assert.Equal(0, held.Client.Counters.ProtocolErrors);
    }

    [Fact]
    public async Task ConnectAsync_ServerOpensWithPingInsteadOfSettings_FailsWithGoAwayProtocolErrorAndNothingUnobserved()
    {
        using var probe = new UnobservedExceptionProbe();
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { SendSettingsFirst = false });
        var handler = new RecordingResponseHandler(1);

        var error = await Assert.ThrowsAsync<Http2ConnectException>(() => Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri), handler));
        var connection = await peer.ConnectionAsync(0);
        var goAway = await connection.WaitForFrameAsync(f => f.Type == Http2FrameType.GoAway, s_wait);

        Assert.False(error.IsTrustFailure);
        Assert.Equal(Http2ErrorCode.ProtocolError, goAway?.ErrorCode);
        Assert.Equal(0, handler.Outcomes);
        Assert.Empty(probe.CollectTransportExceptions());
    }

    private static Http2ClientOptions WithHeldCredit(Uri uri, int connectionWindow, int streamWindow)
    {
        // A body as long as the smallest window must still fit it: its credit comes back only when it ends.
        return PeerRequests.Options(uri) with
        {
            ConnectionReceiveWindow = connectionWindow,
            StreamReceiveWindow = streamWindow,
            MaxResponseBodySize = Math.Min(connectionWindow, 64 * 1024),
            HoldReceiveCreditUntilExhausted = true,
        };
    }

    private static async Task AssertConnectionErrorAsync(HeldStreams held, UnobservedExceptionProbe probe, Http2ErrorCode expected)
    {
        var goAway = await held.Connection.WaitForFrameAsync(f => f.Type == Http2FrameType.GoAway, s_wait);
        var outcomes = await held.Handler.WaitForOutcomesAsync(2, s_wait);
        await held.Connection.Closed.WaitAsync(s_wait);

        Assert.Equal(expected, goAway?.ErrorCode);
        Assert.True(outcomes);
        held.Handler.AssertExactlyOneOutcomeEach(2);
        Assert.Equal(Http2StreamFailure.ProtocolError, held.Handler.FailureOf(0));
        Assert.Equal(Http2StreamFailure.ProtocolError, held.Handler.FailureOf(1));
        Assert.Equal(1, held.Client.Counters.ProtocolErrors);
        Assert.Equal(0, held.Client.Counters.HandlerExceptions);
        Assert.Null(held.Connection.Error);
        Assert.Empty(probe.CollectTransportExceptions());
    }

    private static byte[] Bytes(string violation) => violation switch
    {
        "garbage instead of frames" => PeerFrames.Garbage(),
        "a frame longer than our max frame size" => RawFrame.BuildWithLength(16_385, PeerFrames.Data, 0, 1, new byte[16_385]),
        "DATA on stream 0" => PeerFrames.DataFrame(0, "x"u8.ToArray()),
        "DATA on a stream never opened" => PeerFrames.DataFrame(99, "x"u8.ToArray()),
        "DATA padding longer than the payload" => RawFrame.Build(PeerFrames.Data, 0x08, 1, 10, 1, 2, 3),
        "HEADERS on a server-initiated stream" => PeerFrames.HeadersFrame(2, [0x88]),
        "HEADERS on a stream never opened" => PeerFrames.HeadersFrame(101, [0x88]),
        "PUSH_PROMISE although push is off" => PeerFrames.PushPromiseFrame(1, 2),
        "SETTINGS on a stream" => RawFrame.Build(PeerFrames.Settings, 0, 1),
        "SETTINGS of 5 octets" => RawFrame.Build(PeerFrames.Settings, 0, 0, 0, 3, 0, 0, 0),
        "SETTINGS ACK with a payload" => RawFrame.Build(PeerFrames.Settings, PeerFrames.Ack, 0, RawFrame.Setting(3, 1)),
        "SETTINGS_ENABLE_PUSH = 1 from a server" => PeerFrames.SettingsFrame((Http2SettingsParameter.EnablePush, 1)),
        "SETTINGS_INITIAL_WINDOW_SIZE over 2^31-1" => PeerFrames.SettingsFrame((Http2SettingsParameter.InitialWindowSize, 0x8000_0000)),
        "SETTINGS_MAX_FRAME_SIZE below 16384" => PeerFrames.SettingsFrame((Http2SettingsParameter.MaxFrameSize, 100)),
        "PING on a stream" => RawFrame.Build(PeerFrames.Ping, 0, 1, new byte[8]),
        "PING of 7 octets" => RawFrame.Build(PeerFrames.Ping, 0, 0, new byte[7]),
        "RST_STREAM on stream 0" => PeerFrames.RstStreamFrame(0, Http2ErrorCode.Cancel),
        "GOAWAY on a stream" => RawFrame.Build(PeerFrames.GoAway, 0, 1, new byte[8]),
        "WINDOW_UPDATE of 0 on the connection" => PeerFrames.WindowUpdateFrame(0, 0),
        "WINDOW_UPDATE taking the connection window past 2^31-1" => PeerFrames.WindowUpdateFrame(0, 0x7FFF_FFFF),
        "WINDOW_UPDATE on a stream never opened" => PeerFrames.WindowUpdateFrame(99, 1),
        "CONTINUATION without HEADERS" => PeerFrames.ContinuationFrame(1, [0x88]),
        "a PING inside a header block" => [.. PeerFrames.HeadersFrame(1, [0x88], flags: 0), .. PeerFrames.PingFrame(1)],
        "CONTINUATION for another stream inside a header block" => [.. PeerFrames.HeadersFrame(1, [0x88], flags: 0), .. PeerFrames.ContinuationFrame(3, [])],
        "HPACK index 0" => PeerFrames.HeadersFrame(1, [0x80]),
        "HPACK index beyond both tables" => PeerFrames.HeadersFrame(1, [0xFF, 0x00]),
        "a response header list over our limit" => PeerFrames.HugeHeaderBlockFrames(1, 70_000),
        _ => throw new ArgumentOutOfRangeException(nameof(violation), violation, "unknown case"),
    };
}
