namespace Oms.Engine;

/// <summary>
/// The engine's panic button: <see cref="Engage"/> records why and when, and cancels every open order of the account
/// (<see cref="CancelEngine.CancelAllAsync"/>), returning the report that proves the book flat or says what is left.
/// </summary>
/// <remarks>
/// <para>Any thread, any time, more than once: each <see cref="Engage"/> runs its own cancel-all; the first reason and
/// time stand until <see cref="Disengage"/>. Engaged, the engine stays connected and <c>TryCancel</c> keeps working.</para>
/// <para>Priority: the kill switch's cancels go through the same queue as the strategies', but at most
/// <c>50</c> of one run wait in the engine at a time, so a strategy's cancel published meanwhile waits behind at most
/// those (about five batch requests), never behind the whole book. There is no separate fast lane.</para>
/// <para>Engaging is what the counters show (<c>oms.engine.kill_switch.engaged</c>); it does not refuse anything. A
/// strategy stops placing orders while <see cref="IsEngaged"/> is true: the engine does not place orders.</para>
/// </remarks>
public sealed class KillSwitch
{
    private readonly CancelEngine _engine;
    private readonly EngineCounters _counters;
    private readonly Lock _lock = new();
    private string? _reason;
    private DateTimeOffset? _engagedAt;
    private CancelAllReport? _lastReport;

    internal KillSwitch(CancelEngine engine, EngineCounters counters)
    {
        _engine = engine;
        _counters = counters;
    }

    /// <summary>True from the first <see cref="Engage"/> until <see cref="Disengage"/>.</summary>
    public bool IsEngaged
    {
        get
        {
            lock (_lock)
            {
                return _reason is not null;
            }
        }
    }

    /// <summary>Why it was engaged (the first reason given); null when disengaged.</summary>
    public string? Reason
    {
        get
        {
            lock (_lock)
            {
                return _reason;
            }
        }
    }

    /// <summary>When it was engaged (UTC); null when disengaged.</summary>
    public DateTimeOffset? EngagedAt
    {
        get
        {
            lock (_lock)
            {
                return _engagedAt;
            }
        }
    }

    /// <summary>The report of the last cancel-all an <see cref="Engage"/> finished; null before the first.</summary>
    public CancelAllReport? LastReport
    {
        get
        {
            lock (_lock)
            {
                return _lastReport;
            }
        }
    }

    /// <summary>Engages the switch and cancels every open order of the account until the venue lists none or the deadline passes.</summary>
    /// <param name="reason">Why, for the operator (logged by the caller, kept in <see cref="Reason"/>).</param>
    /// <param name="deadline">How long the cancel-all may try (10 s by default).</param>
    /// <param name="cancellationToken">Abandons the cancel-all (the switch stays engaged).</param>
    /// <returns>The cancel-all's report.</returns>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is null or empty.</exception>
    /// <exception cref="InvalidOperationException">The venue refused the first open-orders query: nothing was cancelled, the switch is engaged.</exception>
    /// <exception cref="HttpRequestException">The venue could not be reached for the first open-orders query: the switch is engaged.</exception>
    public async Task<CancelAllReport> Engage(string reason, TimeSpan? deadline = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        lock (_lock)
        {
            if (_reason is null)
            {
                _reason = reason;
                _engagedAt = DateTimeOffset.UtcNow;
                _counters.SetKillSwitchEngaged(true);
            }
        }

        var report = await _engine.CancelAllAsync(symbol: null, deadline, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            _lastReport = report;
        }

        return report;
    }

    /// <summary>Disengages: clears the reason and time. A cancel-all still running goes on to its report.</summary>
    public void Disengage()
    {
        lock (_lock)
        {
            _reason = null;
            _engagedAt = null;
            _counters.SetKillSwitchEngaged(false);
        }
    }
}
