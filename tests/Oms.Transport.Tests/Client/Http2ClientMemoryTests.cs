namespace Oms.Transport.Tests.Client;

/// <summary>
/// Memory stays bounded whatever the server sends: bodies without end on every stream, and connections that end as
/// soon as they open. Measured on the whole process's managed heap, so these run alone.
/// </summary>
[Collection(NonParallelCollection.Name)]
public sealed class Http2ClientMemoryTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Server_SendsEndlessBodiesOnEveryStream_LiveHeapStaysWithinAFewTensOfMiB()
    {
        // Two connections with the default limits (64 KiB a body, 1 MiB of unfinished bodies a connection) and up to
        // 200 streams in flight for 3 s, every one answered with DATA for as long as flow control lets the server send.
        // Unfinished bodies hold their connection credit, so the server stalls once a connection's 1 MiB is buffered
        // until streams end (past the limit, or timed out after 500 ms) and give it back. Without these limits each
        // stream could buffer 4 MiB: hundreds of MiB.
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Reply = _ => RawPeerReply.EndlessBody });
        var handler = new RecordingResponseHandler(1_000_000, keepBodies: false);
        var options = new Http2ClientOptions
        {
            BaseUri = peer.BaseUri, ConnectionCount = 2, PingInterval = TimeSpan.Zero, RequestTimeout = TimeSpan.FromMilliseconds(500), MaxConsecutiveTimeouts = 1_000_000,
        };
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;

        await using (var client = await Http2Client.ConnectAsync(options, handler))
        {
            var started = Stopwatch.GetTimestamp();
            var token = 0;
            var sampled = Stopwatch.GetTimestamp();
            // At least 3 s and at least the flood the bound is about; a loaded machine (other test assemblies run
            // alongside) may need longer to send it, within a liveness bound.
            while ((Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(3) || client.Counters.BytesReceived < 4L << 20 || handler.Outcomes < 200)
                && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(30))
            {
                while (token - handler.Outcomes < 200 && PeerRequests.TrySend(client, token) == Http2SendResult.Sent)
                {
                    token++;
                }

                client.Flush();
                if (Stopwatch.GetElapsedTime(sampled) > TimeSpan.FromMilliseconds(250))
                {
                    peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
                    sampled = Stopwatch.GetTimestamp();
                }

                await Task.Delay(2);
            }

            Assert.True(client.Counters.BytesReceived >= 4L << 20, $"only {client.Counters.BytesReceived} octets arrived: the flood did not happen");
            Assert.True(handler.Outcomes >= 200, $"only {handler.Outcomes} streams ended");
        }

        Assert.True(peak < 48L << 20, $"the live heap grew by {peak >> 20} MiB");
        Assert.Equal(0, handler.DoubleReports);
    }

    [Fact]
    public async Task Server_EndsEveryConnectionAfterItsSettings_EachReconnectAllocatesLittleAndNothingIsKept()
    {
        // A fast reconnect loop (1 to 2 ms back-off): after a warm-up, 200 more connections may neither keep memory
        // alive nor allocate a new stream table each (a stream table for 1,000 streams is over 300 KiB).
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Opening = RawPeerOpening.GoAway });
        var options = new Http2ClientOptions
        {
            BaseUri = peer.BaseUri,
            ConnectionCount = 1,
            PingInterval = TimeSpan.Zero,
            RequireConnectionAtStart = false,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(1),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(2),
        };
        await using var client = await Http2Client.ConnectAsync(options, new RecordingResponseHandler(1));
        Assert.True(await WaitForAttemptsAsync(client, 50), "the client did not reconnect 50 times");
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var attemptsBefore = client.Counters.ConnectAttempts;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        Assert.True(await WaitForAttemptsAsync(client, attemptsBefore + 200), "the client did not reconnect 200 more times");
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var attempts = client.Counters.ConnectAttempts - attemptsBefore;
        var heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;

        Assert.True(allocated / attempts < 160 * 1024, $"{allocated / attempts} bytes allocated per connection");
        Assert.True(heapGrowth < 4L << 20, $"the live heap grew by {heapGrowth >> 10} KiB over {attempts} connections");
    }

    private static async Task<bool> WaitForAttemptsAsync(Http2Client client, long attempts)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(s_wait.TotalSeconds * Stopwatch.Frequency);
        while (client.Counters.ConnectAttempts < attempts)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            await Task.Delay(5);
        }

        return true;
    }
}
