using Microsoft.Extensions.Options;

namespace Oms.Extensions.Hosting.Tests.Support;

/// <summary>Hosts around the engine for tests: configuration from a dictionary, every log captured, bounded start and stop.</summary>
internal static class EngineHosts
{
    /// <summary>How long any host start or stop in these tests may take before the test fails.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>The engine keys that point at <paramref name="venue"/> with its credentials, alarms read every 50 ms.</summary>
    public static Dictionary<string, string?> ConfigurationFor(VenueServer venue, string? secret = null) => new(StringComparer.Ordinal)
    {
        ["engine:baseUrl"] = venue.BaseUri.ToString().TrimEnd('/'),
        ["engine:accountGroup"] = venue.Credentials.AccountGroup,
        ["engine:rateLimitPerSecond"] = "0",
        ["engine:credentials:apiKey"] = venue.Credentials.ApiKey,
        ["engine:credentials:apiSecret"] = secret ?? venue.Credentials.ApiSecret,
    };

    /// <summary>A host with the engine from <paramref name="configuration"/>'s <c>engine</c> section and its health check, logging into <paramref name="logs"/>.</summary>
    public static IHost Build(IDictionary<string, string?> configuration, LogCapture logs, long? backlogThreshold = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddCancelEngine(builder.Configuration.GetSection("engine"));
        builder.Services.Configure<CancelEngineOptions>(options => options.AlarmInterval = TimeSpan.FromMilliseconds(50));
        builder.Services.AddHealthChecks().AddCancelEngineCheck(backlogThreshold: backlogThreshold);
        return builder.Build();
    }

    /// <summary>Stops <paramref name="host"/> within <see cref="Bound"/> and disposes it.</summary>
    public static async Task StopAndDisposeAsync(this IHost host)
    {
        using (var timeout = new CancellationTokenSource(Bound))
        {
            await host.StopAsync(timeout.Token).WaitAsync(Bound);
        }

        await ((IAsyncDisposable)host).DisposeAsync();
    }

    /// <summary>The options' validation failures (empty when valid).</summary>
    public static IReadOnlyList<string> ValidationFailures(IDictionary<string, string?> configuration, bool credentialsFromCallback = false)
    {
        var services = new ServiceCollection();
        var section = new ConfigurationBuilder().AddInMemoryCollection(configuration).Build().GetSection("engine");
        if (credentialsFromCallback)
        {
            services.AddCancelEngine(section, (_, _) => ValueTask.FromResult(new Oms.Engine.Signing.ApiCredentials("key", "secret")));
        }
        else
        {
            services.AddCancelEngine(section);
        }

        using var provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<CancelEngineOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException e)
        {
            return [.. e.Failures];
        }
    }
}
