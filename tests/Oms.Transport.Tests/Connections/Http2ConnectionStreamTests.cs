namespace Oms.Transport.Tests.Connections;

/// <summary>How streams end when the server resets them, goes away, dies, stays silent or pings: against the raw peer.</summary>
public sealed class Http2ConnectionStreamTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RstStream_RefusedStream_ReportsNotProcessed()
    {
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Reply = _ => RawPeerReply.ResetRefused });
        var handler = new RecordingResponseHandler(1);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri), handler);

        SendDriver.SendAll(client, 0, 1, t => PeerRequests.TrySend(client, t), 1, s_wait);

        Assert.True(await handler.WaitForOutcomesAsync(1, s_wait));
        handler.AssertExactlyOneOutcomeEach(1);
        Assert.Equal(Http2StreamFailure.NotProcessed, handler.FailureOf(0));
        Assert.Equal(1, client.Counters.ResetsReceived);
        Assert.Equal(0, client.Counters.StreamsInFlight);
    }

    [Fact]
    public async Task RstStream_Cancel_ReportsResetAndTheConnectionKeepsServing()
    {
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Reply = c => c.RequestNumber == 1 ? RawPeerReply.ResetCancel : RawPeerReply.Answer });
        var handler = new RecordingResponseHandler(2);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri), handler);

        SendDriver.SendAll(client, 0, 1, t => PeerRequests.TrySend(client, t), 1, s_wait);
        Assert.True(await handler.WaitForOutcomesAsync(1, s_wait));
        SendDriver.SendAll(client, 1, 1, t => PeerRequests.TrySend(client, t), 1, s_wait);
        Assert.True(await handler.WaitForOutcomesAsync(2, s_wait));

        handler.AssertExactlyOneOutcomeEach(2);
        Assert.Equal(Http2StreamFailure.Reset, handler.FailureOf(0));
        Assert.Equal(200, handler.Status(1));
        Assert.Equal(1, peer.ConnectionCount);
    }

    [Fact]
    public async Task GoAway_StreamsAboveLastStreamId_ThoseAboveNotProcessedThoseBelowCompleteAndTheClientReconnectsAtOnce()
    {
        // Reconnect back-off is 30 s: a connection that served answers (proven at once here: no reset period) and is
        // retired by GOAWAY must be replaced at once, not after a back-off.
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Reply = c => c.ConnectionIndex == 0 ? RawPeerReply.Hold : RawPeerReply.Answer });
        var handler = new RecordingResponseHandler(5);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri) with { ReconnectBackoffResetAfter = TimeSpan.Zero }, handler);
        SendDriver.SendAll(client, 0, 4, t => PeerRequests.TrySend(client, t), 4, s_wait);
        var first = await peer.ConnectionAsync(0);
        Assert.True(await first.WaitForRequestsAsync(4, s_wait));
        Assert.Equal([1, 3, 5, 7], first.HeldStreams);

        first.Send(PeerFrames.GoAwayFrame(3, Http2ErrorCode.NoError));
        Assert.True(await handler.WaitForOutcomesAsync(2, s_wait));
        var pendingBelow = !handler.HasOutcome(0) && !handler.HasOutcome(1);
        var sendWhileDraining = PeerRequests.TrySend(client, 4);
        first.Answer(1);
        first.Answer(3);
        Assert.True(await handler.WaitForOutcomesAsync(4, s_wait));
        var second = await peer.ConnectionAsync(1);
        SendDriver.SendAll(client, 4, 1, t => PeerRequests.TrySend(client, t), 1, s_wait);
        Assert.True(await handler.WaitForOutcomesAsync(5, s_wait));

        handler.AssertExactlyOneOutcomeEach(5);
        Assert.True(pendingBelow, "streams at or below last-stream-id stay open until answered");
        Assert.Equal(Http2StreamFailure.NotProcessed, handler.FailureOf(2));
        Assert.Equal(Http2StreamFailure.NotProcessed, handler.FailureOf(3));
        Assert.Equal(200, handler.Status(0));
        Assert.Equal(200, handler.Status(1));
        Assert.NotEqual(Http2SendResult.Sent, sendWhileDraining);
        Assert.Equal(200, handler.Status(4));
        Assert.Equal(1, second.RequestsReceived);
        Assert.Equal(2, client.Counters.ConnectionsOpened);
        Assert.Equal(1, client.Counters.GoAwaysReceived);
        var goodbye = await first.WaitForFrameAsync(f => f.Type == Http2FrameType.GoAway, s_wait);
        Assert.Equal(Http2ErrorCode.NoError, goodbye?.ErrorCode);
    }

    [Fact]
    public async Task ServerClosesMidResponse_InFlightAreConnectionLost_ClientReconnectsAndLaterSendsWork()
    {
        // On the first connection two requests are held and the third gets headers and half a body, then the socket
        // closes. Later connections answer.
        using var peer = RawHttp2Peer.Start(new RawPeerOptions
        {
            Reply = c => c.ConnectionIndex > 0 ? RawPeerReply.Answer : c.RequestNumber < 3 ? RawPeerReply.Hold : RawPeerReply.HeadersThenClose,
        });
        var handler = new RecordingResponseHandler(4);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri, reconnectMinDelay: TimeSpan.FromMilliseconds(50)), handler);

        SendDriver.SendAll(client, 0, 3, t => PeerRequests.TrySend(client, t), 3, s_wait);
        Assert.True(await handler.WaitForOutcomesAsync(3, s_wait));
        Assert.True(await WaitUntilAsync(() => client.IsConnected));
        SendDriver.SendAll(client, 3, 1, t => PeerRequests.TrySend(client, t), 1, s_wait);
        Assert.True(await handler.WaitForOutcomesAsync(4, s_wait));

        handler.AssertExactlyOneOutcomeEach(4);
        Assert.Equal(3, handler.CountFailures(3, Http2StreamFailure.ConnectionLost));
        Assert.Equal(200, handler.Status(3));
        Assert.Equal(1, client.Counters.Reconnects);
        Assert.Equal(0, client.Counters.ProtocolErrors);
    }

    [Fact]
    public async Task ServerGone_ReconnectsBackOffInsteadOfSpinning()
    {
        // With a 100 ms minimum doubling per attempt (jittered to at least half), one second holds at most about
        // five attempts; a client retrying without back-off would make thousands.
        var peer = RawHttp2Peer.Start();
        var handler = new RecordingResponseHandler(1);
        var options = new Http2ClientOptions { BaseUri = peer.BaseUri, ConnectionCount = 1, PingInterval = TimeSpan.Zero };
        await using var client = await Http2Client.ConnectAsync(options, handler);

        peer.Dispose();
        Assert.True(await WaitUntilAsync(() => !client.IsConnected));
        await Task.Delay(1000);

        Assert.Equal(Http2SendResult.NoConnection, PeerRequests.TrySend(client, 0));
        Assert.InRange(client.Counters.ConnectFailures, 1, 10);
        Assert.Equal(0, client.Counters.ConnectionsOpen);
    }

    [Fact]
    public async Task NeverAnswered_AfterRequestTimeout_ReportsTimeoutSendsRstStreamCancelAndIgnoresALateAnswer()
    {
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Reply = c => c.RequestNumber == 1 ? RawPeerReply.Hold : RawPeerReply.Answer });
        var handler = new RecordingResponseHandler(2);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri, requestTimeout: TimeSpan.FromMilliseconds(300)), handler);

        SendDriver.SendAll(client, 0, 1, t => PeerRequests.TrySend(client, t), 1, s_wait);
        Assert.True(await handler.WaitForOutcomesAsync(1, s_wait));
        var connection = await peer.ConnectionAsync(0);
        var reset = await connection.WaitForFrameAsync(f => f.Type == Http2FrameType.RstStream, s_wait);
        connection.Answer(1);
        SendDriver.SendAll(client, 1, 1, t => PeerRequests.TrySend(client, t), 1, s_wait);
        Assert.True(await handler.WaitForOutcomesAsync(2, s_wait));

        handler.AssertExactlyOneOutcomeEach(2);
        Assert.Equal(Http2StreamFailure.Timeout, handler.FailureOf(0));
        Assert.Equal(1, reset?.StreamId);
        Assert.Equal(Http2ErrorCode.Cancel, reset?.ErrorCode);
        Assert.Equal(1, client.Counters.Timeouts);
        Assert.Equal(1, client.Counters.ResetsSent);
        Assert.Equal(200, handler.Status(1));
        Assert.Equal(1, peer.ConnectionCount);
    }

    [Fact]
    public async Task Ping_FromServer_IsAcknowledgedWithTheSamePayload()
    {
        await using var held = await HeldStreams.StartAsync(requests: 0, capacity: 1);

        held.Connection.Send(PeerFrames.PingFrame(0xCAFE_F00D_0BAD_BEEF));

        var ack = await held.Connection.WaitForFrameAsync(f => f.Type == Http2FrameType.Ping && f.Flags.HasFlag(Http2FrameFlags.Ack), s_wait);
        Assert.True(ack?.Flags.HasFlag(Http2FrameFlags.Ack));
        Assert.Equal(0xCAFE_F00D_0BAD_BEEFUL, ack?.Opaque);
        Assert.Equal(-1, held.Client.Counters.PingRttMicros);
    }

    [Fact]
    public async Task KeepAlive_SmallPingInterval_SendsPingsAndMeasuresTheRoundTrip()
    {
        using var peer = RawHttp2Peer.Start();
        var handler = new RecordingResponseHandler(1);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri, pingInterval: TimeSpan.FromMilliseconds(50)), handler);
        var connection = await peer.ConnectionAsync(0);

        var ping = await connection.WaitForFrameAsync(f => f.Type == Http2FrameType.Ping, s_wait);

        Assert.False(ping?.Flags.HasFlag(Http2FrameFlags.Ack));
        Assert.True(await WaitUntilAsync(() => client.Counters.PingRttMicros >= 0));
    }
}
