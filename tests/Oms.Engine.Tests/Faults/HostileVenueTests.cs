namespace Oms.Engine.Tests.Faults;

/// <summary>
/// The engine against a venue that misbehaves in a way no server library would (the raw peer), one way per case:
/// every intent gets one outcome within the venue's window, memory stays within a bound, reconnects stay within a
/// few a second, and no connection stays wedged past its bound.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class HostileVenueTests
{
    private const int Intents = 300;
    private const string Symbol = "BTC-PERP";

    // With a 24 s margin an intent may wait 6 s from its publication before it expires: every case ends within that.
    private static readonly TimeSpan s_window = CancelEngineSettings.VenueWindow - TimeSpan.FromSeconds(24);

    private static readonly byte[] s_ack = Encoding.ASCII.GetBytes(
        "{\"code\":0,\"data\":{\"accountId\":\"a\",\"ac\":\"FUTURES\",\"action\":\"cancel-order\",\"status\":\"Ack\","
        + "\"info\":{\"id\":\"00000000000000000000000000000000\",\"orderId\":\"o\",\"orderType\":\"\",\"symbol\":\"BTC-PERP\",\"timestamp\":1}}}");

    public static TheoryData<string> Misbehaviours => new(PeerMisbehaviour.All);

    [Theory]
    [MemberData(nameof(Misbehaviours))]
    public async Task Venue_Misbehaves_EveryIntentOneOutcomeWithinTheWindowMemoryAndReconnectsBoundedNothingWedged(string misbehaviour)
    {
        using var peer = RawHttp2Peer.Start(PeerMisbehaviour.Peer(misbehaviour, s_ack));
        var listener = new RecordingListener();
        var settings = new CancelEngineSettings
        {
            BaseUrl = peer.BaseUri,
            AccountGroup = "7",
            RequestTimeout = TimeSpan.FromMilliseconds(300),
            RetryBackoff = TimeSpan.FromMilliseconds(50),
            RateLimitPerSecond = 0,
            ExpiryMargin = CancelEngineSettings.VenueWindow - s_window,
            StartWithoutVenue = true,
            HeaderBlockTimeout = TimeSpan.FromMilliseconds(500),
            PingTimeout = TimeSpan.FromMilliseconds(500),

            // Outcomes, memory and reconnects under a hostile peer; what its answers to status queries mean for the
            // fates is ConfirmationTests' business.
            Confirmation = new() { Enabled = false },
        };
        long heapPeak = 0;
        long residentPeak = 0;
        var clock = Stopwatch.StartNew();

        await using (var engine = await CancelEngine.StartAsync(settings, new ApiCredentials("hostile-key", "hostile-secret"), listener).WaitAsync(FakeEngine.Bound))
        {
            // Measured from a started engine: what it allocates up front (tables, queues, buffers) is its size, set by
            // its settings; what the hostile peer can make it grow by is what this bounds.
            var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            var residentBefore = Environment.WorkingSet;
            for (var tag = 0; tag < Intents; tag++)
            {
                Assert.True(engine.TryCancel(OrderId(tag), Symbol, tag, out var refusal), $"intent {tag} refused: {refusal}");
            }

            while (listener.Count < Intents && clock.Elapsed < s_window + TimeSpan.FromSeconds(10))
            {
                heapPeak = Math.Max(heapPeak, GC.GetTotalMemory(forceFullCollection: true) - heapBefore);
                residentPeak = Math.Max(residentPeak, Environment.WorkingSet - residentBefore);
                await Task.Delay(200);
            }

            var decided = clock.Elapsed;
            await engine.StopAsync(TimeSpan.FromSeconds(1)).WaitAsync(FakeEngine.Bound);
            var counters = engine.GetCounters();
            var transport = engine.TransportCounters!;
            var context = $"{misbehaviour}: {counters}; {listener.Summary()}";

            Assert.True(listener.Count == Intents, $"{listener.Count} of {Intents} outcomes after {decided}; {context}");
            Assert.Equal(0, listener.DoubleReports);
            Assert.Equal(Intents, counters.Acked + counters.Rejected + counters.Failed + counters.Expired);
            Assert.True(decided < s_window + TimeSpan.FromSeconds(3), $"the last outcome came after {decided}; {context}");
            Assert.True(heapPeak < 64L << 20, $"the live heap grew by {heapPeak >> 20} MiB; {context}");
            Assert.True(residentPeak < 256L << 20, $"resident memory grew by {residentPeak >> 20} MiB; {context}");

            // Two connections, 100 ms doubling to 5 s: a handful a second at the start, fewer after.
            var perSecond = peer.ConnectionCount / Math.Max(1, decided.TotalSeconds);
            Assert.True(perSecond <= 8, $"{peer.ConnectionCount} connections in {decided.TotalSeconds:0.0} s; {context}");
            Assert.True(transport.ConnectAttempts >= peer.ConnectionCount, $"{transport.ConnectAttempts} attempts counted for {peer.ConnectionCount} connections");

            await AssertMisbehaviourMetAsync(misbehaviour, peer, listener, transport, context);
        }
    }

    [Fact]
    public async Task Venue_SendsGoAwayRightAfterSettings_StartFailsAsUnreachableOrKeepsTryingWhenToldTo()
    {
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Opening = RawPeerOpening.GoAway });
        var settings = new CancelEngineSettings { BaseUrl = peer.BaseUri, AccountGroup = "7", RateLimitPerSecond = 0, ExpiryMargin = TimeSpan.FromSeconds(28) };
        var credentials = new ApiCredentials("hostile-key", "hostile-secret");

        await Assert.ThrowsAsync<Http2ConnectException>(() => CancelEngine.StartAsync(settings, credentials, new RecordingListener()).WaitAsync(FakeEngine.Bound));

        var listener = new RecordingListener();
        await using var engine = await CancelEngine.StartAsync(settings with { StartWithoutVenue = true }, credentials, listener).WaitAsync(FakeEngine.Bound);
        Assert.True(engine.TryCancel(OrderId(0), Symbol, 0, out _));
        var outcome = await listener.WaitForTagAsync(0, FakeEngine.Bound);

        Assert.Equal("expired", outcome.Kind);
        Assert.True(engine.TransportCounters!.ConnectAttempts >= 2);
    }

    private static async Task AssertMisbehaviourMetAsync(
        string misbehaviour, RawHttp2Peer peer, RecordingListener listener, Oms.Transport.Diagnostics.TransportCounters transport, string context)
    {
        switch (misbehaviour)
        {
            case PeerMisbehaviour.EndlessBodies:
                Assert.True(transport.BytesReceived > 1 << 20, context);
                Assert.Equal(0, listener.CountOf("acked"));
                break;
            case PeerMisbehaviour.GoAwayAfterTheFirstAnswer:
            case PeerMisbehaviour.ViolationAfterTheFirstAnswer:
                // Each connection carries one answer before it ends, and the back-off keeps connections few: some
                // cancels are acked, the rest fail or expire, none is lost.
                Assert.True(listener.CountOf("acked") >= 2, context);
                break;
            case PeerMisbehaviour.CloseAfterSettings:
                Assert.Equal(0, listener.CountOf("acked"));
                break;
            case PeerMisbehaviour.EndlessContinuation:
                // Each connection is closed at the header block's frame bound, long before its timeout.
                Assert.True(transport.ProtocolErrors >= 1, context);
                await AssertNoConnectionWedgedAsync(peer, TimeSpan.FromSeconds(2), context);
                break;
            case PeerMisbehaviour.NoAnswerOnTheFirstConnection:
                // The silent connection is retired after a few timeouts and what it held is resent on healthy ones:
                // nothing fails that a healthy venue would have acked.
                Assert.Equal(Intents, listener.CountOf("acked"));
                Assert.True(transport.ConnectionsRetired >= 1, context);
                await AssertNoConnectionWedgedAsync(peer, TimeSpan.FromSeconds(3), context);
                break;
            case PeerMisbehaviour.UpperCaseFieldNames:
                Assert.Equal(0, listener.CountOf("acked"));
                Assert.True(transport.ResetsSent >= 1, context);
                break;
        }
    }

    /// <summary>Every connection the engine gave up on closed within <paramref name="bound"/> of opening; only the newest may still be open.</summary>
    private static async Task AssertNoConnectionWedgedAsync(RawHttp2Peer peer, TimeSpan bound, string context)
    {
        var first = await peer.ConnectionAsync(0);
        await first.Closed.WaitAsync(FakeEngine.Bound);
        Assert.True(first.Lifetime < bound, $"the first connection stayed open {first.Lifetime}; {context}");
    }

    private static string OrderId(int tag) => tag.ToString("D32", System.Globalization.CultureInfo.InvariantCulture);
}
