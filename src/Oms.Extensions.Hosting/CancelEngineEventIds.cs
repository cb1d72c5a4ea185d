namespace Oms.Extensions.Hosting;

/// <summary>
/// The event ids of what the hosted engine logs (category <c>Oms.Extensions.Hosting.HostedCancelEngine</c>): its start
/// and stop, and its alarms. Stable: alert rules may match them.
/// </summary>
/// <remarks>
/// An alarm is logged when the engine's state changes (raised once, then ended once), never once per cancel: the
/// engine's counters are read every <see cref="CancelEngineOptions.AlarmInterval"/> off the engine's threads.
/// </remarks>
public static class CancelEngineEventIds
{
    /// <summary>Information: the engine connected to the venue and its consumer started.</summary>
    public const int Started = 7100;

    /// <summary>Error: the engine could not start (no venue, TLS trust, credentials callback); the host does not start.</summary>
    public const int StartFailed = 7101;

    /// <summary>Information: the engine stopped, every accepted intent decided; the counters' totals.</summary>
    public const int Stopped = 7102;

    /// <summary>Warning: the engine's stop did not finish in time (a listener call that does not return, or the host's shutdown timeout).</summary>
    public const int StopIncomplete = 7103;

    /// <summary>Critical: the venue refused the API credentials (200001); the engine sends nothing more until restarted.</summary>
    public const int CredentialsRefused = 7110;

    /// <summary>Warning: the venue answered 100011 (clock skew or stale request); the host's clock may need fixing.</summary>
    public const int ClockSkew = 7111;

    /// <summary>Information: an interval passed with no new 100011 answer after <see cref="ClockSkew"/>.</summary>
    public const int ClockSkewEnded = 7112;

    /// <summary>Warning: a connection to the venue was lost and is being re-established with back-off.</summary>
    public const int ReconnectBackoff = 7113;

    /// <summary>Information: every connection is open again after <see cref="ReconnectBackoff"/>.</summary>
    public const int Reconnected = 7114;

    /// <summary>Critical: the kill switch was engaged (its reason is logged).</summary>
    public const int KillSwitchEngaged = 7115;

    /// <summary>Information: the kill switch was disengaged.</summary>
    public const int KillSwitchDisengaged = 7116;

    /// <summary>Warning: orders' fates went unconfirmed (no source settled them by the confirmation deadline).</summary>
    public const int UnconfirmedFates = 7117;

    /// <summary>Information: an interval passed with no new unconfirmed fate after <see cref="UnconfirmedFates"/>.</summary>
    public const int UnconfirmedFatesEnded = 7118;
}
