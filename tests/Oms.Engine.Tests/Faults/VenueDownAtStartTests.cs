using System.Net;
using System.Net.Sockets;

namespace Oms.Engine.Tests.Faults;

/// <summary>
/// The venue is down when the engine starts: with <see cref="CancelEngineSettings.StartWithoutVenue"/> the engine
/// starts anyway, cancels wait for a connection within the window, and every one still gets exactly one outcome.
/// </summary>
public sealed class VenueDownAtStartTests
{
    private static readonly VenueCredentials s_credentials = VenueCredentials.Generate();

    [Fact]
    public async Task StartWithoutVenue_VenueComesUpLater_CancelsWaitUnsentThenAreAckedOnce()
    {
        var port = FreeLoopbackPort();
        var listener = new RecordingListener();
        await using var engine = await CancelEngine.StartAsync(Settings(port), Credentials, listener).WaitAsync(FakeEngine.Bound);
        var orderIds = Enumerable.Range(0, 20).Select(i => FakeEngine.OrderId(i)).ToArray();
        for (var i = 0; i < orderIds.Length; i++)
        {
            Assert.True(engine.TryCancel(orderIds[i], VenueRun.Symbol, i, out var refusal), refusal.ToString());
        }

        await Task.Delay(300);
        var whileDown = engine.GetCounters();

        await using var venue = await VenueServer.StartAsync(new VenueOptions { Port = port, Credentials = s_credentials }).WaitAsync(FakeEngine.Bound);
        foreach (var orderId in orderIds)
        {
            Assert.True(venue.Book.TrySeed(orderId, VenueRun.Symbol));
        }

        // The client's reconnect back-off is at most 5 s; the bound leaves room for a busy machine.
        await listener.WaitForAsync(orderIds.Length, TimeSpan.FromSeconds(30));
        await engine.StopAsync(TimeSpan.FromSeconds(1)).WaitAsync(FakeEngine.Bound);
        var counters = engine.GetCounters();
        var leaks = await InvariantChecker.FindLeaksAsync(engine, venue, InvariantChecker.LeakBound);

        Assert.Equal((0L, 0L, 20L), (whileDown.Requests, whileDown.Failed + whileDown.Expired, whileDown.Pending));
        Assert.Equal((20L, 0L), (counters.Acked, counters.InFlight));

        // Each sent once: singly, or inside a batch.
        Assert.Equal(20L, counters.Requests - counters.BatchRequests + counters.BatchOrders);
        Assert.Equal(20, venue.Stats.Acked + venue.Stats.BatchOrders);
        Assert.Equal(0, listener.DoubleReports);
        Assert.Equal(20, listener.CountOf("acked"));
        Assert.Null(leaks);
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task StartWithoutVenue_VenueNeverComes_EachCancelExpiresUnsentAndStopEndsPromptly()
    {
        var port = FreeLoopbackPort();
        var listener = new RecordingListener();

        // A margin of 29.5 s leaves a window of half a second: the cancels go stale while they wait.
        var settings = Settings(port) with { ExpiryMargin = TimeSpan.FromMilliseconds(29_500) };
        await using var engine = await CancelEngine.StartAsync(settings, Credentials, listener).WaitAsync(FakeEngine.Bound);
        for (var i = 0; i < 10; i++)
        {
            Assert.True(engine.TryCancel(FakeEngine.OrderId(i), VenueRun.Symbol, i, out var refusal), refusal.ToString());
        }

        await listener.WaitForAsync(10, FakeEngine.Bound);
        await engine.StopAsync(TimeSpan.FromSeconds(1)).WaitAsync(FakeEngine.Bound);
        var counters = engine.GetCounters();

        Assert.Equal(10, listener.CountOf("expired"));
        Assert.Equal((10L, 0L), (counters.Expired, counters.Requests));
        Assert.Equal(0, engine.TransportCounters!.ConnectionsOpened);
        FakeEngine.AssertReconciled(counters);
    }

    [Fact]
    public async Task StartAsync_VenueDownAndStartWithoutVenueOff_FailsWithAConnectError()
    {
        var port = FreeLoopbackPort();
        var settings = Settings(port) with { StartWithoutVenue = false };

        var error = await Assert.ThrowsAsync<Oms.Transport.Client.Http2ConnectException>(
            () => CancelEngine.StartAsync(settings, Credentials, new RecordingListener()).WaitAsync(FakeEngine.Bound));

        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    private static ApiCredentials Credentials => new(s_credentials.ApiKey, s_credentials.ApiSecret);

    private static CancelEngineSettings Settings(int port) => new()
    {
        BaseUrl = new Uri($"http://127.0.0.1:{port}/"),
        AccountGroup = s_credentials.AccountGroup,
        RateLimitPerSecond = 0,
        WaitStrategy = Oms.Engine.Sequencing.WaitStrategyKind.Blocking,
        RingSize = 1024,
        OrderStateCapacity = 4096,
        StartWithoutVenue = true,
    };

    /// <summary>A loopback port nothing listens on now (bound and released at once).</summary>
    private static int FreeLoopbackPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
