namespace Oms.Transport.Tests.Connections;

/// <summary>
/// The peer's send windows as the client keeps them (RFC 9113 section 6.9): one per open stream besides the
/// connection's, moved by WINDOW_UPDATE and by SETTINGS_INITIAL_WINDOW_SIZE, below zero if need be, never past 2^31-1.
/// </summary>
/// <remarks>
/// Every request here carries a 2-octet body, so a stream opened under the default initial window of 65,535 octets
/// keeps 65,533; the tests pin that value from both sides of the 2^31-1 limit.
/// </remarks>
public sealed class Http2ConnectionFlowControlTests
{
    private const int MaxWindow = int.MaxValue;
    private const int StreamWindowAfterBody = 65_535 - 2;
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task StreamWindowUpdate_ToExactlyTheMaximumThenOneMore_SecondResetsThatStreamWithFlowControlErrorOnly()
    {
        await using var held = await HeldStreams.StartAsync(requests: 2);

        held.Connection.Send(PeerFrames.WindowUpdateFrame(1, MaxWindow - StreamWindowAfterBody));
        await held.SyncAsync();
        var resetsAtTheMaximum = held.FramesOf(Http2FrameType.RstStream).Length;
        held.Connection.Send(PeerFrames.WindowUpdateFrame(1, 1));
        var reset = await held.Connection.WaitForFrameAsync(f => f.Type == Http2FrameType.RstStream, s_wait);
        held.Connection.Answer(3);
        Assert.True(await held.Handler.WaitForOutcomesAsync(2, s_wait));
        await held.SyncAsync();

        Assert.Equal(0, resetsAtTheMaximum);
        held.AssertOnlyTheFirstStreamReset(reset, Http2ErrorCode.FlowControlError);
    }

    [Fact]
    public async Task StreamWindowUpdate_LargeIncrement_CreditsTheStreamNotTheConnection()
    {
        // The raw peer grants the connection 2^30 - 1 octets in all; after the body it holds 2^30 - 3. This increment
        // fits stream 1 (65,533 + 2^30 + 65,536) but would take the connection window past 2^31-1.
        await using var held = await HeldStreams.StartAsync(requests: 1);

        held.Connection.Send(PeerFrames.WindowUpdateFrame(1, (1u << 30) + 65_536));
        held.Connection.Answer(1);
        Assert.True(await held.Handler.WaitForOutcomesAsync(1, s_wait));
        await held.SyncAsync();

        Assert.Equal(200, held.Handler.Status(0));
        Assert.Empty(held.FramesOf(Http2FrameType.RstStream));
        Assert.Empty(held.FramesOf(Http2FrameType.GoAway));
    }

    [Fact]
    public async Task InitialWindowSize_LoweredToZero_OpenStreamWindowGoesNegativeByWhatItSentAndNewBodiesWait()
    {
        await using var held = await HeldStreams.StartAsync(requests: 2, capacity: 3);

        // Stream 1's window becomes 65,533 - 65,535 = -2 (RFC 9113 section 6.9.2).
        await held.ChangeSettingsAsync(new Http2Setting(Http2SettingsParameter.InitialWindowSize, 0));
        var withBody = PeerRequests.TrySend(held.Client, 2);
        var withoutBody = held.Client.TrySend(PeerRequests.Template, "r1"u8, [], [], 2);
        held.Client.Flush();

        // -2 + (2^31-1) + 2 is exactly the maximum; one more octet is not.
        held.Connection.Send([.. PeerFrames.WindowUpdateFrame(1, MaxWindow), .. PeerFrames.WindowUpdateFrame(1, 2)]);
        await held.SyncAsync();
        var resetsAtTheMaximum = held.FramesOf(Http2FrameType.RstStream).Length;
        held.Connection.Send(PeerFrames.WindowUpdateFrame(1, 1));
        var reset = await held.Connection.WaitForFrameAsync(f => f.Type == Http2FrameType.RstStream, s_wait);
        Assert.True(await held.Connection.WaitForRequestsAsync(3, s_wait));
        held.Connection.Answer(3);
        held.Connection.Answer(5);
        Assert.True(await held.Handler.WaitForOutcomesAsync(3, s_wait));

        Assert.Equal(Http2SendResult.NoCapacity, withBody);
        Assert.Equal(Http2SendResult.Sent, withoutBody);
        Assert.Equal(0, resetsAtTheMaximum);
        Assert.Equal(1, reset?.StreamId);
        Assert.Equal(Http2ErrorCode.FlowControlError, reset?.ErrorCode);
        held.Handler.AssertExactlyOneOutcomeEach(3);
        Assert.Equal(Http2StreamFailure.ProtocolError, held.Handler.FailureOf(0));
        Assert.Equal(200, held.Handler.Status(1));
        Assert.Equal(200, held.Handler.Status(2));
        Assert.Equal(0, held.Client.Counters.ProtocolErrors);
    }

    [Fact]
    public async Task InitialWindowSize_RaisedAgainAfterANegativeWindow_BodiesFitAgain()
    {
        await using var held = await HeldStreams.StartAsync(requests: 1, capacity: 2);

        await held.ChangeSettingsAsync(new Http2Setting(Http2SettingsParameter.InitialWindowSize, 0));
        var whileZero = PeerRequests.TrySend(held.Client, 1);
        await held.ChangeSettingsAsync(new Http2Setting(Http2SettingsParameter.InitialWindowSize, 2));
        var whenTwo = PeerRequests.TrySend(held.Client, 1);
        held.Client.Flush();
        Assert.True(await held.Connection.WaitForRequestsAsync(2, s_wait));
        held.Connection.Answer(1);
        held.Connection.Answer(3);
        Assert.True(await held.Handler.WaitForOutcomesAsync(2, s_wait));

        Assert.Equal(Http2SendResult.NoCapacity, whileZero);
        Assert.Equal(Http2SendResult.Sent, whenTwo);
        held.AssertEveryOneServed(2);
    }

    [Fact]
    public async Task InitialWindowSize_RaisedPastWhatAnOpenStreamWindowCanHold_GoAwayFlowControlErrorAndEveryStreamFails()
    {
        using var probe = new UnobservedExceptionProbe();
        await using var held = await HeldStreams.StartAsync(requests: 2);
        held.Connection.Send(PeerFrames.WindowUpdateFrame(1, MaxWindow - StreamWindowAfterBody));
        await held.SyncAsync();

        // RFC 9113 section 6.9.2: a change that takes any stream window past 2^31-1 is a connection error.
        held.Connection.SendSettings(new Http2Setting(Http2SettingsParameter.InitialWindowSize, 65_536));
        var goAway = await held.Connection.WaitForFrameAsync(f => f.Type == Http2FrameType.GoAway, s_wait);
        Assert.True(await held.Handler.WaitForOutcomesAsync(2, s_wait));
        await held.Connection.Closed.WaitAsync(s_wait);

        Assert.Equal(Http2ErrorCode.FlowControlError, goAway?.ErrorCode);
        held.Handler.AssertExactlyOneOutcomeEach(2);
        Assert.Equal(Http2StreamFailure.ProtocolError, held.Handler.FailureOf(0));
        Assert.Equal(Http2StreamFailure.ProtocolError, held.Handler.FailureOf(1));
        Assert.Equal(1, held.Client.Counters.ProtocolErrors);
        Assert.Empty(probe.CollectTransportExceptions());
    }

    [Fact]
    public async Task WindowUpdateAndRstStream_AfterTheStreamEnded_AreIgnored()
    {
        // RFC 9113 section 5.1: both may still come for a while after END_STREAM and must be ignored.
        await using var held = await HeldStreams.StartAsync(requests: 2);
        held.Connection.Answer(1);
        Assert.True(await held.Handler.WaitForTokenAsync(0, s_wait));

        held.Connection.Send([.. PeerFrames.WindowUpdateFrame(1, 100), .. PeerFrames.RstStreamFrame(1, Http2ErrorCode.Cancel)]);
        held.Connection.Answer(3);
        Assert.True(await held.Handler.WaitForOutcomesAsync(2, s_wait));
        await held.SyncAsync();

        held.AssertEveryOneServedAndNothingElse(2);
    }
}
