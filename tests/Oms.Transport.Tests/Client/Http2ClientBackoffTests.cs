namespace Oms.Transport.Tests.Client;

/// <summary>
/// A server that ends every connection (GOAWAY, a protocol violation, a close after SETTINGS) is reconnected to ever
/// more slowly: jittered, exponential, capped; the back-off resets only once a connection has served for a while.
/// </summary>
public sealed class Http2ClientBackoffTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    public static TheoryData<string> EndsEveryConnection => new(PeerMisbehaviour.EndingEveryConnection);

    [Theory]
    [MemberData(nameof(EndsEveryConnection))]
    public async Task Server_EndsEveryConnection_AtMostAFewConnectionsASecondAndTheBackoffIsExposed(string how)
    {
        // Two connections, 100 ms doubling to 5 s: over 3 s each index can make at most 7 attempts (50 + 100 + 200 +
        // 400 + 800 + 1,600 ms at the shortest jitter), so 2 x 7 plus the two first ones bound what the server sees.
        // Replacing at once (or restarting the back-off after each connect that succeeded) gives 20 to 60 a second.
        using var peer = RawHttp2Peer.Start(PeerMisbehaviour.Peer(how));
        var handler = new RecordingResponseHandler(10_000);
        var options = PeerRequests.Options(peer.BaseUri) with
        {
            ConnectionCount = 2,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(100),
            ReconnectMaxDelay = TimeSpan.FromSeconds(5),
            RequireConnectionAtStart = false,
        };
        var started = Stopwatch.GetTimestamp();
        await using var client = await Http2Client.ConnectAsync(options, handler);
        var token = 0;
        long longestBackoff = 0;

        // Keep offering requests, so that every connection that opens is used and ended.
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(3))
        {
            if (PeerRequests.TrySend(client, token) == Http2SendResult.Sent)
            {
                token++;
            }

            client.Flush();
            longestBackoff = Math.Max(longestBackoff, client.Counters.ReconnectBackoffMillis);
            await Task.Delay(5);
        }

        var accepted = peer.ConnectionCount;

        Assert.True(accepted <= 16, $"{accepted} connections in 3 s");
        Assert.True(accepted >= 4, $"only {accepted} connections: the client stopped reconnecting");
        Assert.True(client.Counters.ConnectAttempts >= accepted, $"{client.Counters.ConnectAttempts} attempts counted, {accepted} accepted");
        Assert.True(longestBackoff >= 400, $"the longest back-off seen was {longestBackoff} ms");
    }

    [Fact]
    public async Task Dispose_WhileReconnectingInALoop_NoReaderThreadOutlivesIt()
    {
        // The server closes every connection right after its SETTINGS and the back-off is 1 ms: a reconnect is nearly
        // always under way, its reader thread just started, when the client is disposed.
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Opening = RawPeerOpening.Close });
        for (var round = 0; round < 40; round++)
        {
            var client = await Http2Client.ConnectAsync(
                PeerRequests.Options(peer.BaseUri) with
                {
                    ConnectionCount = 2, RequireConnectionAtStart = false, ReconnectMinDelay = TimeSpan.FromMilliseconds(1), ReconnectMaxDelay = TimeSpan.FromMilliseconds(1),
                },
                new RecordingResponseHandler(1));
            await Task.Delay(20 + (round % 7));

            await client.DisposeAsync().AsTask().WaitAsync(s_wait);

            Assert.All(client.ReaderThreads, t => Assert.False(t.IsAlive, $"reader thread {t.ManagedThreadId} outlived the client (round {round})"));
        }
    }

    [Fact]
    public async Task Connection_ThatServedManyAnswers_GoAwayReplacedAtOnceWithTheBackoffReset()
    {
        // The server retires each connection after 100 answers (as nginx does after its keep-alive request limit): a
        // connection that served that many proved the server well, so it is replaced at once, not after 30 s.
        using var peer = RawHttp2Peer.Start(new RawPeerOptions
        {
            Reply = c => c.RequestNumber == Http2Client.ProvenAfterResponses ? RawPeerReply.AnswerThenGoAway : RawPeerReply.Answer,
        });
        var handler = new RecordingResponseHandler(300);
        await using var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri), handler);

        // One request at a time. The request after each hundredth may leave before the client has read the GOAWAY that
        // followed its predecessor's answer; the GOAWAY then says it was never processed. Every other one is answered.
        for (var token = 0; token < 300; token++)
        {
            SendDriver.SendAll(client, token, 1, t => PeerRequests.TrySend(client, t), 1, s_wait);
            Assert.True(await handler.WaitForOutcomesAsync(token + 1, s_wait));
        }

        handler.AssertExactlyOneOutcomeEach(300);
        var notProcessed = Enumerable.Range(0, 300).Count(t => handler.FailureOf(t) == Http2StreamFailure.NotProcessed);
        Assert.Equal(300 - notProcessed, Enumerable.Range(0, 300).Count(t => handler.IsResponse(t) && handler.Status(t) == 200));
        Assert.InRange(notProcessed, 0, 2);
        Assert.True(peer.ConnectionCount >= 3, $"{peer.ConnectionCount} connections");
    }
}
