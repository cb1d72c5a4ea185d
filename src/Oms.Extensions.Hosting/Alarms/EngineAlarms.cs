namespace Oms.Extensions.Hosting.Alarms;

/// <summary>
/// Turns successive <see cref="EngineObservation"/>s into alarm log events: each alarm once when its condition starts
/// and once when it ends, never once per cancel (<see cref="CancelEngineEventIds"/>).
/// </summary>
/// <remarks>One caller at a time (the alarm loop, then the stop): not thread-safe.</remarks>
internal sealed class EngineAlarms(ILogger logger, EngineObservation initial)
{
    private EngineObservation _last = initial;
    private long _skewAtStart = -1;
    private long _unconfirmedAtStart = -1;
    private bool _reconnecting;

    /// <summary>Compares <paramref name="now"/> with the previous observation and logs what changed.</summary>
    public void Observe(in EngineObservation now)
    {
        if (now.CredentialsRefused && !_last.CredentialsRefused)
        {
            Log.CredentialsRefused(logger);
        }

        ObserveClockSkew(now);
        ObserveReconnects(now);
        if (now.KillSwitchEngaged && !_last.KillSwitchEngaged)
        {
            Log.KillSwitchEngaged(logger, now.KillSwitchReason ?? "(no reason)");
        }
        else if (!now.KillSwitchEngaged && _last.KillSwitchEngaged)
        {
            Log.KillSwitchDisengaged(logger);
        }

        ObserveUnconfirmed(now);
        _last = now;
    }

    // Raised by the first interval with new 100011 answers, ended by the first interval without.
    private void ObserveClockSkew(in EngineObservation now)
    {
        var fresh = now.ClockSkewEvents - _last.ClockSkewEvents;
        if (fresh > 0 && _skewAtStart < 0)
        {
            _skewAtStart = _last.ClockSkewEvents;
            Log.ClockSkew(logger, fresh, now.LastClockSkewSeconds);
        }
        else if (fresh == 0 && _skewAtStart >= 0)
        {
            Log.ClockSkewEnded(logger, now.ClockSkewEvents - _skewAtStart);
            _skewAtStart = -1;
        }
    }

    // Ended only when every connection is back, not when one back-off wait is over and the next attempt begins.
    private void ObserveReconnects(in EngineObservation now)
    {
        if (now.ReconnectBackoffMillis > 0 && !_reconnecting)
        {
            _reconnecting = true;
            Log.ReconnectBackoff(logger, now.ReconnectBackoffMillis, now.ConnectionsOpen, now.Connections);
        }
        else if (_reconnecting && now.ReconnectBackoffMillis == 0 && now.ConnectionsOpen >= now.Connections)
        {
            _reconnecting = false;
            Log.Reconnected(logger, now.ConnectionsOpen);
        }
    }

    private void ObserveUnconfirmed(in EngineObservation now)
    {
        var fresh = now.Unconfirmed - _last.Unconfirmed;
        if (fresh > 0 && _unconfirmedAtStart < 0)
        {
            _unconfirmedAtStart = _last.Unconfirmed;
            Log.UnconfirmedFates(logger, fresh, now.Unconfirmed);
        }
        else if (fresh == 0 && _unconfirmedAtStart >= 0)
        {
            Log.UnconfirmedFatesEnded(logger, now.Unconfirmed - _unconfirmedAtStart, now.Unconfirmed);
            _unconfirmedAtStart = -1;
        }
    }
}
