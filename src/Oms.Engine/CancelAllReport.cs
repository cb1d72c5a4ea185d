namespace Oms.Engine;

/// <summary>
/// What a cancel-all did (<see cref="CancelEngine.CancelAllAsync"/>, <see cref="KillSwitch.Engage"/>): how many orders
/// were open in its scope before, what became of them, what is still open, and whether the venue proved the scope flat.
/// </summary>
/// <remarks>Immutable; safe to read from any thread. Counts are of orders, not of cancels sent.</remarks>
public sealed class CancelAllReport
{
    internal CancelAllReport(
        string? symbol,
        IReadOnlyList<string> openBeforeIds,
        int canceled,
        int filled,
        IReadOnlyList<string> remainingIds,
        IReadOnlyList<string> unprovenIds,
        bool lastOpenOrdersEmpty,
        bool cancelAllAcknowledged,
        int rounds,
        int followUpCancels,
        TimeSpan elapsed,
        string? problem)
    {
        Symbol = symbol;
        OpenBeforeIds = openBeforeIds;
        Canceled = canceled;
        Filled = filled;
        RemainingIds = remainingIds;
        UnprovenIds = unprovenIds;
        IsFlat = lastOpenOrdersEmpty && remainingIds.Count == 0 && unprovenIds.Count == 0 && problem is null;
        CancelAllAcknowledged = cancelAllAcknowledged;
        Rounds = rounds;
        FollowUpCancels = followUpCancels;
        Elapsed = elapsed;
        Problem = problem;
    }

    /// <summary>The symbol the cancel-all was for; null for the whole account.</summary>
    public string? Symbol { get; }

    /// <summary>Orders the venue listed open in scope before anything was sent.</summary>
    public int OpenBefore => OpenBeforeIds.Count;

    /// <summary>The ids of <see cref="OpenBefore"/>, as the venue listed them.</summary>
    public IReadOnlyList<string> OpenBeforeIds { get; }

    /// <summary>Orders of <see cref="OpenBefore"/> the venue's order status reports canceled at the end.</summary>
    public int Canceled { get; }

    /// <summary>Orders of <see cref="OpenBefore"/> the venue's order status reports filled at the end (filled meanwhile).</summary>
    public int Filled { get; }

    /// <summary>Orders still open in scope at the end (<see cref="RemainingIds"/>' count).</summary>
    public int Remaining => RemainingIds.Count;

    /// <summary>
    /// The orders still open at the end: the venue's last open-orders answer in scope, plus any order of
    /// <see cref="OpenBefore"/> whose status still read open when asked afterwards.
    /// </summary>
    public IReadOnlyList<string> RemainingIds { get; }

    /// <summary>
    /// Orders of <see cref="OpenBefore"/> whose end the venue could not be made to confirm (the status query failed or
    /// left them out): they are neither in <see cref="Canceled"/>, <see cref="Filled"/> nor <see cref="RemainingIds"/>.
    /// </summary>
    public IReadOnlyList<string> UnprovenIds { get; }

    /// <summary>
    /// True only when proven: the venue's last open-orders answer in scope was empty, every order of
    /// <see cref="OpenBefore"/> has a final status the venue confirmed, and no query failed at the end
    /// (<see cref="Problem"/> is null).
    /// </summary>
    public bool IsFlat { get; }

    /// <summary>Whether the venue acknowledged the cancel-all request itself (code 0); the follow-up rounds run either way.</summary>
    public bool CancelAllAcknowledged { get; }

    /// <summary>Open-orders answers read after the cancel-all request (each one a round: check, then cancel what is left).</summary>
    public int Rounds { get; }

    /// <summary>Cancels handed to the engine by the follow-up rounds (tags in the reserved range, see <see cref="CancelEngine.CancelAllTag"/>).</summary>
    public int FollowUpCancels { get; }

    /// <summary>From the call to the report.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>What could not be proven, in one line (a query that failed, the engine stopped, the deadline); null when nothing.</summary>
    public string? Problem { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"cancel-all {Symbol ?? "(account)"}: open before {OpenBefore}, canceled {Canceled}, filled {Filled}, remaining {Remaining}, unproven {UnprovenIds.Count}, "
        + $"flat {(IsFlat ? "proven" : "not proven")}, {Rounds} rounds, {FollowUpCancels} follow-up cancels, {Elapsed.TotalMilliseconds:0} ms"
        + (Problem is null ? "" : "; " + Problem);
}
