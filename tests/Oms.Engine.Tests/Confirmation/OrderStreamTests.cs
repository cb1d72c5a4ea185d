using System.Net;
using System.Net.Sockets;
using Oms.Engine.Confirmation;
using Oms.Testing.Waiting;

namespace Oms.Engine.Tests.Confirmation;

/// <summary>
/// The private order stream against a scripted Kestrel venue over HTTP/2 cleartext: the signed upgrade, the
/// subscription, order messages, pings both ways, gaps and reconnects, refused upgrades, and stopping at any moment.
/// </summary>
public sealed class OrderStreamTests
{
    private const string Group = "4";

    // The most a window of messages may allocate on the stream thread: room for a one-off (a ping sent), never for a
    // per-message cost, which over 5,000 messages would pass it at a single byte each.
    private const int MaxOneOffBytesPerWindow = 1024;
    private const string OrderA = "a18bcdef0123U1234567890abcdefghi";
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(15);

    private static readonly ConfirmationSettings s_fast = new()
    {
        StreamPingInterval = TimeSpan.FromSeconds(5),
        StreamReconnectMinDelay = TimeSpan.FromMilliseconds(20),
        StreamReconnectMaxDelay = TimeSpan.FromMilliseconds(100),
    };

    [Theory]
    [InlineData("v1", "/4/api/pro/v1/stream", "stream", "order:futures")]
    [InlineData("v2", "/4/api/pro/v2/stream", "v2/stream", "futures-order")]
    public async Task Start_SignsTheUpgradeAndSubscribesToTheOrderChannel_OverHttp2(string profileName, string path, string prehash, string channel)
    {
        // Arrange
        var fixedTime = new FixedTime(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123));
        await using var server = await ScriptedStreamServer.StartAsync(async session =>
        {
            await session.HandshakeAsync();
            await session.HoldAsync();
        });
        var sink = new RecordingStreamSink();
        CancelProfile.TryGetByName(profileName, out var profile);
        var stream = NewStream(server, sink, s_fast, profile!, fixedTime);

        // Act
        stream.Start();
        bool live = await Waiting.WaitUntilAsync(() => sink.Live == 1, s_bound);
        await StopAndAssertEndedAsync(stream);

        // Assert
        Assert.True(live, stream.LastFailure);
        var attempt = Assert.Single(server.Attempts);
        Assert.Equal("HTTP/2", attempt.Protocol);
        Assert.Equal(path, attempt.Path);
        Assert.Equal(ScriptedStreamServer.ApiKey, attempt.Key);
        Assert.Equal("1700000000123", attempt.Timestamp);
        Assert.Equal(ScriptedStreamServer.Sign("1700000000123", prehash), attempt.Signature);
        Assert.True(attempt.Signed);
        var session = Assert.Single(server.Sessions);
        using var sub = JsonDocument.Parse(session.Received.First());
        Assert.Equal("sub", sub.RootElement.GetProperty("op").GetString());
        Assert.Equal(channel, sub.RootElement.GetProperty("ch").GetString());
        Assert.Equal(0, sink.Gaps);
        Assert.Equal(0, sink.OffThreadCalls);
        Assert.Equal(StreamTransport.Http2Tunnel, stream.Transport);
    }

    [Fact]
    public async Task OrderMessages_V1AndV2Shapes_ReachTheSinkWithIdAndStatus()
    {
        // Arrange
        await using var server = await ScriptedStreamServer.StartAsync(async session =>
        {
            await session.HandshakeAsync();
            await session.SendAsync($$$"""{"m":"order","accountId":"x","ac":"FUTURES","execId":1,"data":{"orderId":"{{{OrderA}}}","s":"BTC-PERP","st":"Canceled","cfq":"0"}}""");
            await session.SendAsync("""{"m":"futures-order","orderId":"b2","st":"PartiallyFilled","cfq":"1","sn":7}""");
            await session.SendAsync("""{"m":"position","data":{"orderId":"ignored","st":"Filled"}}""");
            await session.SendAsync("""{"m":"order","data":{"st":"Expired","orderId":"c3"}}""");
            await session.SendAsync("""{"m":"order","data":{"orderId":"d4","st":"Filled"}}""");
            await session.HoldAsync();
        });
        var sink = new RecordingStreamSink();
        var stream = NewStream(server, sink, s_fast);

        // Act
        stream.Start();
        bool all = await Waiting.WaitUntilAsync(() => sink.OrderCount == 4, s_bound);
        await StopAndAssertEndedAsync(stream);

        // Assert
        Assert.True(all, stream.LastFailure);
        Assert.Equal(
            [(OrderA, VenueOrderStatus.Canceled), ("b2", VenueOrderStatus.PartiallyFilled), ("c3", VenueOrderStatus.Unknown), ("d4", VenueOrderStatus.Filled)],
            sink.Orders.ToArray());
        Assert.Equal(4, stream.Messages);
        Assert.Equal(["live", "order", "order", "order", "order"], sink.Events.ToArray());
        Assert.Equal(0, sink.OffThreadCalls);
    }

    [Fact]
    public async Task ServerPing_IsAnsweredWithPong()
    {
        // Arrange
        var pong = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await ScriptedStreamServer.StartAsync(async session =>
        {
            await session.HandshakeAsync();
            await session.SendAsync("""{"m":"ping","hp":3}""");
            pong.TrySetResult(await session.ReceiveAsync());
            await session.HoldAsync();
        });
        var stream = NewStream(server, new RecordingStreamSink(), s_fast);

        // Act
        stream.Start();
        string? answer = await pong.Task.WaitAsync(s_bound);
        await StopAndAssertEndedAsync(stream);

        // Assert
        Assert.Equal("""{"op":"pong"}""", answer);
    }

    [Fact]
    public async Task ClientPings_GoOutEveryInterval_AndThePongSetsTheClockOffset()
    {
        // Arrange: the venue's clock runs 5 s ahead of ours.
        const long ahead = 5_000;
        await using var server = await ScriptedStreamServer.StartAsync(async session =>
        {
            await session.HandshakeAsync();
            await session.HoldAsync(() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + ahead);
        });
        var settings = s_fast with { StreamPingInterval = TimeSpan.FromMilliseconds(100) };
        var stream = NewStream(server, new RecordingStreamSink(), settings);

        // Act
        stream.Start();
        bool sampled = await Waiting.WaitUntilAsync(() => stream.ClockSamples >= 3, s_bound);
        await StopAndAssertEndedAsync(stream);

        // Assert
        Assert.True(sampled, stream.LastFailure);
        Assert.InRange(stream.ClockOffsetMillis, ahead - 250, ahead + 250);
        Assert.True(server.Sessions.Count == 1, $"{server.Sessions.Count} sessions, last failure: {stream.LastFailure}");
        var pings = server.Sessions.Single().Received.Count(m => m == """{"op":"ping"}""");
        Assert.True(pings >= 3, $"{pings} pings");
        Assert.Equal(0, stream.Reconnects);
    }

    [Fact]
    public async Task VenueClose_ReportsOneGap_ThenReconnectsAndResubscribes()
    {
        // Arrange: the first session closes after one order; the second stays.
        await using var server = await ScriptedStreamServer.StartAsync(async session =>
        {
            await session.HandshakeAsync();
            if (session.Number == 1)
            {
                await session.SendAsync("""{"m":"order","data":{"orderId":"a1","st":"Canceled"}}""");
                await session.CloseAsync();

                // Aborting at once would reset the HTTP/2 stream, and a reset discards what the client has not read yet.
                await session.ReceiveAsync(TimeSpan.FromSeconds(5));
                return;
            }

            await session.HoldAsync();
        });
        var sink = new RecordingStreamSink();
        var stream = NewStream(server, sink, s_fast);

        // Act
        stream.Start();
        bool again = await Waiting.WaitUntilAsync(() => sink.Live == 2, s_bound);
        await StopAndAssertEndedAsync(stream);

        // Assert
        Assert.True(again, $"{stream.LastFailure}; events {string.Join(",", sink.Events)}; attempts {server.Attempts.Count}; failures {stream.ConnectFailures}");
        Assert.Equal(["live", "order", "gap", "live"], sink.Events.ToArray());
        Assert.Equal(1, stream.Reconnects);
        Assert.Equal(1, stream.Gaps);
        Assert.Equal(0, stream.ConnectFailures);
        Assert.All(server.Sessions, s => Assert.Contains(s.Received, m => m.Contains("order:futures", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("""{"m":"disconnected","code":100005,"reason":"INVALID_WS_REQUEST_DATA","info":"Session is disconnected due to missing pong message from the client"}""", "100005")]
    [InlineData(null, "silent")]
    public async Task LiveStreamEnded_ByDisconnectOrSilence_ReportsAGapAndReconnects(string? ending, string expectedFailure)
    {
        // Arrange: the first session goes live, then says disconnected or falls silent (3 ping intervals: 300 ms).
        await using var server = await ScriptedStreamServer.StartAsync(async session =>
        {
            await session.HandshakeAsync();
            if (session.Number == 1)
            {
                if (ending is not null)
                {
                    await session.SendAsync(ending);
                }

                await Task.Delay(Timeout.Infinite, session.Stopping);
            }

            await session.HoldAsync();
        });
        var sink = new RecordingStreamSink();
        var settings = s_fast with { StreamPingInterval = TimeSpan.FromMilliseconds(100) };
        var stream = NewStream(server, sink, settings);

        // Act
        stream.Start();
        bool again = await Waiting.WaitUntilAsync(() => sink.Live == 2, s_bound);
        string? failure = stream.LastFailure;
        await StopAndAssertEndedAsync(stream);

        // Assert
        Assert.True(again, failure);
        Assert.Equal(["live", "gap", "live"], sink.Events.ToArray());
        Assert.Contains(expectedFailure, failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubscriptionRefused_ReportsOneGapForTheFirstFailure_AndKeepsTrying()
    {
        // Arrange
        await using var server = await ScriptedStreamServer.StartAsync(async session =>
        {
            await session.HandshakeAsync(ackCode: session.Number <= 3 ? 100005 : 0);
            await session.HoldAsync();
        });
        var sink = new RecordingStreamSink();
        var stream = NewStream(server, sink, s_fast);

        // Act
        stream.Start();
        bool live = await Waiting.WaitUntilAsync(() => sink.Live == 1, s_bound);
        await StopAndAssertEndedAsync(stream);

        // Assert
        Assert.True(live, stream.LastFailure);
        Assert.Equal(["gap", "live"], sink.Events.ToArray());
        Assert.Equal(3, stream.Reconnects);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(503)]
    public async Task RefusedUpgrade_CountsFailures_BacksOffWithinTheBounds_AndReportsOneGap(int status)
    {
        // Arrange
        await using var server = await ScriptedStreamServer.StartAsync(_ => Task.CompletedTask, refuseWith: _ => status);
        var sink = new RecordingStreamSink();
        var settings = s_fast with { StreamReconnectMinDelay = TimeSpan.FromMilliseconds(40), StreamReconnectMaxDelay = TimeSpan.FromMilliseconds(160) };
        var stream = NewStream(server, sink, settings);

        // Act
        stream.Start();
        bool failing = await Waiting.WaitUntilAsync(() => stream.ConnectFailures >= 5, s_bound);
        await StopAndAssertEndedAsync(stream);

        // Assert
        Assert.True(failing, stream.LastFailure);
        Assert.Contains($"HTTP {status}", stream.LastFailure, StringComparison.Ordinal);
        Assert.Equal(1, sink.Gaps);
        Assert.Equal(0, sink.Live);
        Assert.Equal(0, stream.Reconnects);
        Assert.DoesNotContain(ScriptedStreamServer.Secret, stream.LastFailure, StringComparison.Ordinal);
        Assert.All(server.Attempts, a => Assert.True(a.Signed));
        var arrivals = server.Attempts.Select(a => a.ArrivedAt).ToArray();
        for (int i = 1; i < arrivals.Length; i++)
        {
            var waited = Stopwatch.GetElapsedTime(arrivals[i - 1], arrivals[i]);
            Assert.True(waited >= TimeSpan.FromMilliseconds(35), $"Attempt {i + 1} came {waited.TotalMilliseconds:0} ms after the one before.");
        }
    }

    [Fact]
    public async Task Tls_PinnedCa_GoesLive_SystemStoreRefusesTheSameCertificate()
    {
        // Arrange
        using var authority = new TestAuthority();
        await using var server = await ScriptedStreamServer.StartAsync(
            async session =>
            {
                await session.HandshakeAsync();
                await session.HoldAsync();
            },
            tlsCertificate: authority.Server);
        var pinnedSink = new RecordingStreamSink();
        var pinned = new OrderStream(server.BaseUri, Group, CancelProfile.V1, ScriptedStreamServer.Credentials, authority.CaPath, s_fast, pinnedSink);
        var systemSink = new RecordingStreamSink();
        var system = new OrderStream(server.BaseUri, Group, CancelProfile.V1, ScriptedStreamServer.Credentials, null, s_fast, systemSink);

        // Act
        pinned.Start();
        system.Start();
        bool live = await Waiting.WaitUntilAsync(() => pinnedSink.Live == 1, s_bound);
        bool refused = await Waiting.WaitUntilAsync(() => system.ConnectFailures >= 1, s_bound);
        await StopAndAssertEndedAsync(pinned);
        await StopAndAssertEndedAsync(system);

        // Assert
        Assert.True(live, pinned.LastFailure);
        Assert.StartsWith("wss://localhost:", pinned.StreamUri.ToString(), StringComparison.Ordinal);
        Assert.True(refused);
        Assert.Equal(0, systemSink.Live);
        Assert.Equal(1, systemSink.Gaps);

        // Only the pinned stream got past TLS; ALPN gave it HTTP/2, and our tunnel carried it.
        Assert.All(server.Attempts, a => Assert.Equal(("HTTP/2", true), (a.Protocol, a.Signed)));
        Assert.Equal(StreamTransport.Http2Tunnel, pinned.Transport);
    }

    [Fact]
    public async Task Stop_WhileConnectingToAServerThatNeverAnswers_EndsPromptly()
    {
        // Arrange: TCP accepts, HTTP/2 never answers.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = new ConcurrentQueue<Socket>();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    accepted.Enqueue(await listener.AcceptSocketAsync());
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        });
        var baseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        var stream = new OrderStream(baseUri, Group, CancelProfile.V1, ScriptedStreamServer.Credentials, null, s_fast, new RecordingStreamSink());

        // Act
        stream.Start();
        await Waiting.WaitUntilAsync(() => !accepted.IsEmpty, s_bound);
        await Task.Delay(200);
        var clock = Stopwatch.StartNew();
        await StopAndAssertEndedAsync(stream);
        clock.Stop();

        // Assert
        Assert.False(accepted.IsEmpty);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"Stop took {clock.Elapsed}.");
        listener.Stop();
        await accepting.WaitAsync(s_bound);
        foreach (var socket in accepted)
        {
            socket.Dispose();
        }
    }

    [Fact]
    public async Task Stop_BeforeStart_AndTwice_IsHarmless()
    {
        // Arrange
        var stream = new OrderStream(new Uri("http://127.0.0.1:1"), Group, CancelProfile.V1, ScriptedStreamServer.Credentials, null, s_fast, new RecordingStreamSink());

        // Act
        bool first = await stream.StopAsync();
        await stream.DisposeAsync();
        await stream.DisposeAsync();

        // Assert
        Assert.True(first);
        Assert.False(stream.IsRunning);
    }

    [Fact]
    public async Task UnreachableVenue_FirstFailureIsAGap_LaterFailuresAreNot()
    {
        // Arrange: a port nobody listens on.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var sink = new RecordingStreamSink();
        var stream = new OrderStream(new Uri($"http://127.0.0.1:{port}"), Group, CancelProfile.V1, ScriptedStreamServer.Credentials, null, s_fast, sink);

        // Act
        stream.Start();
        bool failing = await Waiting.WaitUntilAsync(() => stream.ConnectFailures >= 3, s_bound);
        await StopAndAssertEndedAsync(stream);

        // Assert
        Assert.True(failing);
        Assert.Equal(1, sink.Gaps);
        Assert.StartsWith("cannot connect the stream", stream.LastFailure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LargeMessage_IsAssembledBeyondTheReceiveBuffer_AndOversizedOnesAreSkipped()
    {
        // Arrange
        string padding = new('x', 40_000);
        string huge = new('y', OrderStream.MaxMessageSize + 10);
        await using var server = await ScriptedStreamServer.StartAsync(async session =>
        {
            await session.HandshakeAsync();
            await session.SendAsync($$$"""{"m":"order","data":{"orderId":"big1","st":"Filled","note":"{{{padding}}}"}}""");
            await session.SendAsync($$$"""{"m":"order","data":{"orderId":"huge","st":"Filled","note":"{{{huge}}}"}}""");
            await session.SendAsync("""{"m":"order","data":{"orderId":"after","st":"Canceled"}}""");
            await session.HoldAsync();
        });
        var sink = new RecordingStreamSink();
        var stream = NewStream(server, sink, s_fast);

        // Act
        stream.Start();
        bool done = await Waiting.WaitUntilAsync(() => sink.OrderCount == 2 && stream.OversizedMessages == 1, s_bound);
        await StopAndAssertEndedAsync(stream);

        // Assert
        Assert.True(done, stream.LastFailure);
        Assert.Equal([("big1", VenueOrderStatus.Filled), ("after", VenueOrderStatus.Canceled)], sink.Orders.ToArray());
        Assert.Equal(0, stream.Reconnects);
    }

    /// <remarks>
    /// Receiving, parsing and delivering a message allocate nothing once the stream is warm, the HTTP/2 tunnel and the
    /// WebSocket framing included: at least one window must be exactly 0 and none may hold more than a one-off. The
    /// runtime's <c>ClientWebSocket</c> this replaced left 34-39 KB per window of 5,000 (its HTTP/2 read allocating a
    /// state machine whenever a receive had to wait) and fails this test.
    /// </remarks>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OrderMessages_SteadyState_AllocateNothingPerMessageOnTheStreamThread(bool tls)
    {
        // Arrange
        const int warmUp = 5_000;
        const int perWindow = 5_000;
        const int windowCount = 3;
        const int total = warmUp + (perWindow * windowCount);
        var sampler = new WindowSampler(warmUp, perWindow, windowCount);
        using var authority = tls ? new TestAuthority() : null;
        await using var server = await ScriptedStreamServer.StartAsync(
            async session =>
            {
                await session.HandshakeAsync();
                var message = Encoding.UTF8.GetBytes($$$"""{"m":"order","accountId":"x","ac":"FUTURES","execId":1,"data":{"orderId":"{{{OrderA}}}","s":"BTC-PERP","st":"Canceled","cfq":"0","q":"0.1","p":"8000","sd":"Buy","ot":"Limit","t":1586288919298,"err":""}}""");
                for (int i = 0; i < total; i++)
                {
                    await session.Socket.SendAsync(message, System.Net.WebSockets.WebSocketMessageType.Text, true, session.Stopping);
                }

                await session.HoldAsync();
            },
            tlsCertificate: authority?.Server);
        var sink = new RecordingStreamSink(sampler) { CountOnly = true };
        var stream = new OrderStream(server.BaseUri, Group, CancelProfile.V1, ScriptedStreamServer.Credentials, authority?.CaPath, s_fast, sink);

        // Act
        stream.Start();
        bool all = await Waiting.WaitUntilAsync(() => sink.OrderCount >= total, TimeSpan.FromSeconds(60));
        await StopAndAssertEndedAsync(stream);

        // Assert
        Assert.True(all, $"{sink.OrderCount} of {total}; {stream.LastFailure}");
        long[] windows = sampler.BytesPerWindow();
        string shown = $"Bytes per window of {perWindow} messages: {string.Join(", ", windows)}";
        Assert.True(windows.Min() == 0 && windows.Max() <= MaxOneOffBytesPerWindow, shown);
        Assert.Equal(StreamTransport.Http2Tunnel, stream.Transport);
    }

    private static OrderStream NewStream(ScriptedStreamServer server, RecordingStreamSink sink, ConfirmationSettings settings, CancelProfile? profile = null, TimeProvider? time = null) =>
        new(server.BaseUri, Group, profile ?? CancelProfile.V1, ScriptedStreamServer.Credentials, null, settings, sink, time);

    private static async Task StopAndAssertEndedAsync(OrderStream stream)
    {
        Assert.True(await stream.StopAsync().WaitAsync(s_bound), "The stream's thread did not end.");
        await stream.DisposeAsync();
        Assert.False(stream.IsRunning);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
