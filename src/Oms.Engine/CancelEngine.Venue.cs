namespace Oms.Engine;

/// <summary>
/// The engine's requests to the venue beyond a strategy's cancels: reconciling with its open orders, and clearing the
/// whole book (cancel-all, the kill switch) with the tags reserved for its own cancels.
/// </summary>
public sealed partial class CancelEngine
{
    /// <summary>
    /// The first tag of the range reserved for the cancels a cancel-all issues (<see cref="CancelAllAsync"/>, the
    /// <see cref="KillSwitch"/>): <see cref="CancelAllTagCount"/> tags from <see cref="long.MinValue"/> up. Strategies
    /// must not use tags in it; <see cref="IsCancelAllTag"/> tells an outcome of ours apart.
    /// </summary>
    public const long CancelAllTag = long.MinValue;

    /// <summary>How many tags the cancel-all range holds (2^32): the issued tags wrap within it.</summary>
    public const long CancelAllTagCount = 1L << 32;

    /// <summary>
    /// Asks the venue for every open order of the account (one signed query, off the engine's path), so a strategy that
    /// restarts learns which of its orders are still live. Any thread, any time; cancels keep going meanwhile.
    /// </summary>
    /// <param name="cancellationToken">Abandons the query.</param>
    /// <returns>The open orders as the venue lists them.</returns>
    /// <exception cref="InvalidOperationException">The venue refused the query (its code, reason and message say why) or answered another shape.</exception>
    /// <exception cref="HttpRequestException">The venue could not be reached.</exception>
    public async Task<IReadOnlyList<VenueOrder>> ReconcileAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await VenueQueries.OpenOrdersAsync(_settings, _credentials, cancellationToken).ConfigureAwait(false);
        }
        catch (VenueQueryException e)
        {
            throw new InvalidOperationException("The venue refused the open-orders query: " + e.Message, e);
        }
    }

    /// <summary>
    /// Cancels every open order in scope and proves it: asks the venue's open orders, sends the venue's cancel-all (one
    /// signed request off the engine's path), then asks the open orders again and cancels what is left through the
    /// engine (batched by the consumer when queued), round after round, until the venue lists nothing open or
    /// <paramref name="deadline"/> passes; last, asks the status of every order that was open before, to count what
    /// became of it. See docs/mass-cancel.md.
    /// </summary>
    /// <remarks>
    /// Any thread, any time, more than once concurrently (each call runs on its own; two calls' cancels of one order are
    /// coalesced by the engine). While it runs, strategies' <c>TryCancel</c> keep working, and wait behind at most
    /// 50 of its cancels. Its cancels reach the listener like any other, with tags in the reserved range
    /// (<see cref="CancelAllTag"/>). A stop while it runs ends it at its next step: the report names what is left.
    /// </remarks>
    /// <param name="symbol">Only this symbol's orders; null for every open order of the account.</param>
    /// <param name="deadline">How long the rounds may go on (10 s by default); the last queries get 5 s more.</param>
    /// <param name="cancellationToken">Abandons the run (it throws <see cref="OperationCanceledException"/>; cancels already handed over still go).</param>
    /// <returns>The report; <see cref="CancelAllReport.IsFlat"/> only when the venue proved it.</returns>
    /// <exception cref="ArgumentException"><paramref name="symbol"/> is empty, or <paramref name="deadline"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">The venue refused the first open-orders query (its code, reason and message say why): nothing was sent.</exception>
    /// <exception cref="HttpRequestException">The venue could not be reached for the first open-orders query: nothing was sent.</exception>
    /// <exception cref="TimeoutException">The first open-orders query had no answer within the deadline: nothing was sent.</exception>
    public async Task<CancelAllReport> CancelAllAsync(string? symbol = null, TimeSpan? deadline = null, CancellationToken cancellationToken = default)
    {
        if (symbol is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        }

        var limit = deadline ?? DefaultCancelAllDeadline;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit, TimeSpan.Zero, nameof(deadline));
        try
        {
            return await MassCancel.CancelAllRun.RunAsync(this, _credentials, _counters, symbol, limit, cancellationToken).ConfigureAwait(false);
        }
        catch (VenueQueryException e)
        {
            throw new InvalidOperationException("The venue refused the open-orders query: " + e.Message, e);
        }
    }

    /// <summary>The deadline of <see cref="CancelAllAsync"/> when none is given: 10 s.</summary>
    public static TimeSpan DefaultCancelAllDeadline { get; } = TimeSpan.FromSeconds(10);

    /// <summary>True for a tag in the range reserved for a cancel-all's own cancels (<see cref="CancelAllTag"/>).</summary>
    public static bool IsCancelAllTag(long tag) => tag >= CancelAllTag && tag < CancelAllTag + CancelAllTagCount;

    /// <summary>The kill switch: engage it to cancel everything and prove the book flat (see <see cref="Oms.Engine.KillSwitch"/>).</summary>
    public KillSwitch KillSwitch => _killSwitch;
}
