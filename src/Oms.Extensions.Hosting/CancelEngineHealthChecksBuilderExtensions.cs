using Microsoft.Extensions.Diagnostics.HealthChecks;
using Oms.Extensions.Hosting.Health;

namespace Oms.Extensions.Hosting;

/// <summary>Registers the cancel engine's health check.</summary>
public static class CancelEngineHealthChecksBuilderExtensions
{
    /// <summary>The check's name when none is given.</summary>
    public const string DefaultName = "oms-cancel-engine";

    /// <summary>
    /// Adds the engine's health check: Healthy when connected, the key proven and the backlog below
    /// <paramref name="backlogThreshold"/>; Degraded or Unhealthy otherwise, with the reason in the result's data
    /// (<c>reason</c>, and the readings behind it). Needs <c>AddCancelEngine</c>.
    /// </summary>
    /// <param name="builder">The health checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="name">The check's name.</param>
    /// <param name="backlogThreshold">Intents accepted and not yet decided at which the engine is Degraded; null for half the ring.</param>
    /// <param name="tags">Tags to filter checks by (readiness, liveness).</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IHealthChecksBuilder AddCancelEngineCheck(
        this IHealthChecksBuilder builder, string name = DefaultName, long? backlogThreshold = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (backlogThreshold is { } threshold)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1, nameof(backlogThreshold));
        }

        return builder.Add(new HealthCheckRegistration(
            name, provider => new CancelEngineHealthCheck(provider.GetRequiredService<HostedCancelEngine>(), backlogThreshold), failureStatus: null, tags));
    }
}
