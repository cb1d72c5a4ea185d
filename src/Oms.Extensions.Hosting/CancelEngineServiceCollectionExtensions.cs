using Microsoft.Extensions.Options;
using Oms.Extensions.Hosting.Configuration;

namespace Oms.Extensions.Hosting;

/// <summary>Registers the cancel engine in a host's services.</summary>
public static class CancelEngineServiceCollectionExtensions
{
    /// <summary>
    /// Adds the cancel engine, its settings read from <paramref name="configuration"/> (the keys of
    /// <c>runtimesettings.json</c>'s <c>engine</c> section) and its credentials from that section's
    /// <c>credentials:apiKey</c> and <c>credentials:apiSecret</c>. Validated when the host starts.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The engine's section, e.g. <c>builder.Configuration.GetSection("engine")</c>.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="InvalidOperationException">An engine was added already: one per host (one per account).</exception>
    public static IServiceCollection AddCancelEngine(this IServiceCollection services, IConfiguration configuration) =>
        Add(services, configuration, credentials: null);

    /// <summary>
    /// Adds the cancel engine, its settings read from <paramref name="configuration"/>, its credentials from
    /// <paramref name="credentials"/> (a vault, a file the operator mounts): the section must then hold none.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The engine's section, e.g. <c>builder.Configuration.GetSection("engine")</c>.</param>
    /// <param name="credentials">Called once when the host starts the engine; its failure fails the start.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="InvalidOperationException">An engine was added already: one per host (one per account).</exception>
    public static IServiceCollection AddCancelEngine(
        this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, CancellationToken, ValueTask<ApiCredentials>> credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return Add(services, configuration, credentials);
    }

    private static IServiceCollection Add(
        IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, CancellationToken, ValueTask<ApiCredentials>>? credentials)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(service => service.ServiceType == typeof(HostedCancelEngine)))
        {
            throw new InvalidOperationException("AddCancelEngine was called twice: a host runs one engine (one per account).");
        }

        services.AddOptions<CancelEngineOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<CancelEngineOptions>>(new ConfigureFromSection(configuration, credentials is not null));
        services.AddSingleton<IValidateOptions<CancelEngineOptions>, CancelEngineOptionsValidator>();
        services.AddSingleton(new CredentialSource(configuration, credentials));
        services.AddSingleton(provider => new HostedCancelEngine(
            provider.GetRequiredService<IOptions<CancelEngineOptions>>(),
            provider.GetRequiredService<CredentialSource>(),
            provider,
            provider.GetRequiredService<ILogger<HostedCancelEngine>>()));
        services.AddHostedService(provider => provider.GetRequiredService<HostedCancelEngine>());

        // Resolvable once the host has started it; before, resolving throws and nothing is cached.
        services.AddSingleton(provider => provider.GetRequiredService<HostedCancelEngine>().Engine);
        return services;
    }
}
