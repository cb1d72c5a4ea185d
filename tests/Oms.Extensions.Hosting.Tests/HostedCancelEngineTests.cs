using Microsoft.Extensions.Options;

namespace Oms.Extensions.Hosting.Tests;

/// <summary>The engine in a Generic Host against the in-process simulator: started, used, alarmed, stopped.</summary>
public sealed class HostedCancelEngineTests
{
    private const string Symbol = "BTC-PERP";

    [Fact]
    public async Task Host_StartCancelStop_ConnectsAndDrainsEveryIntentBeforeStopReturns()
    {
        await using var venue = await VenueServer.StartAsync(new VenueOptions());
        var orders = venue.Book.SeedGenerated(50, Symbol);
        var logs = new LogCapture();
        var host = EngineHosts.Build(EngineHosts.ConfigurationFor(venue), logs);
        CancelEngine engine;
        try
        {
            await host.StartAsync().WaitAsync(EngineHosts.Bound);
            engine = host.Services.GetRequiredService<HostedCancelEngine>().Engine;
            Assert.True(engine.IsRunning);
            Assert.Same(engine, host.Services.GetRequiredService<CancelEngine>());
            Assert.True(engine.TransportCounters!.ConnectionsOpen > 0);
            for (var i = 0; i < orders.Count; i++)
            {
                Assert.True(engine.TryCancel(orders[i], Symbol, i, out var refusal), refusal.ToString());
            }
        }
        finally
        {
            await host.StopAndDisposeAsync();
        }

        var counters = engine.GetCounters();
        Assert.False(engine.IsRunning);
        Assert.Equal((50L, 50L, 0L), (counters.Intents, counters.Acked, counters.Pending));
        Assert.Single(logs.WithId(CancelEngineEventIds.Started));
        Assert.Contains("50 acked", Assert.Single(logs.WithId(CancelEngineEventIds.Stopped)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_BadSetting_StartFailsWithTheCommandsMessage()
    {
        var configuration = new Dictionary<string, string?>
        {
            ["engine:baseUrl"] = "http://127.0.0.1:9",
            ["engine:accountGroup"] = "5",
            ["engine:ringSize"] = "1000",
            ["engine:credentials:apiKey"] = "key",
            ["engine:credentials:apiSecret"] = "secret",
        };
        var host = EngineHosts.Build(configuration, new LogCapture());
        try
        {
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(EngineHosts.Bound));

            Assert.Equal(["'engine.ringSize' must be a power of two between 2 and 16777216, not 1000"], error.Failures);
            Assert.False(host.Services.GetRequiredService<HostedCancelEngine>().IsStarted);
        }
        finally
        {
            await host.StopAndDisposeAsync();
        }
    }

    [Fact]
    public async Task Host_WrongSecret_CredentialsRefusedLoggedOnceAndNoCredentialInAnyLog()
    {
        const string wrongSecret = "Wr0ng-Secret-Never-Logged-5fQ";
        await using var venue = await VenueServer.StartAsync(new VenueOptions());
        var orders = venue.Book.SeedGenerated(5, Symbol);
        var logs = new LogCapture();
        var host = EngineHosts.Build(EngineHosts.ConfigurationFor(venue, wrongSecret), logs);
        try
        {
            await host.StartAsync().WaitAsync(EngineHosts.Bound);
            var engine = host.Services.GetRequiredService<HostedCancelEngine>().Engine;
            foreach (var order in orders)
            {
                engine.TryCancel(order, Symbol, 1, out _);
            }

            Assert.True(await Waiting.WaitUntilAsync(() => logs.WithId(CancelEngineEventIds.CredentialsRefused).Count > 0, EngineHosts.Bound));
        }
        finally
        {
            await host.StopAndDisposeAsync();
        }

        var refused = Assert.Single(logs.WithId(CancelEngineEventIds.CredentialsRefused));
        Assert.Equal(LogLevel.Critical, refused.Level);
        Assert.False(logs.Contains(wrongSecret));
        Assert.False(logs.Contains(venue.Credentials.ApiKey));
        Assert.NotEmpty(logs.Logs);
    }

    [Fact]
    public async Task Host_VenueUnreachable_StartFailsLoggedWithoutTheCredentials()
    {
        const string secret = "Unreachable-Secret-Never-Logged-2wK";
        var configuration = new Dictionary<string, string?>
        {
            ["engine:baseUrl"] = "http://127.0.0.1:1",
            ["engine:accountGroup"] = "5",
            ["engine:credentials:apiKey"] = "Unreachable-Key-8hJ",
            ["engine:credentials:apiSecret"] = secret,
        };
        var logs = new LogCapture();
        var host = EngineHosts.Build(configuration, logs);
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync().WaitAsync(EngineHosts.Bound));
        }
        finally
        {
            await host.StopAndDisposeAsync();
        }

        var failed = Assert.Single(logs.WithId(CancelEngineEventIds.StartFailed));
        Assert.NotNull(failed.Exception);
        Assert.False(logs.Contains(secret));
        Assert.False(logs.Contains("Unreachable-Key-8hJ"));
    }

    [Fact]
    public async Task Host_KillSwitchEngagedAndDisengaged_BothLoggedWithTheReason()
    {
        await using var venue = await VenueServer.StartAsync(new VenueOptions());
        venue.Book.SeedGenerated(10, Symbol);
        var logs = new LogCapture();
        var host = EngineHosts.Build(EngineHosts.ConfigurationFor(venue), logs);
        try
        {
            await host.StartAsync().WaitAsync(EngineHosts.Bound);
            var engine = host.Services.GetRequiredService<HostedCancelEngine>().Engine;

            var report = await engine.KillSwitch.Engage("drawdown limit hit").WaitAsync(EngineHosts.Bound);
            Assert.True(await Waiting.WaitUntilAsync(() => logs.WithId(CancelEngineEventIds.KillSwitchEngaged).Count > 0, EngineHosts.Bound));
            engine.KillSwitch.Disengage();
            Assert.True(await Waiting.WaitUntilAsync(() => logs.WithId(CancelEngineEventIds.KillSwitchDisengaged).Count > 0, EngineHosts.Bound));

            Assert.True(report.IsFlat, report.ToString());
            Assert.Contains("drawdown limit hit", Assert.Single(logs.WithId(CancelEngineEventIds.KillSwitchEngaged)).Message, StringComparison.Ordinal);
        }
        finally
        {
            await host.StopAndDisposeAsync();
        }
    }

    [Fact]
    public async Task Host_VenueGoesAway_ReconnectBackoffLoggedOnce()
    {
        var venue = await VenueServer.StartAsync(new VenueOptions());
        var logs = new LogCapture();
        var host = EngineHosts.Build(EngineHosts.ConfigurationFor(venue), logs);
        try
        {
            await host.StartAsync().WaitAsync(EngineHosts.Bound);

            await venue.DisposeAsync();

            Assert.True(await Waiting.WaitUntilAsync(() => logs.WithId(CancelEngineEventIds.ReconnectBackoff).Count > 0, EngineHosts.Bound));
            await Task.Delay(300);
            var backoff = Assert.Single(logs.WithId(CancelEngineEventIds.ReconnectBackoff));
            Assert.Equal(LogLevel.Warning, backoff.Level);
        }
        finally
        {
            await venue.DisposeAsync();
            await host.StopAndDisposeAsync();
        }
    }

    [Fact]
    public async Task Host_StopWithAnswersStillOnTheirWay_WaitsForThemWithinTheDrainTimeout()
    {
        await using var venue = await VenueServer.StartAsync(new VenueOptions { Faults = new VenueFaults { LatencyMs = 500 } });
        var orders = venue.Book.SeedGenerated(10, Symbol);
        var host = EngineHosts.Build(EngineHosts.ConfigurationFor(venue), new LogCapture());
        CancelEngine engine;
        try
        {
            await host.StartAsync().WaitAsync(EngineHosts.Bound);
            engine = host.Services.GetRequiredService<CancelEngine>();
            foreach (var order in orders)
            {
                Assert.True(engine.TryCancel(order, Symbol, 7, out _));
            }
        }
        finally
        {
            await host.StopAndDisposeAsync();
        }

        Assert.Equal((10L, 0L), (engine.GetCounters().Acked, engine.GetCounters().Pending));
    }
}
