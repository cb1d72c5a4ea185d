namespace Oms.Transport.Tests.Client;

/// <summary>The client's life: disposing with requests in flight, callbacks that throw, sends with nowhere to go.</summary>
public sealed class Http2ClientLifecycleTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task DisposeAsync_WithRequestsInFlight_EachIsReportedDisposedOnceAndDisposeCompletes()
    {
        const int count = 100;
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Reply = _ => RawPeerReply.Hold });
        var handler = new RecordingResponseHandler(count);
        var options = PeerRequests.Options(peer.BaseUri);
        var client = await Http2Client.ConnectAsync(new Http2ClientOptions { BaseUri = options.BaseUri, ConnectionCount = 2, PingInterval = TimeSpan.Zero }, handler);
        SendDriver.SendAll(client, 0, count, t => PeerRequests.TrySend(client, t), 10, s_wait);
        var first = await peer.ConnectionAsync(0);
        var second = await peer.ConnectionAsync(1);
        Assert.True(await WaitUntilAsync(() => first.RequestsReceived + second.RequestsReceived == count));

        await client.DisposeAsync().AsTask().WaitAsync(s_wait);

        handler.AssertExactlyOneOutcomeEach(count);
        Assert.Equal(count, handler.CountFailures(count, Http2StreamFailure.Disposed));
        Assert.Equal(Http2SendResult.Disposed, PeerRequests.TrySend(client, 0));
        Assert.False(client.IsConnected);
        Assert.Equal(0, client.Counters.StreamsInFlight);
        await first.Closed.WaitAsync(s_wait);
        await second.Closed.WaitAsync(s_wait);
        Assert.Equal(2, peer.ConnectionCount);
    }

    [Fact]
    public async Task DisposeAsync_Twice_SecondIsANoOp()
    {
        using var peer = RawHttp2Peer.Start();
        var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri), new RecordingResponseHandler(1));

        await client.DisposeAsync();
        await client.DisposeAsync().AsTask().WaitAsync(s_wait);

        Assert.Equal(Http2SendResult.Disposed, PeerRequests.TrySend(client, 0));
    }

    [Fact]
    public async Task Handler_ThatThrows_IsCountedAndTheConnectionKeepsServing()
    {
        using var peer = RawHttp2Peer.Start();
        var handler = new ThrowingHandler();
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri), handler);

        SendDriver.SendAll(client, 0, 3, t => PeerRequests.TrySend(client, t), 1, s_wait);

        Assert.True(await WaitUntilAsync(() => Volatile.Read(ref handler.Calls) == 3));
        Assert.True(await WaitUntilAsync(() => client.Counters.HandlerExceptions == 3));
        Assert.True(client.IsConnected);
        Assert.Equal(1, peer.ConnectionCount);
        Assert.Equal(0, client.Counters.StreamsInFlight);
    }

    [Fact]
    public async Task TrySend_EveryConnectionLost_ReportsNoConnectionAndNoOutcome()
    {
        await using var held = await HeldStreams.StartAsync(requests: 0, capacity: 1);

        held.Connection.Close();
        Assert.True(await WaitUntilAsync(() => !held.Client.IsConnected));
        var result = PeerRequests.TrySend(held.Client, 0);
        held.Client.Flush();

        Assert.Equal(Http2SendResult.NoConnection, result);
        Assert.Equal(0, held.Client.OpenConnections);
        await Task.Delay(50);
        Assert.Equal(0, held.Handler.Outcomes);
    }

    [Fact]
    public async Task ConnectAsync_OneOfTwoConnectsFails_SucceedsWithOneAndOpensTheOtherLater()
    {
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { CloseFirstConnections = 1 });
        var handler = new RecordingResponseHandler(4);
        var options = new Http2ClientOptions
        {
            BaseUri = peer.BaseUri,
            ConnectionCount = 2,
            PingInterval = TimeSpan.Zero,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(20),
        };
        await using var client = await Http2Client.ConnectAsync(options, handler);
        var openAtFirst = client.OpenConnections;
        Assert.True(await WaitUntilAsync(() => client.OpenConnections == 2));
        await SendDriver.SendAllOnThreadAsync(client, 0, 4, t => PeerRequests.TrySend(client, t), 1, s_wait);
        Assert.True(await handler.WaitForOutcomesAsync(4, s_wait));

        handler.AssertExactlyOneOutcomeEach(4);
        Assert.Equal(4, handler.CountResponses(4));
        Assert.Equal(1, openAtFirst);
        Assert.Equal(1, peer.ClosedOnAccept);
        Assert.Equal(1, client.Counters.ConnectFailures);
        Assert.Equal(1, client.Counters.Reconnects);
    }

    private sealed class ThrowingHandler : IHttp2ResponseHandler
    {
        public int Calls;

        public void OnResponse(long token, in Http2ResponseHead head, ReadOnlySpan<byte> body)
        {
            Interlocked.Increment(ref Calls);
            throw new InvalidOperationException("a broken callback");
        }

        public void OnFailure(long token, Http2StreamFailure failure)
        {
            Interlocked.Increment(ref Calls);
            throw new InvalidOperationException("a broken callback");
        }
    }
}
