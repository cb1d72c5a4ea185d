using Oms.Engine.Tests.Faults;
using Oms.Transport.Connections;
using static Oms.Testing.Waiting.Waiting;

namespace Oms.Engine.Tests;

/// <summary>
/// <see cref="CancelEngineSettings.ReadOnConsumer"/> against the venue: with a parking strategy the consumer reads its
/// connections itself and no reader thread is left once they are connected; off, or with a strategy that never parks,
/// every connection keeps its reader thread. Either way every cancel is decided and nothing outlives the engine.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class CancelEngineReadOnConsumerTests
{
    private const int Orders = 400;

    [SocketPollerTheory]
    [InlineData(WaitStrategyKind.Blocking)]
    [InlineData(WaitStrategyKind.SpinThenPark)]
    public async Task ReadOnConsumer_ParkingStrategy_EveryCancelAckedWithNoReaderThreadAndNothingLeftAfterTheStop(WaitStrategyKind wait)
    {
        using var checker = new InvariantChecker();
        await using var run = await VenueRun.StartAsync(new VenueOptions(), s => s with { WaitStrategy = wait, ReadOnConsumer = true });
        var client = run.Engine.Client!;
        var handedOver = await WaitUntilAsync(() => client.ReaderThreads.All(reader => !reader.IsAlive), FakeEngine.Bound);
        var orders = run.Seed(Orders);

        run.CancelAll(orders);
        await run.WaitForOutcomesAsync();
        var readersAfterTheRun = client.ReaderThreads.Count(reader => reader.IsAlive);
        var counters = await checker.StopAndVerifyAsync(run, AckRelation.Exact, StreamRelation.Exact);

        Assert.True(handedOver, "a connection kept its reader thread although the consumer reads them");
        Assert.Equal(0, readersAfterTheRun);
        Assert.Equal(Orders, counters.Acked);
        Assert.Equal(run.Engine.Settings.Connections, run.Venue.Stats.ConnectionsOpened);
    }

    [SocketPollerFact]
    public async Task ReadOnConsumer_VenueRestarts_NewConnectionsAreHandedOverAndEveryOutcomeDecided()
    {
        using var checker = new InvariantChecker();
        await using var run = await VenueRun.StartAsync(new VenueOptions(), s => s with { ReadOnConsumer = true, RequestTimeout = TimeSpan.FromSeconds(2) });
        var client = run.Engine.Client!;
        var orders = run.Seed(Orders);
        var firstHalf = orders.Take(Orders / 2).ToArray();
        run.CancelAll(firstHalf);
        await run.WaitForOutcomesAsync();
        var openedBefore = run.Venue.Stats.ConnectionsOpened;

        await run.RestartVenueAsync(TimeSpan.FromMilliseconds(200));
        var reconnected = await WaitUntilAsync(() => client.OpenConnections == run.Engine.Settings.Connections, FakeEngine.Bound);
        var handedOver = await WaitUntilAsync(() => client.ReaderThreads.All(reader => !reader.IsAlive), FakeEngine.Bound);
        run.CancelAll(orders.Skip(Orders / 2));
        await run.WaitForOutcomesAsync();
        var counters = await checker.StopAndVerifyAsync(run, AckRelation.AtLeast, StreamRelation.AtMost);

        Assert.True(reconnected, "the engine did not reconnect every connection");
        Assert.True(handedOver, "a new connection kept its reader thread");
        Assert.True(run.Venue.Stats.ConnectionsOpened > openedBefore, "no connection was opened after the restart");
        Assert.Equal(0, counters.Failed);
        Assert.Equal(Orders, counters.Acked + run.Listener.CountOf(VenueReason.InvalidOrderId));
    }

    /// <remarks>
    /// The GOAWAY fault of the transport fault tests, read by the consumer: each GOAWAY is read between two sends, so
    /// fewer streams (often none) are sent past it than with a reader thread, and the engine must go on through a
    /// connection ended every ten streams. Unlike the reader-thread test, this one does not require the venue's stream
    /// count to equal requests less resends: in 1 run of 40 the venue had seen 10 streams more (ten resent requests it
    /// had processed, answers that never reached the engine), which the invariants allow (Acks at least, streams at most).
    /// </remarks>
    [SocketPollerFact]
    public async Task ReadOnConsumer_VenueSendsGoAwayEveryNStreams_EngineReconnectsAndEveryOutcomeDecided()
    {
        await using var fault = await FaultRun.CancelSeededAsync(1200, AckRelation.AtLeast, StreamRelation.AtMost,
            new VenueOptions { MaxConcurrentStreams = 16, Faults = new VenueFaults { GoAwayEveryNStreams = 10 } },
            s => s with { RequestTimeout = TimeSpan.FromSeconds(2), ReconnectBackoffResetAfter = TimeSpan.Zero, ReadOnConsumer = true });
        var (run, orders, counters) = fault;

        var stats = run.Venue.Stats;
        Assert.True(stats.Count(VenueFault.GoAway) > 0, "No GOAWAY was sent.");
        Assert.True(run.Engine.TransportCounters!.GoAwaysReceived > 0, "The engine read no GOAWAY.");
        Assert.True(stats.ConnectionsOpened > 2, "The engine never reconnected.");
        Assert.Equal(0, counters.Failed);
        Assert.Equal(orders.Count, run.Listener.CountOf("acked") + run.Listener.CountOf(VenueReason.InvalidOrderId));
    }

    /// <remarks>
    /// The exchange itself is TLS: a TLS stream cannot be read without blocking, so its connections keep their reader
    /// threads, and those wake the consumer asleep in the poller through the poller's wake-up descriptor.
    /// </remarks>
    [SocketPollerFact]
    public async Task ReadOnConsumer_TlsVenue_ReaderThreadsKeepReadingAndWakeTheConsumer()
    {
        const int orders = 100;
        var directory = Directory.CreateTempSubdirectory("oms-engine-tls-");
        try
        {
            await using var venue = await VenueServer.StartAsync(new VenueOptions { UseTls = true });
            var ca = Path.Combine(directory.FullName, "ca.pem");
            venue.WriteCaCertificate(ca);
            var listener = new RecordingListener();
            var engine = await CancelEngine.StartAsync(
                VenueRun.SettingsFor(venue) with { CaCertificatePath = ca, ReadOnConsumer = true },
                new ApiCredentials(venue.Credentials.ApiKey, venue.Credentials.ApiSecret),
                listener).WaitAsync(FakeEngine.Bound);
            int alive;
            try
            {
                var seeded = venue.Book.SeedGenerated(orders, VenueRun.Symbol);
                for (var tag = 0; tag < orders; tag++)
                {
                    Assert.True(engine.TryCancel(seeded[tag], VenueRun.Symbol, tag, FakeEngine.Bound, out var refusal), $"refused: {refusal}");
                }

                await listener.WaitForAsync(orders, FakeEngine.Bound);
                alive = engine.Client!.ReaderThreads.Count(reader => reader.IsAlive);
            }
            finally
            {
                await engine.DisposeAsync().AsTask().WaitAsync(FakeEngine.Bound);
            }

            var leaks = await InvariantChecker.FindLeaksAsync(engine, venue, InvariantChecker.LeakBound);

            Assert.Equal(orders, listener.CountOf("acked"));
            Assert.Equal(engine.Settings.Connections, alive);
            Assert.Null(leaks);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ReadOnConsumerOff_ParkingStrategy_EveryConnectionKeepsItsReaderThread()
    {
        using var checker = new InvariantChecker();
        await using var run = await VenueRun.StartAsync(new VenueOptions(), s => s with { WaitStrategy = WaitStrategyKind.Blocking, ReadOnConsumer = false });
        var orders = run.Seed(Orders);

        run.CancelAll(orders);
        await run.WaitForOutcomesAsync();
        var readers = run.Engine.Client!.ReaderThreads;
        var alive = readers.Count(reader => reader.IsAlive);
        var counters = await checker.StopAndVerifyAsync(run, AckRelation.Exact, StreamRelation.Exact);

        Assert.Equal(run.Engine.Settings.Connections, alive);
        Assert.All(readers, reader => Assert.Equal(Http2Connection.ReaderThreadName, reader.Name));
        Assert.Equal(Orders, counters.Acked);
    }

    [Fact]
    public async Task ReadOnConsumer_BusySpin_IsIgnoredAndEveryConnectionKeepsItsReaderThread()
    {
        // Busy-spin never sleeps, so it has nowhere to read from: the setting must not hand the sockets to a consumer that
        // never looks at them. Short, since the spinning consumer takes one of this machine's two cores.
        const int orders = 100;
        using var checker = new InvariantChecker();
        await using var run = await VenueRun.StartAsync(new VenueOptions(), s => s with { WaitStrategy = WaitStrategyKind.BusySpin, ReadOnConsumer = true });
        var seeded = run.Seed(orders);

        run.CancelAll(seeded);
        await run.WaitForOutcomesAsync();
        var readers = run.Engine.Client!.ReaderThreads;
        var alive = readers.Count(reader => reader.IsAlive);
        var counters = await checker.StopAndVerifyAsync(run, AckRelation.Exact, StreamRelation.Exact);

        Assert.Equal(run.Engine.Settings.Connections, alive);
        Assert.Equal(orders, counters.Acked);
    }
}
