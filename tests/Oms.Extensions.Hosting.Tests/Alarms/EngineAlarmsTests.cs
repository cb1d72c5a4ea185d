using Oms.Extensions.Hosting.Alarms;

namespace Oms.Extensions.Hosting.Tests.Alarms;

/// <summary>Alarms are logged on changes of state, once raised and once ended, whatever the number of cancels behind them.</summary>
public sealed class EngineAlarmsTests
{
    private static readonly EngineObservation s_calm = new(
        Running: true, CredentialsRefused: false, KeyProven: true, ClockSkewEvents: 0, LastClockSkewSeconds: 0, ConnectionsOpen: 2, Connections: 2,
        ReconnectBackoffMillis: 0, KillSwitchEngaged: false, KillSwitchReason: null, Unconfirmed: 0, Backlog: 0);

    [Fact]
    public void Observe_NothingChanges_LogsNothing()
    {
        var (alarms, logs) = Start();

        alarms.Observe(s_calm);
        alarms.Observe(s_calm);

        Assert.Empty(logs.Logs);
    }

    [Fact]
    public void Observe_CredentialsRefused_LoggedOnceAsCritical()
    {
        var (alarms, logs) = Start();

        alarms.Observe(s_calm with { CredentialsRefused = true });
        alarms.Observe(s_calm with { CredentialsRefused = true });

        var log = Assert.Single(logs.Logs);
        Assert.Equal((CancelEngineEventIds.CredentialsRefused, "CredentialsRefused", LogLevel.Critical), (log.EventId.Id, log.EventId.Name, log.Level));
    }

    [Fact]
    public void Observe_ClockSkewOverSeveralIntervals_RaisedOnceThenEndedOnceWithTheEpisodeCount()
    {
        var (alarms, logs) = Start();

        alarms.Observe(s_calm with { ClockSkewEvents = 3, LastClockSkewSeconds = 42 });
        alarms.Observe(s_calm with { ClockSkewEvents = 10, LastClockSkewSeconds = 42 });
        alarms.Observe(s_calm with { ClockSkewEvents = 10, LastClockSkewSeconds = 42 });
        alarms.Observe(s_calm with { ClockSkewEvents = 10, LastClockSkewSeconds = 42 });

        Assert.Equal([CancelEngineEventIds.ClockSkew, CancelEngineEventIds.ClockSkewEnded], logs.Logs.Select(log => log.EventId.Id));
        Assert.Contains("42 s", logs.Logs[0].Message, StringComparison.Ordinal);
        Assert.Contains("10 in this episode", logs.Logs[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Observe_ConnectionLostAndBack_BackoffRaisedOnceEndedWhenEveryConnectionIsOpen()
    {
        var (alarms, logs) = Start();

        alarms.Observe(s_calm with { ReconnectBackoffMillis = 100, ConnectionsOpen = 1 });
        alarms.Observe(s_calm with { ReconnectBackoffMillis = 200, ConnectionsOpen = 0 });
        alarms.Observe(s_calm with { ReconnectBackoffMillis = 0, ConnectionsOpen = 1 });
        alarms.Observe(s_calm with { ReconnectBackoffMillis = 0, ConnectionsOpen = 2 });

        Assert.Equal([CancelEngineEventIds.ReconnectBackoff, CancelEngineEventIds.Reconnected], logs.Logs.Select(log => log.EventId.Id));
        Assert.Equal(LogLevel.Warning, logs.Logs[0].Level);
    }

    [Fact]
    public void Observe_KillSwitchEngagedThenDisengaged_BothLoggedWithTheReason()
    {
        var (alarms, logs) = Start();

        alarms.Observe(s_calm with { KillSwitchEngaged = true, KillSwitchReason = "drawdown limit" });
        alarms.Observe(s_calm with { KillSwitchEngaged = true, KillSwitchReason = "drawdown limit" });
        alarms.Observe(s_calm);

        Assert.Equal([CancelEngineEventIds.KillSwitchEngaged, CancelEngineEventIds.KillSwitchDisengaged], logs.Logs.Select(log => log.EventId.Id));
        Assert.Contains("drawdown limit", logs.Logs[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Observe_UnconfirmedFatesInABurst_OneWarningThenOneEnd()
    {
        var (alarms, logs) = Start();

        alarms.Observe(s_calm with { Unconfirmed = 5 });
        alarms.Observe(s_calm with { Unconfirmed = 500 });
        alarms.Observe(s_calm with { Unconfirmed = 500 });

        Assert.Equal([CancelEngineEventIds.UnconfirmedFates, CancelEngineEventIds.UnconfirmedFatesEnded], logs.Logs.Select(log => log.EventId.Id));
        Assert.Contains("500 in this episode", logs.Logs[1].Message, StringComparison.Ordinal);
    }

    private static (EngineAlarms Alarms, LogCapture Logs) Start()
    {
        var logs = new LogCapture();
        return (new EngineAlarms(logs.CreateLogger("test"), s_calm), logs);
    }
}
