using Oms.Testing.Polling;

namespace Oms.Transport.Tests.Client;

/// <summary>
/// The client with a socket poller (<see cref="Http2ClientOptions.SocketPoller"/>): each cleartext connection's reader
/// thread hands its socket over once connected, and a test-owned thread that loops in the poller reads every answer;
/// connections that end, whoever ends them, leave nothing behind. TLS connections keep their reader threads.
/// </summary>
public sealed class Http2ClientPollerTests : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    private readonly SocketPoller? _poller = SocketPoller.IsSupported ? new SocketPoller() : null;
    private readonly string _directory = Directory.CreateTempSubdirectory("oms-transport-poller-").FullName;

    private SocketPoller Poller => _poller ?? throw new InvalidOperationException("The skippable facts do not run here.");

    public void Dispose()
    {
        _poller?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [SocketPollerFact]
    public async Task TrySend_CancelsToTheVenueOverTwoPolledConnections_EveryOneAckedOnTheOwnerThread()
    {
        const int count = 1000;
        await using var venue = await VenueServer.StartAsync(new VenueOptions());
        var requests = new VenueCancelRequests(venue);
        var cancels = venue.Book.SeedGenerated(count, VenueCancelRequests.Symbol).Select(id => requests.Create(id)).ToArray();
        var handler = new ThreadRecordingHandler(count);
        using var owner = PollerOwnerThread.Start(Poller);
        await using var client = await Http2Client.ConnectAsync(
            new Http2ClientOptions { BaseUri = venue.BaseUri, ConnectionCount = 2, SocketPoller = Poller }, handler);

        await SendDriver.SendAllOnThreadAsync(client, 0, count, t => requests.TrySend(client, cancels[t], t), batchSize: 32, s_wait);
        Assert.True(await handler.Outcomes.WaitForOutcomesAsync(count, s_wait), $"{handler.Outcomes.Outcomes} of {count} outcomes");

        handler.Outcomes.AssertExactlyOneOutcomeEach(count);
        for (var token = 0; token < count; token++)
        {
            Assert.Equal(200, handler.Outcomes.Status(token));
            Assert.Equal(cancels[token].RequestId, VenueCancelRequests.EchoedId(handler.Outcomes.Body(token)));
            Assert.Equal(PollerOwnerThread.ThreadName, handler.ThreadOf(token));
        }

        Assert.Equal(count, venue.Stats.Acked);
        Assert.Equal(2, venue.Stats.ConnectionsOpened);
        Assert.NotEmpty(client.ReaderThreads);
        Assert.All(client.ReaderThreads, reader => Assert.False(reader.IsAlive, "a reader thread still reads a polled connection"));
    }

    [SocketPollerFact]
    public async Task ConnectAsync_WithAPoller_EveryReaderThreadEndsOnceItsConnectionIsHandedOver()
    {
        using var peer = RawHttp2Peer.Start();
        await using var client = await Http2Client.ConnectAsync(
            PeerRequests.Options(peer.BaseUri) with { ConnectionCount = 2, SocketPoller = Poller }, new RecordingResponseHandler(1));

        var handedOver = await WaitUntilAsync(() => client.ReaderThreads.All(reader => !reader.IsAlive), s_wait);

        Assert.True(handedOver, "a reader thread kept reading after the connect");
        Assert.NotEmpty(client.ReaderThreads);
        Assert.Equal(2, client.OpenConnections);
    }

    [SocketPollerFact]
    public async Task TrySend_NobodyPolls_TheAnswerWaitsInTheSocketUntilTheOwnerRuns()
    {
        using var peer = RawHttp2Peer.Start();
        var handler = new ThreadRecordingHandler(1);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri) with { SocketPoller = Poller }, handler);
        Assert.True(await WaitUntilAsync(() => client.ReaderThreads.All(reader => !reader.IsAlive), s_wait), "the reader thread did not hand over");
        var connection = await peer.ConnectionAsync(0);

        SendDriver.SendAll(client, 0, 1, t => PeerRequests.TrySend(client, t), 1, s_wait);
        Assert.True(await connection.WaitForRequestsAsync(1, s_wait));
        var answeredUnpolled = await handler.Outcomes.WaitForOutcomesAsync(1, TimeSpan.FromMilliseconds(200));
        using var owner = PollerOwnerThread.Start(Poller);
        var answeredPolled = await handler.Outcomes.WaitForOutcomesAsync(1, s_wait);
        Assert.True(await DisposeWithinBoundAsync(client), "disposing the client did not complete");

        Assert.False(answeredUnpolled, "an answer was read although nothing polled the handed-over connection");
        Assert.True(answeredPolled);
        Assert.True(handler.Outcomes.IsResponse(0));
        Assert.Equal(PollerOwnerThread.ThreadName, handler.ThreadOf(0));
    }

    [SocketPollerFact]
    public async Task PeerCloses_APolledConnection_HeldRequestFailsOnTheOwnerThreadAndTheClientReconnects()
    {
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Reply = call => call.ConnectionIndex == 0 ? RawPeerReply.Hold : RawPeerReply.Answer });
        var handler = new ThreadRecordingHandler(2);
        using var owner = PollerOwnerThread.Start(Poller);
        await using var client = await Http2Client.ConnectAsync(
            PeerRequests.Options(peer.BaseUri, reconnectMinDelay: TimeSpan.FromMilliseconds(20)) with { SocketPoller = Poller }, handler);
        Assert.True(await WaitUntilAsync(() => client.ReaderThreads.All(reader => !reader.IsAlive), s_wait), "the reader thread did not hand over");
        SendDriver.SendAll(client, 0, 1, t => PeerRequests.TrySend(client, t), 1, s_wait);
        var first = await peer.ConnectionAsync(0);
        Assert.True(await first.WaitForRequestsAsync(1, s_wait));

        first.Close();
        Assert.True(await handler.Outcomes.WaitForTokenAsync(0, s_wait), "the held request got no outcome when its connection closed");
        Assert.True(await WaitUntilAsync(() => peer.ConnectionCount == 2 && client.OpenConnections == 1, s_wait), "the client did not reconnect");
        Assert.True(await WaitUntilAsync(() => client.ReaderThreads.All(reader => !reader.IsAlive), s_wait), "the new connection's reader thread did not hand over");
        SendDriver.SendAll(client, 1, 1, t => PeerRequests.TrySend(client, t), 1, s_wait);
        Assert.True(await handler.Outcomes.WaitForTokenAsync(1, s_wait), "no answer on the new connection");

        handler.Outcomes.AssertExactlyOneOutcomeEach(2);
        Assert.Equal(Http2StreamFailure.ConnectionLost, handler.Outcomes.FailureOf(0));
        Assert.Equal(PollerOwnerThread.ThreadName, handler.ThreadOf(0));
        Assert.True(handler.Outcomes.IsResponse(1));
        Assert.Equal(PollerOwnerThread.ThreadName, handler.ThreadOf(1));
        Assert.Equal(1, client.Counters.Reconnects);
    }

    [SocketPollerFact]
    public async Task PeerViolatesTheProtocol_OnAPolledConnection_GoAwayAndEveryOpenStreamFailsProtocolErrorOnTheOwnerThread()
    {
        using var probe = new UnobservedExceptionProbe();
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Reply = _ => RawPeerReply.Hold });
        var handler = new ThreadRecordingHandler(2);
        using var owner = PollerOwnerThread.Start(Poller);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri) with { SocketPoller = Poller }, handler);
        Assert.True(await WaitUntilAsync(() => client.ReaderThreads.All(reader => !reader.IsAlive), s_wait), "the reader thread did not hand over");
        var connection = await peer.ConnectionAsync(0);
        SendDriver.SendAll(client, 0, 2, t => PeerRequests.TrySend(client, t), 2, s_wait);
        Assert.True(await connection.WaitForRequestsAsync(2, s_wait));

        // RFC 9113 section 6.1: DATA on stream 0 is a connection error of type PROTOCOL_ERROR.
        connection.Send(PeerFrames.DataFrame(0, [1, 2, 3]));
        var goAway = await connection.WaitForFrameAsync(f => f.Type == Http2FrameType.GoAway, s_wait);
        var outcomes = await handler.Outcomes.WaitForOutcomesAsync(2, s_wait);
        await connection.Closed.WaitAsync(s_wait);

        Assert.NotNull(goAway);
        Assert.Equal(Http2ErrorCode.ProtocolError, goAway.Value.ErrorCode);
        Assert.True(outcomes);
        handler.Outcomes.AssertExactlyOneOutcomeEach(2);
        Assert.Equal(Http2StreamFailure.ProtocolError, handler.Outcomes.FailureOf(0));
        Assert.Equal(Http2StreamFailure.ProtocolError, handler.Outcomes.FailureOf(1));
        Assert.Equal(PollerOwnerThread.ThreadName, handler.ThreadOf(0));
        Assert.Equal(PollerOwnerThread.ThreadName, handler.ThreadOf(1));
        Assert.Equal(1, client.Counters.ProtocolErrors);
        Assert.Null(connection.Error);
        Assert.Empty(probe.CollectTransportExceptions());
    }

    /// <remarks>
    /// The client's timer closes the connection, off the owner's thread: the connection must end its read side itself
    /// (the owner no longer sees the socket once it is unregistered), or it never becomes quiescent and its memory is
    /// never taken back.
    /// </remarks>
    [SocketPollerFact]
    public async Task TimerRetiresAPolledConnection_AfterARequestTimedOut_TheConnectionEndsQuiescent()
    {
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Reply = _ => RawPeerReply.Hold });
        var handler = new ThreadRecordingHandler(1);
        using var owner = PollerOwnerThread.Start(Poller);
        await using var client = await Http2Client.ConnectAsync(
            PeerRequests.Options(peer.BaseUri, requestTimeout: TimeSpan.FromMilliseconds(300)) with { MaxConsecutiveTimeouts = 1, SocketPoller = Poller }, handler);
        Assert.True(await WaitUntilAsync(() => client.ReaderThreads.All(reader => !reader.IsAlive), s_wait), "the reader thread did not hand over");
        var connection = client.ConnectionAt(0);
        Assert.NotNull(connection);
        var peerConnection = await peer.ConnectionAsync(0);

        SendDriver.SendAll(client, 0, 1, t => PeerRequests.TrySend(client, t), 1, s_wait);
        await connection.Closed.WaitAsync(s_wait);
        var quiescent = await WaitUntilAsync(() => connection.IsQuiescent, s_wait);
        await peerConnection.Closed.WaitAsync(s_wait);

        Assert.True(quiescent, "the retired connection's read side never ended");
        Assert.Equal(Http2StreamFailure.Timeout, handler.Outcomes.FailureOf(0));
        Assert.Equal(1, client.Counters.ConnectionsRetired);
    }

    [SocketPollerFact]
    public async Task DisposeAsync_WhileTheOwnerPolls_CompletesAndEveryHeldRequestIsReportedDisposed()
    {
        const int count = 20;
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Reply = _ => RawPeerReply.Hold });
        var handler = new ThreadRecordingHandler(count);
        using var owner = PollerOwnerThread.Start(Poller);
        var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri) with { ConnectionCount = 2, SocketPoller = Poller }, handler);
        Assert.True(await WaitUntilAsync(() => client.ReaderThreads.All(reader => !reader.IsAlive), s_wait), "the reader threads did not hand over");
        SendDriver.SendAll(client, 0, count, t => PeerRequests.TrySend(client, t), 5, s_wait);
        var first = await peer.ConnectionAsync(0);
        var second = await peer.ConnectionAsync(1);
        Assert.True(await WaitUntilAsync(() => first.RequestsReceived + second.RequestsReceived == count, s_wait));

        var disposed = await DisposeWithinBoundAsync(client);

        Assert.True(disposed, "disposing the client did not complete while its connections were polled");
        handler.Outcomes.AssertExactlyOneOutcomeEach(count);
        Assert.Equal(count, handler.Outcomes.CountFailures(count, Http2StreamFailure.Disposed));
        await first.Closed.WaitAsync(s_wait);
        await second.Closed.WaitAsync(s_wait);
        Assert.Equal(0, client.Counters.StreamsInFlight);
    }

    /// <remarks>
    /// The engine's order: its consumer, the poller's owner, has ended before the client is disposed. A registered
    /// socket holds a reference on its handle, and <see cref="Socket.Dispose()"/> waits for every reference to go: unless
    /// the connection takes its socket out of the poller first, nothing ever releases it and the dispose spins for good.
    /// </remarks>
    [SocketPollerFact]
    public async Task DisposeAsync_AfterTheOwnerStopped_CompletesAndClosesEveryConnection()
    {
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Reply = _ => RawPeerReply.Hold });
        var handler = new ThreadRecordingHandler(2);
        using var owner = PollerOwnerThread.Start(Poller);
        var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri) with { ConnectionCount = 2, SocketPoller = Poller }, handler);
        Assert.True(await WaitUntilAsync(() => client.ReaderThreads.All(reader => !reader.IsAlive), s_wait), "the reader threads did not hand over");
        SendDriver.SendAll(client, 0, 2, t => PeerRequests.TrySend(client, t), 1, s_wait);
        var first = await peer.ConnectionAsync(0);
        var second = await peer.ConnectionAsync(1);
        Assert.True(await WaitUntilAsync(() => first.RequestsReceived + second.RequestsReceived == 2, s_wait));
        owner.Stop();

        var disposed = await DisposeWithinBoundAsync(client);

        Assert.True(disposed, "disposing the client hung once nothing polled its connections");
        handler.Outcomes.AssertExactlyOneOutcomeEach(2);
        Assert.Equal(2, handler.Outcomes.CountFailures(2, Http2StreamFailure.Disposed));
        await first.Closed.WaitAsync(s_wait);
        await second.Closed.WaitAsync(s_wait);
        Assert.Equal(0, client.Counters.StreamsInFlight);
    }

    /// <remarks>
    /// The race the hand-over must close: the reader thread has taken its reference on the socket and is about to
    /// register it when the connection is disposed from another thread, with nothing polling (an engine stopping after
    /// its consumer ended). Holding the poller's lock stops the reader thread at that very point. If the dispose then
    /// finds the socket not yet registered, closes it, and the registration goes ahead after all, the socket's dispose
    /// waits for a reference that only a poll would ever release.
    /// </remarks>
    [SocketPollerFact]
    public async Task DisposeAsync_WhileTheReaderThreadIsHandingOver_CompletesWithoutAnOwner()
    {
        using var peer = RawHttp2Peer.Start();
        using var held = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var holder = Task.Factory.StartNew(
            () => Poller.RunExclusive(() =>
            {
                held.Set();
                release.Wait(s_wait);
            }),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        try
        {
            Assert.True(held.Wait(s_wait));
            var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri) with { SocketPoller = Poller }, new RecordingResponseHandler(1));
            var reader = Assert.Single(client.ReaderThreads);
            var stopped = await WaitUntilAsync(() => (reader.ThreadState & System.Threading.ThreadState.WaitSleepJoin) != 0, s_wait);
            Assert.True(stopped, "the reader thread did not stop at the poller's lock to hand over");
            var connection = await peer.ConnectionAsync(0);

            var disposing = Task.Run(() => client.DisposeAsync().AsTask());
            await connection.Closed.WaitAsync(s_wait);
            await Task.Delay(100);
            release.Set();
            await holder.WaitAsync(s_wait);
            var disposed = await Task.WhenAny(disposing, Task.Delay(TimeSpan.FromSeconds(10))) == disposing;
            if (!disposed)
            {
                using var rescue = PollerOwnerThread.Start(Poller);
                await disposing.WaitAsync(s_wait);
            }

            Assert.True(disposed, "disposing the client hung on a socket registered while it was being closed");
            Assert.True(await WaitUntilAsync(() => !reader.IsAlive, s_wait), "the reader thread outlived the client");
            Assert.True(client.ConnectionAt(0) is null);
        }
        finally
        {
            release.Set();
        }
    }

    /// <remarks>
    /// Two threads end the same polled connection at once: the sender, whose write failed because the peer is gone,
    /// drops the socket while it holds the connection's write lock; the owner, inside the poller's pass, has read a
    /// protocol violation and ends the connection, which takes the write lock to get its GOAWAY out and to close the
    /// writer. If dropping the socket waited for the poller's lock, each would wait for the other for good: the engine's
    /// consumer would stop, and so would every dispose after it. The owner is held inside the pass (in the answer's
    /// callback, the violation next in its buffer) until the sender's write has failed.
    /// </remarks>
    [SocketPollerFact]
    public async Task WriteFailsWhileTheOwnerEndsTheSameConnection_NeitherWaitsForTheOther()
    {
        const int count = 6;
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Reply = _ => RawPeerReply.Hold });
        using var inCallback = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var handler = new ThreadRecordingHandler(count, onResponse: token =>
        {
            if (token == 0)
            {
                inCallback.Set();
                release.Wait(s_wait);
            }
        });

        // A poller of its own: should the threads deadlock, its lock stays taken and it cannot be disposed.
        var poller = new SocketPoller();
        var owner = PollerOwnerThread.Start(poller);
        var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri) with { SocketPoller = poller }, handler);
        var deadlocked = true;
        try
        {
            Assert.True(await WaitUntilAsync(() => client.ReaderThreads.All(reader => !reader.IsAlive), s_wait), "the reader thread did not hand over");
            var connection = await peer.ConnectionAsync(0);
            SendDriver.SendAll(client, 0, 1, t => PeerRequests.TrySend(client, t), 1, s_wait);
            Assert.True(await connection.WaitForRequestsAsync(1, s_wait));

            // RFC 9113 section 6.1: DATA on stream 0 is a connection error, right behind the answer to stream 1.
            connection.Send([.. PeerFrames.HeadersFrame(1, [0x88]), .. PeerFrames.DataFrame(1, "{}"u8.ToArray()), .. PeerFrames.DataFrame(0, [1, 2, 3])]);
            Assert.True(inCallback.Wait(s_wait), "the owner did not read the answer");
            connection.Close();
            await connection.Closed.WaitAsync(s_wait);
            var sender = Task.Factory.StartNew(
                () =>
                {
                    // The first write after the peer's close draws its reset; a later one fails.
                    for (var token = 1; token < count && PeerRequests.TrySend(client, token) == Http2SendResult.Sent; token++)
                    {
                        client.Flush();
                        Thread.Sleep(20);
                    }
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
            await Task.WhenAny(sender, Task.Delay(500));
            release.Set();

            var senderReturned = await Task.WhenAny(sender, Task.Delay(TimeSpan.FromSeconds(10))) == sender;
            var ended = await WaitUntilAsync(() => handler.Outcomes.Outcomes >= 1 && !client.IsConnected, TimeSpan.FromSeconds(10));
            var ownerFree = Task.Run(() => poller.RunExclusive(() => { })).Wait(TimeSpan.FromSeconds(10));
            deadlocked = !(senderReturned && ownerFree);

            Assert.True(senderReturned, "the sender never came back from its failed write");
            Assert.True(ownerFree, "the owner never finished its pass");
            Assert.True(ended, "the connection did not end");
            Assert.True(handler.Outcomes.IsResponse(0));
            Assert.Equal(1, client.Counters.ProtocolErrors);
        }
        finally
        {
            release.Set();
            if (!deadlocked)
            {
                await client.DisposeAsync().AsTask().WaitAsync(s_wait);
                owner.Stop();
                poller.Dispose();
            }
        }
    }

    /// <remarks>
    /// The peer has gone and the sender's write fails before the owner has looked at the socket: the connection must
    /// still end when the owner does look. Closing the socket from the failed write would take it out of the poller
    /// with nobody to end the connection, and its requests would wait for their timeout.
    /// </remarks>
    [SocketPollerFact]
    public async Task WriteFails_BeforeTheOwnerLooks_TheOwnerStillEndsTheConnection()
    {
        const int count = 6;
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Reply = _ => RawPeerReply.Hold });
        var handler = new ThreadRecordingHandler(count);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri) with { SocketPoller = Poller }, handler);
        Assert.True(await WaitUntilAsync(() => client.ReaderThreads.All(reader => !reader.IsAlive), s_wait), "the reader thread did not hand over");
        var connection = await peer.ConnectionAsync(0);
        SendDriver.SendAll(client, 0, 1, t => PeerRequests.TrySend(client, t), 1, s_wait);
        Assert.True(await connection.WaitForRequestsAsync(1, s_wait));
        connection.Close();
        await connection.Closed.WaitAsync(s_wait);

        // The first write after the peer's close draws its reset; a later one fails.
        for (var token = 1; token < count && PeerRequests.TrySend(client, token) == Http2SendResult.Sent; token++)
        {
            client.Flush();
            Thread.Sleep(20);
        }

        using var owner = PollerOwnerThread.Start(Poller);
        var ended = await handler.Outcomes.WaitForTokenAsync(0, TimeSpan.FromSeconds(10));

        Assert.True(ended, "the connection was left open with nothing reading it (its requests wait for their 30 s timeout)");
        Assert.Equal(Http2StreamFailure.ConnectionLost, handler.Outcomes.FailureOf(0));
        Assert.Equal(PollerOwnerThread.ThreadName, handler.ThreadOf(0));
        Assert.True(await WaitUntilAsync(() => !client.IsConnected, s_wait));
    }

    [SocketPollerFact]
    public async Task TrySend_OverTlsWithAPoller_TheConnectionKeepsItsReaderThread()
    {
        await using var venue = await VenueServer.StartAsync(new VenueOptions { UseTls = true });
        var ca = Path.Combine(_directory, "ca.pem");
        venue.WriteCaCertificate(ca);
        var requests = new VenueCancelRequests(venue);
        var cancel = requests.Create(venue.Book.SeedGenerated(1, VenueCancelRequests.Symbol)[0]);
        var handler = new ThreadRecordingHandler(1);
        using var owner = PollerOwnerThread.Start(Poller);
        await using var client = await Http2Client.ConnectAsync(
            new Http2ClientOptions { BaseUri = venue.BaseUri, ConnectionCount = 1, CaCertificatePath = ca, PingInterval = TimeSpan.Zero, SocketPoller = Poller },
            handler);

        Assert.Equal(Http2SendResult.Sent, requests.TrySend(client, cancel, 0));
        client.Flush();
        Assert.True(await handler.Outcomes.WaitForOutcomesAsync(1, s_wait));

        Assert.Equal(0, VenueCancelRequests.Code(handler.Outcomes.Body(0)));
        Assert.Equal(Http2Connection.ReaderThreadName, handler.ThreadOf(0));
        var reader = Assert.Single(client.ReaderThreads);
        Assert.True(reader.IsAlive, "a TLS connection's reader thread ended: a TLS stream cannot be polled");
    }

    [SocketPollerFact]
    public async Task TrySend_PollerAlreadyDisposed_TheConnectionKeepsReadingOnItsOwnThread()
    {
        using var peer = RawHttp2Peer.Start();
        var handler = new ThreadRecordingHandler(1);
        Poller.Dispose();
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri) with { SocketPoller = Poller }, handler);

        SendDriver.SendAll(client, 0, 1, t => PeerRequests.TrySend(client, t), 1, s_wait);
        Assert.True(await handler.Outcomes.WaitForOutcomesAsync(1, s_wait));

        Assert.True(handler.Outcomes.IsResponse(0));
        Assert.Equal(Http2Connection.ReaderThreadName, handler.ThreadOf(0));
        Assert.True(Assert.Single(client.ReaderThreads).IsAlive);
    }

    /// <summary>
    /// Disposes on a pool thread (a dispose that spins would hold the test's own thread), waiting up to the bound. When
    /// it does not finish, an owner thread is started to release what the dispose waits for, so the test still ends.
    /// </summary>
    private async Task<bool> DisposeWithinBoundAsync(Http2Client client)
    {
        var disposing = Task.Run(() => client.DisposeAsync().AsTask());
        if (await Task.WhenAny(disposing, Task.Delay(s_wait)) == disposing)
        {
            await disposing;
            return true;
        }

        using var rescue = PollerOwnerThread.Start(Poller);
        await disposing.WaitAsync(s_wait);
        return false;
    }
}
