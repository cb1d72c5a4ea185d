using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Oms.Extensions.Hosting.Tests.Health;

/// <summary>The health check's states, each from a real engine against the simulator.</summary>
public sealed class CancelEngineHealthCheckTests
{
    private const string Symbol = "BTC-PERP";

    [Fact]
    public async Task Check_BeforeStartThenIdleThenAfterAnAck_UnhealthyDegradedHealthy()
    {
        await using var venue = await VenueServer.StartAsync(new VenueOptions());
        var order = venue.Book.SeedGenerated(1, Symbol)[0];
        var host = EngineHosts.Build(EngineHosts.ConfigurationFor(venue), new LogCapture());
        try
        {
            var before = await CheckAsync(host);
            await host.StartAsync().WaitAsync(EngineHosts.Bound);
            var idle = await CheckAsync(host);
            var engine = host.Services.GetRequiredService<CancelEngine>();
            Assert.True(engine.TryCancel(order, Symbol, 1, out _));
            Assert.True(await Waiting.WaitUntilAsync(() => engine.GetCounters().Acked == 1, EngineHosts.Bound));
            var proven = await CheckAsync(host);

            Assert.Equal((HealthStatus.Unhealthy, "the engine has not started"), (before.Status, before.Description));
            Assert.Equal(HealthStatus.Degraded, idle.Status);
            Assert.Contains("no answer has proven the key yet", idle.Description, StringComparison.Ordinal);
            Assert.Equal(HealthStatus.Healthy, proven.Status);
            Assert.Equal(true, proven.Data["keyProven"]);
        }
        finally
        {
            await host.StopAndDisposeAsync();
        }
    }

    [Fact]
    public async Task Check_BacklogAtTheThreshold_DegradedWithTheBacklogInItsData()
    {
        await using var venue = await VenueServer.StartAsync(new VenueOptions { Faults = new VenueFaults { LatencyMs = 2000 } });
        var orders = venue.Book.SeedGenerated(3, Symbol);
        var host = EngineHosts.Build(EngineHosts.ConfigurationFor(venue), new LogCapture(), backlogThreshold: 3);
        try
        {
            await host.StartAsync().WaitAsync(EngineHosts.Bound);
            var engine = host.Services.GetRequiredService<CancelEngine>();
            foreach (var order in orders)
            {
                Assert.True(engine.TryCancel(order, Symbol, 1, out _));
            }

            var loaded = await CheckAsync(host);

            Assert.Equal(HealthStatus.Degraded, loaded.Status);
            Assert.Contains("backlog 3 at or above 3", loaded.Description, StringComparison.Ordinal);
            Assert.Equal((3L, 3L), ((long)loaded.Data["backlog"], (long)loaded.Data["backlogThreshold"]));
        }
        finally
        {
            await host.StopAndDisposeAsync();
        }
    }

    [Fact]
    public async Task Check_CredentialsRefused_UnhealthySayingSo()
    {
        await using var venue = await VenueServer.StartAsync(new VenueOptions());
        var order = venue.Book.SeedGenerated(1, Symbol)[0];
        var host = EngineHosts.Build(EngineHosts.ConfigurationFor(venue, "not-the-secret"), new LogCapture());
        try
        {
            await host.StartAsync().WaitAsync(EngineHosts.Bound);
            var engine = host.Services.GetRequiredService<CancelEngine>();
            engine.TryCancel(order, Symbol, 1, out _);
            Assert.True(await Waiting.WaitUntilAsync(() => engine.GetCounters().AuthenticationFailed, EngineHosts.Bound));

            var refused = await CheckAsync(host);

            Assert.Equal(HealthStatus.Unhealthy, refused.Status);
            Assert.Contains("the venue refused the credentials", refused.Description, StringComparison.Ordinal);
        }
        finally
        {
            await host.StopAndDisposeAsync();
        }
    }

    [Fact]
    public async Task Check_AfterTheHostStopped_Unhealthy()
    {
        await using var venue = await VenueServer.StartAsync(new VenueOptions());
        var host = EngineHosts.Build(EngineHosts.ConfigurationFor(venue), new LogCapture());
        HealthReportEntry stopped;
        try
        {
            await host.StartAsync().WaitAsync(EngineHosts.Bound);
            using var timeout = new CancellationTokenSource(EngineHosts.Bound);
            await host.StopAsync(timeout.Token);
            stopped = await CheckAsync(host);
        }
        finally
        {
            await host.StopAndDisposeAsync();
        }

        Assert.Equal(HealthStatus.Unhealthy, stopped.Status);
        Assert.Contains("the engine is stopped", stopped.Description, StringComparison.Ordinal);
    }

    private static async Task<HealthReportEntry> CheckAsync(IHost host)
    {
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync().WaitAsync(EngineHosts.Bound);
        return report.Entries[CancelEngineHealthChecksBuilderExtensions.DefaultName];
    }
}
