using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Oms.Extensions.Hosting.Alarms;

namespace Oms.Extensions.Hosting.Health;

/// <summary>
/// Healthy when the engine runs, a connection is open, an answer has proven the key and the backlog is below its
/// threshold; Degraded when it runs but lacks one of the last three short of failure; Unhealthy when it is not running,
/// no connection is open, or the venue refused the key. The reasons and the readings are in the result's data.
/// </summary>
/// <remarks>Reads counters only: cheap, lock-free, and safe to call as often as a probe likes.</remarks>
internal sealed class CancelEngineHealthCheck(HostedCancelEngine host, long? backlogThreshold) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!host.IsStarted)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the engine has not started", data: Data("not started")));
        }

        var engine = host.Engine;
        var now = EngineObservation.Of(engine);
        var threshold = backlogThreshold ?? engine.Settings.RingSize / 2;
        var failures = new List<string>();
        var shortfalls = new List<string>();
        if (!now.Running)
        {
            failures.Add("the engine is stopped");
        }

        if (now.CredentialsRefused)
        {
            failures.Add("the venue refused the credentials");
        }

        if (now.ConnectionsOpen == 0)
        {
            failures.Add("no connection to the venue is open");
        }
        else if (now.ConnectionsOpen < now.Connections)
        {
            shortfalls.Add(string.Create(CultureInfo.InvariantCulture, $"{now.ConnectionsOpen} of {now.Connections} connections open"));
        }

        if (!now.KeyProven && !now.CredentialsRefused)
        {
            // Only a cancel's answer proves the key: an engine that has sent nothing yet is not known to be usable.
            shortfalls.Add("no answer has proven the key yet");
        }

        if (now.Backlog >= threshold)
        {
            shortfalls.Add(string.Create(CultureInfo.InvariantCulture, $"backlog {now.Backlog} at or above {threshold}"));
        }

        if (now.KillSwitchEngaged)
        {
            shortfalls.Add("the kill switch is engaged");
        }

        var reasons = failures.Concat(shortfalls).ToList();
        var data = Data(reasons.Count == 0 ? "connected, key proven, backlog below threshold" : string.Join("; ", reasons), now, threshold);
        var result = failures.Count > 0 ? new HealthCheckResult(context?.Registration.FailureStatus ?? HealthStatus.Unhealthy, (string)data["reason"], data: data)
            : shortfalls.Count > 0 ? HealthCheckResult.Degraded((string)data["reason"], data: data)
            : HealthCheckResult.Healthy((string)data["reason"], data);
        return Task.FromResult(result);
    }

    private static Dictionary<string, object> Data(string reason) => new(StringComparer.Ordinal) { ["reason"] = reason };

    private static Dictionary<string, object> Data(string reason, in EngineObservation now, long threshold) => new(StringComparer.Ordinal)
    {
        ["reason"] = reason,
        ["running"] = now.Running,
        ["connectionsOpen"] = now.ConnectionsOpen,
        ["connections"] = now.Connections,
        ["keyProven"] = now.KeyProven,
        ["credentialsRefused"] = now.CredentialsRefused,
        ["backlog"] = now.Backlog,
        ["backlogThreshold"] = threshold,
        ["killSwitchEngaged"] = now.KillSwitchEngaged,
    };
}
