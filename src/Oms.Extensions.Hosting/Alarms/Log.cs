namespace Oms.Extensions.Hosting.Alarms;

/// <summary>
/// Every message the hosted engine logs, with its stable event id (<see cref="CancelEngineEventIds"/>). None takes a
/// credential: the key and the secret have no parameter to travel in.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = CancelEngineEventIds.Started, EventName = "EngineStarted", Level = LogLevel.Information,
        Message = "Cancel engine started: venue {BaseUrl}, account group {AccountGroup}, {Connections} connections, profile {Profile}")]
    public static partial void Started(ILogger logger, Uri baseUrl, string accountGroup, int connections, string profile);

    [LoggerMessage(EventId = CancelEngineEventIds.StartFailed, EventName = "EngineStartFailed", Level = LogLevel.Error,
        Message = "Cancel engine could not start against {BaseUrl}")]
    public static partial void StartFailed(ILogger logger, Uri baseUrl, Exception exception);

    [LoggerMessage(EventId = CancelEngineEventIds.Stopped, EventName = "EngineStopped", Level = LogLevel.Information,
        Message = "Cancel engine stopped: {Intents} intents, {Acked} acked, {Rejected} rejected, {Failed} failed, {Expired} expired")]
    public static partial void Stopped(ILogger logger, long intents, long acked, long rejected, long failed, long expired);

    [LoggerMessage(EventId = CancelEngineEventIds.StopIncomplete, EventName = "EngineStopIncomplete", Level = LogLevel.Warning,
        Message = "Cancel engine stop did not finish: {Why}")]
    public static partial void StopIncomplete(ILogger logger, string why);

    [LoggerMessage(EventId = CancelEngineEventIds.CredentialsRefused, EventName = "CredentialsRefused", Level = LogLevel.Critical,
        Message = "The venue refused the API credentials (200001): the engine sends nothing more and refuses new cancels until restarted with a working key")]
    public static partial void CredentialsRefused(ILogger logger);

    [LoggerMessage(EventId = CancelEngineEventIds.ClockSkew, EventName = "ClockSkew", Level = LogLevel.Warning,
        Message = "The venue answered {Answers} cancels with 100011 (clock skew or stale request); its clock minus ours: {SkewSeconds} s")]
    public static partial void ClockSkew(ILogger logger, long answers, long skewSeconds);

    [LoggerMessage(EventId = CancelEngineEventIds.ClockSkewEnded, EventName = "ClockSkewEnded", Level = LogLevel.Information,
        Message = "No more 100011 answers; {Answers} in this episode")]
    public static partial void ClockSkewEnded(ILogger logger, long answers);

    [LoggerMessage(EventId = CancelEngineEventIds.ReconnectBackoff, EventName = "ReconnectBackoff", Level = LogLevel.Warning,
        Message = "Connection to the venue lost: reconnecting with back-off ({BackoffMs} ms); {Open} of {Connections} connections open")]
    public static partial void ReconnectBackoff(ILogger logger, long backoffMs, long open, int connections);

    [LoggerMessage(EventId = CancelEngineEventIds.Reconnected, EventName = "Reconnected", Level = LogLevel.Information,
        Message = "Reconnected to the venue: {Open} connections open")]
    public static partial void Reconnected(ILogger logger, long open);

    [LoggerMessage(EventId = CancelEngineEventIds.KillSwitchEngaged, EventName = "KillSwitchEngaged", Level = LogLevel.Critical,
        Message = "Kill switch engaged: {Reason}")]
    public static partial void KillSwitchEngaged(ILogger logger, string reason);

    [LoggerMessage(EventId = CancelEngineEventIds.KillSwitchDisengaged, EventName = "KillSwitchDisengaged", Level = LogLevel.Information,
        Message = "Kill switch disengaged")]
    public static partial void KillSwitchDisengaged(ILogger logger);

    [LoggerMessage(EventId = CancelEngineEventIds.UnconfirmedFates, EventName = "UnconfirmedFates", Level = LogLevel.Warning,
        Message = "{Count} order fates went unconfirmed by the deadline ({Total} in all): the venue's stream and status did not settle them")]
    public static partial void UnconfirmedFates(ILogger logger, long count, long total);

    [LoggerMessage(EventId = CancelEngineEventIds.UnconfirmedFatesEnded, EventName = "UnconfirmedFatesEnded", Level = LogLevel.Information,
        Message = "No more unconfirmed fates; {Count} in this episode ({Total} in all)")]
    public static partial void UnconfirmedFatesEnded(ILogger logger, long count, long total);
}
