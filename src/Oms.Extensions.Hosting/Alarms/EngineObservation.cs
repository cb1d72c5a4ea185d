namespace Oms.Extensions.Hosting.Alarms;

/// <summary>What the alarms and the health check read of a running engine at one moment: counters only, lock-free.</summary>
/// <param name="Running">Between a successful start and the beginning of a stop.</param>
/// <param name="CredentialsRefused">The venue refused the key (200001).</param>
/// <param name="KeyProven">An answer has shown the venue accepts the key.</param>
/// <param name="ClockSkewEvents">100011 answers so far.</param>
/// <param name="LastClockSkewSeconds">The venue's clock minus ours from the last 100011 answer's date header.</param>
/// <param name="ConnectionsOpen">HTTP/2 connections open now.</param>
/// <param name="Connections">The connections the engine keeps.</param>
/// <param name="ReconnectBackoffMillis">The longest reconnect delay being waited now; 0 when none.</param>
/// <param name="KillSwitchEngaged">The kill switch is engaged.</param>
/// <param name="KillSwitchReason">Why, when engaged.</param>
/// <param name="Unconfirmed">Fates unconfirmed by the deadline so far.</param>
/// <param name="Backlog">Intents accepted and not yet decided (in the ring, waiting or in flight).</param>
internal readonly record struct EngineObservation(
    bool Running,
    bool CredentialsRefused,
    bool KeyProven,
    long ClockSkewEvents,
    long LastClockSkewSeconds,
    long ConnectionsOpen,
    int Connections,
    long ReconnectBackoffMillis,
    bool KillSwitchEngaged,
    string? KillSwitchReason,
    long Unconfirmed,
    long Backlog)
{
    public static EngineObservation Of(CancelEngine engine)
    {
        var counters = engine.GetCounters();
        var transport = engine.TransportCounters;
        return new EngineObservation(
            engine.IsRunning,
            counters.AuthenticationFailed,
            counters.KeyProven,
            counters.ClockSkewEvents,
            counters.LastClockSkewSeconds,
            transport?.ConnectionsOpen ?? 0,
            engine.Settings.Connections,
            transport?.ReconnectBackoffMillis ?? 0,
            counters.KillSwitchEngaged,
            engine.KillSwitch.Reason,
            counters.Unconfirmed,
            counters.Pending);
    }
}
