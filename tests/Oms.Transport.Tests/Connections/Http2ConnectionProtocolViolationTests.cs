using Oms.Transport.Client;
using Oms.Transport.Http2;
using Oms.Transport.Tests.Http2;
using Oms.Transport.Tests.Support;

namespace Oms.Transport.Tests.Connections;

/// <summary>
/// A server that breaks the protocol: the connection is closed with GOAWAY carrying the error code RFC 9113
/// prescribes, every open stream fails with ProtocolError, once, and nothing is left throwing in the background.
/// </summary>
[Collection(NonParallelCollection.Name)]
public sealed class Http2ConnectionProtocolViolationTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    public static TheoryData<string, Http2ErrorCode> Violations => new()
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
        { "CONTINUATION without HEADERS", Http2ErrorCode.ProtocolError },
        { "a PING inside a header block", Http2ErrorCode.ProtocolError },
        { "HPACK index 0", Http2ErrorCode.CompressionError },
        { "HPACK index beyond both tables", Http2ErrorCode.CompressionError },
        { "a response header list over our limit", Http2ErrorCode.CompressionError },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task Violation_WithTwoStreamsOpen_GoAwayWithTheRightCodeAndBothStreamsFailProtocolError(string violation, Http2ErrorCode expected)
    {
        using var probe = new UnobservedExceptionProbe();
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Reply = _ => RawPeerReply.Hold });
        var handler = new RecordingResponseHandler(2);
        var pool = await Http2ConnectionPool.ConnectAsync(PeerRequests.Options(peer.BaseUri), handler);
        var connection = await peer.ConnectionAsync(0);
        SendDriver.SendAll(pool, 0, 2, t => PeerRequests.TrySend(pool, t), 2, s_wait);
        Assert.True(await connection.WaitForRequestsAsync(2, s_wait));

        connection.Send(Bytes(violation));
        var goAway = await connection.WaitForFrameAsync(f => f.Type == Http2FrameType.GoAway, s_wait);
        var outcomes = await handler.WaitForOutcomesAsync(2, s_wait);
        await connection.Closed.WaitAsync(s_wait);
        await pool.DisposeAsync().AsTask().WaitAsync(s_wait);

        Assert.NotNull(goAway);
        Assert.Equal(expected, goAway.Value.ErrorCode);
        Assert.True(outcomes);
        handler.AssertExactlyOneOutcomeEach(2);
        Assert.Equal(Http2StreamFailure.ProtocolError, handler.FailureOf(0));
        Assert.Equal(Http2StreamFailure.ProtocolError, handler.FailureOf(1));
        Assert.Equal(1, pool.Counters.ProtocolErrors);
        Assert.Equal(0, pool.Counters.HandlerExceptions);
        Assert.Null(connection.Error);
        Assert.Empty(probe.CollectTransportExceptions());
    }

    [Fact]
    public async Task ConnectAsync_ServerOpensWithPingInsteadOfSettings_FailsWithGoAwayProtocolErrorAndNothingUnobserved()
    {
        using var probe = new UnobservedExceptionProbe();
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { SendSettingsFirst = false });
        var handler = new RecordingResponseHandler(1);

        var error = await Assert.ThrowsAsync<Http2ConnectException>(() => Http2ConnectionPool.ConnectAsync(PeerRequests.Options(peer.BaseUri), handler));
        var connection = await peer.ConnectionAsync(0);
        var goAway = await connection.WaitForFrameAsync(f => f.Type == Http2FrameType.GoAway, s_wait);

        Assert.False(error.IsTrustFailure);
        Assert.Equal(Http2ErrorCode.ProtocolError, goAway?.ErrorCode);
        Assert.Equal(0, handler.Outcomes);
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
        "CONTINUATION without HEADERS" => PeerFrames.ContinuationFrame(1, [0x88]),
        "a PING inside a header block" => [.. PeerFrames.HeadersFrame(1, [0x88], flags: 0), .. PeerFrames.PingFrame(1)],
        "HPACK index 0" => PeerFrames.HeadersFrame(1, [0x80]),
        "HPACK index beyond both tables" => PeerFrames.HeadersFrame(1, [0xFF, 0x00]),
        "a response header list over our limit" => PeerFrames.HugeHeaderBlockFrames(1, 70_000),
        _ => throw new ArgumentOutOfRangeException(nameof(violation), violation, "unknown case"),
    };
}
