namespace Oms.Transport.Tests.Client;

/// <summary>The client against the venue simulator: a real Kestrel server checking every cancel as the contract says.</summary>
public sealed class Http2ClientVenueTests : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("oms-transport-venue-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TrySend_5000ConcurrentCancelsOverTwoConnections_EveryOneAckedWithItsOwnEchoedId(bool tls)
    {
        const int count = 5000;
        await using var venue = await VenueServer.StartAsync(new VenueOptions { UseTls = tls });
        var requests = new VenueCancelRequests(venue);
        var cancels = venue.Book.SeedGenerated(count, VenueCancelRequests.Symbol).Select(id => requests.Create(id)).ToArray();
        var handler = new RecordingResponseHandler(count);
        await using var client = await Http2Client.ConnectAsync(Options(venue, tls), handler);

        await SendDriver.SendAllOnThreadAsync(client, 0, count, t => requests.TrySend(client, cancels[t], t), batchSize: 64, s_wait);
        Assert.True(await handler.WaitForOutcomesAsync(count, s_wait), $"{handler.Outcomes} of {count} outcomes");

        handler.AssertExactlyOneOutcomeEach(count);
        for (var token = 0; token < count; token++)
        {
            Assert.Equal(200, handler.Status(token));
            Assert.Equal(0, VenueCancelRequests.Code(handler.Body(token)));
            Assert.Equal(cancels[token].RequestId, VenueCancelRequests.EchoedId(handler.Body(token)));
        }

        Assert.Equal(count, venue.Stats.Acked);
        Assert.Equal(0, venue.Stats.DuplicateRequestIds);
        Assert.Equal(2, venue.Stats.ConnectionsOpened);
        Assert.Equal(0, client.Counters.StreamsInFlight);
        Assert.Equal(count, client.Counters.StreamsOpened);
    }

    [Fact]
    public async Task TrySend_AfterTheFirstRequestOnEachConnection_ConstantHeadersCostOneOctetEach()
    {
        // A steady-state request is HEADERS (9-octet frame header; the four pseudo-headers, content-type and
        // x-auth-key as one indexed octet each; the two variable headers as literals with a raw name and value)
        // plus one DATA frame (9 + body). Anything more per request means constants are being re-sent.
        const int warmUp = 2;
        const int count = 200;
        await using var venue = await VenueServer.StartAsync(new VenueOptions());
        var requests = new VenueCancelRequests(venue);
        var cancels = venue.Book.SeedGenerated(warmUp + count, VenueCancelRequests.Symbol).Select(id => requests.Create(id, nowMs: NowMs())).ToArray();
        var handler = new RecordingResponseHandler(warmUp + count);
        await using var client = await Http2Client.ConnectAsync(Options(venue, tls: false, pingInterval: TimeSpan.Zero), handler);
        var expectedSteady = SteadyStateSize(cancels[0]);

        var beforeWarmUp = client.Counters.BytesSent;
        SendDriver.SendAll(client, 0, warmUp, t => requests.TrySend(client, cancels[t], t), batchSize: 1, s_wait);
        Assert.True(await handler.WaitForOutcomesAsync(warmUp, s_wait));
        var warmUpBytes = client.Counters.BytesSent - beforeWarmUp;
        var beforeSteady = client.Counters.BytesSent;
        await SendDriver.SendAllOnThreadAsync(client, warmUp, count, t => requests.TrySend(client, cancels[t], t), batchSize: 16, s_wait);
        Assert.True(await handler.WaitForOutcomesAsync(warmUp + count, s_wait));
        var steadyBytes = client.Counters.BytesSent - beforeSteady;

        handler.AssertExactlyOneOutcomeEach(warmUp + count);
        Assert.Equal(warmUp + count, venue.Stats.Acked);
        Assert.Equal((long)count * expectedSteady, steadyBytes);
        Assert.True(expectedSteady < 300, $"{expectedSteady} octets per request");

        // The first request on each connection carries the constants as literals: far more than one octet each.
        Assert.True(warmUpBytes > (warmUp * expectedSteady) + (warmUp * 40), $"warm-up {warmUpBytes} octets");
    }

    [Fact]
    public async Task TrySend_VenueAllowsOneStreamPerConnection_NoCapacityWhileOneInFlightOnEachAndAllComplete()
    {
        const int rounds = 10;
        await using var venue = await VenueServer.StartAsync(new VenueOptions { MaxConcurrentStreams = 1, Faults = new VenueFaults { LatencyMs = 20 } });
        var requests = new VenueCancelRequests(venue);
        var cancels = venue.Book.SeedGenerated(2 * rounds, VenueCancelRequests.Symbol).Select(id => requests.Create(id)).ToArray();
        var handler = new RecordingResponseHandler(2 * rounds);
        await using var client = await Http2Client.ConnectAsync(Options(venue, tls: false), handler);

        for (var round = 0; round < rounds; round++)
        {
            var first = 2 * round;
            Assert.Equal(Http2SendResult.Sent, requests.TrySend(client, cancels[first], first));
            Assert.Equal(Http2SendResult.Sent, requests.TrySend(client, cancels[first + 1], first + 1));
            Assert.Equal(Http2SendResult.NoCapacity, requests.TrySend(client, cancels[first], first));
            client.Flush();
            Assert.True(await handler.WaitForOutcomesAsync(first + 2, s_wait));
        }

        handler.AssertExactlyOneOutcomeEach(2 * rounds);
        Assert.Equal(2 * rounds, handler.CountResponses(2 * rounds));
        Assert.Equal(2 * rounds, venue.Stats.Acked);
    }

    [Fact]
    public async Task TrySend_StreamIdsStartNearTwoToThe31_ConnectionsRollOverAtOnceAndEveryCancelIsAcked()
    {
        // int.MaxValue - 10 leaves five usable odd ids per connection. The reconnect back-off is set far beyond the
        // test's patience: a connection that retires because its ids ran out must be replaced at once, not after it.
        const int count = 30;
        await using var venue = await VenueServer.StartAsync(new VenueOptions());
        var requests = new VenueCancelRequests(venue);
        var cancels = venue.Book.SeedGenerated(count, VenueCancelRequests.Symbol).Select(id => requests.Create(id)).ToArray();
        var handler = new RecordingResponseHandler(count);
        var options = new Http2ClientOptions
        {
            BaseUri = venue.BaseUri,
            ConnectionCount = 1,
            FirstStreamId = int.MaxValue - 10,
            ReconnectMinDelay = TimeSpan.FromSeconds(60),
            ReconnectMaxDelay = TimeSpan.FromSeconds(60),
        };
        await using var client = await Http2Client.ConnectAsync(options, handler);

        await SendDriver.SendAllOnThreadAsync(client, 0, count, t => requests.TrySend(client, cancels[t], t), batchSize: 2, TimeSpan.FromSeconds(20));
        Assert.True(await handler.WaitForOutcomesAsync(count, s_wait));

        handler.AssertExactlyOneOutcomeEach(count);
        Assert.Equal(count, handler.CountResponses(count));
        Assert.Equal(count, venue.Stats.Acked);
        Assert.True(client.Counters.ConnectionsOpened >= count / 5, $"{client.Counters.ConnectionsOpened} connections");
    }

    [Fact]
    public async Task TrySend_VenueResetsTheConnectionMidBatch_InFlightAreConnectionLostAndLaterSendsSucceed()
    {
        const int first = 30;
        const int later = 10;
        await using var venue = await VenueServer.StartAsync(new VenueOptions { Faults = new VenueFaults { ResetEveryNStreams = 10 } });
        var requests = new VenueCancelRequests(venue);
        var cancels = venue.Book.SeedGenerated(first + later, VenueCancelRequests.Symbol).Select(id => requests.Create(id)).ToArray();
        var handler = new RecordingResponseHandler(first + later);
        var options = new Http2ClientOptions { BaseUri = venue.BaseUri, ConnectionCount = 1, ReconnectMinDelay = TimeSpan.FromMilliseconds(50) };
        await using var client = await Http2Client.ConnectAsync(options, handler);

        SendDriver.SendAll(client, 0, first, t => requests.TrySend(client, cancels[t], t), batchSize: first, s_wait);
        Assert.True(await handler.WaitForOutcomesAsync(first, s_wait));
        venue.Faults = VenueFaults.None;
        Assert.True(await WaitUntilAsync(() => client.Counters.Reconnects >= 1 && client.IsConnected));
        await SendDriver.SendAllOnThreadAsync(client, first, later, t => requests.TrySend(client, cancels[t], t), batchSize: 5, s_wait);
        Assert.True(await handler.WaitForOutcomesAsync(first + later, s_wait));

        handler.AssertExactlyOneOutcomeEach(first + later);
        var lost = handler.CountFailures(first, Http2StreamFailure.ConnectionLost);
        Assert.True(lost >= 1, "the stream that triggered the reset was in flight");
        Assert.Equal(first, lost + handler.CountResponses(first));
        for (var token = first; token < first + later; token++)
        {
            Assert.Equal(200, handler.Status(token));
        }
    }

    [Fact]
    public async Task TrySend_VenueSendsGoAwayEveryFewStreams_RetriedNotProcessedCancelsAreAllAcked()
    {
        // Kestrel's graceful close: GOAWAY naming the last stream it took, those finish, the connection closes.
        // A cancel sent after that GOAWAY left the venue comes back NotProcessed and is sent again, as the engine would.
        const int count = 20;
        await using var venue = await VenueServer.StartAsync(new VenueOptions { Faults = new VenueFaults { GoAwayEveryNStreams = 4 } });
        var requests = new VenueCancelRequests(venue);
        var orderIds = venue.Book.SeedGenerated(count, VenueCancelRequests.Symbol);
        var handler = new RecordingResponseHandler(count * 10);
        var options = new Http2ClientOptions { BaseUri = venue.BaseUri, ConnectionCount = 1, ReconnectMinDelay = TimeSpan.FromMilliseconds(20) };
        await using var client = await Http2Client.ConnectAsync(options, handler);

        var token = 0;
        var acked = 0;
        for (var i = 0; i < count; i++)
        {
            while (true)
            {
                var current = token++;
                SendDriver.SendAll(client, current, 1, t => requests.TrySend(client, requests.Create(orderIds[i]), t), 1, s_wait);
                Assert.True(await handler.WaitForTokenAsync(current, s_wait));
                if (handler.IsResponse(current))
                {
                    Assert.Equal(0, VenueCancelRequests.Code(handler.Body(current)));
                    acked++;
                    break;
                }

                Assert.Equal(Http2StreamFailure.NotProcessed, handler.FailureOf(current));
            }
        }

        Assert.Equal(0, handler.DoubleReports);
        Assert.Equal(count, acked);
        Assert.Equal(count, venue.Stats.Acked);
        Assert.True(client.Counters.GoAwaysReceived >= 1);
        Assert.True(client.Counters.ConnectionsOpened >= 2);
    }

    private Http2ClientOptions Options(VenueServer venue, bool tls, TimeSpan? pingInterval = null)
    {
        string? ca = null;
        if (tls)
        {
            ca = Path.Combine(_directory, "ca.pem");
            venue.WriteCaCertificate(ca);
        }

        return new Http2ClientOptions
        {
            BaseUri = venue.BaseUri,
            ConnectionCount = 2,
            CaCertificatePath = ca,
            PingInterval = pingInterval ?? TimeSpan.FromSeconds(10),
        };
    }

    private static int SteadyStateSize(VenueCancel cancel)
    {
        const int frameHeader = 9;
        const int indexedConstants = 6;
        var timestamp = 1 + 1 + "x-auth-timestamp".Length + 1 + cancel.Timestamp.Length;
        var signature = 1 + 1 + "x-auth-signature".Length + 1 + cancel.Signature.Length;
        return frameHeader + indexedConstants + timestamp + signature + frameHeader + cancel.Body.Length;
    }

    private static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
