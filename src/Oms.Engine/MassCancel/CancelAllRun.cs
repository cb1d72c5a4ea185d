using System.Globalization;
using System.Text;
using Oms.Engine.Signing;

namespace Oms.Engine.MassCancel;

/// <summary>
/// One cancel-all, start to report (docs/mass-cancel.md): the open orders in scope, the venue's cancel-all, then rounds of
/// "ask what is open, cancel what is left through the engine, wait for those fates" until the venue lists nothing open
/// or the deadline passes, and last the status of every order that was open before, to count what became of it.
/// </summary>
/// <remarks>
/// Runs on the caller's async flow, never on the consumer thread: the queries go out off the engine's path
/// (<see cref="VenueQueries"/>), the follow-up cancels through <c>TryCancel</c> like a strategy's. Allocates freely.
/// </remarks>
internal sealed class CancelAllRun
{
    /// <summary>
    /// The most follow-up cancels of one run waiting in the engine at once: a strategy's cancel published meanwhile
    /// waits behind at most this many of ours (about five batch requests), however many orders are left.
    /// </summary>
    internal const int Window = 50;

    // Time left after the deadline for the last status queries, and for a query that is on the wire when it passes.
    private static readonly TimeSpan s_queryGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan s_roundPause = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan s_publishWait = TimeSpan.FromMilliseconds(50);
    private static long s_nextTag;

    private readonly CancelEngine _engine;
    private readonly CancelEngineSettings _settings;
    private readonly ApiCredentials _credentials;
    private readonly string? _symbol;
    private readonly long _deadline;
    private readonly CancellationToken _cancellationToken;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _followUpCancels;
    private string? _problem;

    private CancelAllRun(CancelEngine engine, ApiCredentials credentials, string? symbol, TimeSpan deadline, CancellationToken cancellationToken)
    {
        _engine = engine;
        _settings = engine.Settings;
        _credentials = credentials;
        _symbol = symbol;
        _deadline = Stopwatch.GetTimestamp() + (long)(deadline.TotalSeconds * Stopwatch.Frequency);
        _cancellationToken = cancellationToken;
    }

    /// <summary>The next tag of the reserved range (<see cref="CancelEngine.CancelAllTag"/>): process-wide, wraps within it.</summary>
    internal static long NextTag() => CancelEngine.CancelAllTag + (Interlocked.Increment(ref s_nextTag) & (CancelEngine.CancelAllTagCount - 1));

    /// <exception cref="VenueQueryException">The venue refused the first open-orders query: nothing was sent.</exception>
    /// <exception cref="HttpRequestException">The venue could not be reached for the first open-orders query: nothing was sent.</exception>
    /// <exception cref="TimeoutException">No answer to the first open-orders query within the deadline and its grace: nothing was sent.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<CancelAllReport> RunAsync(
        CancelEngine engine, ApiCredentials credentials, EngineCounters counters, string? symbol, TimeSpan deadline, CancellationToken cancellationToken) =>
        new CancelAllRun(engine, credentials, symbol, deadline, cancellationToken).RunAsync(counters);

    private async Task<CancelAllReport> RunAsync(EngineCounters counters)
    {
        using var queries = CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken);
        queries.CancelAfter(TimeLeft() + s_queryGrace);
        var token = queries.Token;

        IReadOnlyList<VenueOrder> openBefore;
        try
        {
            openBefore = InScope(await VenueQueries.OpenOrdersAsync(_settings, _credentials, token).ConfigureAwait(false));
        }
        catch (OperationCanceledException e) when (!_cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("the venue did not answer the open-orders query before the deadline: nothing was sent", e);
        }

        counters.OnCancelAllRequest();
        var acknowledged = await SendCancelAllAsync(token).ConfigureAwait(false);

        var waiting = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyList<VenueOrder>? lastOpen = null;
        var lastAnswerFailed = false;
        var rounds = 0;
        while (true)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            try
            {
                lastOpen = InScope(await VenueQueries.OpenOrdersAsync(_settings, _credentials, token).ConfigureAwait(false));
                lastAnswerFailed = false;
                rounds++;
            }
            catch (Exception e) when (IsQueryFailure(e))
            {
                lastAnswerFailed = true;
                _problem = "the open-orders query failed: " + Describe(e);
            }

            if (!lastAnswerFailed && lastOpen!.Count == 0)
            {
                _problem = null;
                break;
            }

            if (TimeLeft() <= TimeSpan.Zero)
            {
                _problem ??= string.Create(CultureInfo.InvariantCulture, $"the deadline passed with {lastOpen?.Count ?? openBefore.Count} orders still open");
                break;
            }

            if (!_engine.IsRunning)
            {
                _problem = "the engine stopped before the venue listed nothing open";
                break;
            }

            if (!lastAnswerFailed && !await CancelRoundAsync(lastOpen!, waiting).ConfigureAwait(false))
            {
                break;
            }

            await Task.Delay(s_roundPause, _cancellationToken).ConfigureAwait(false);
        }

        var remaining = new List<string>(lastOpen is null ? openBefore.Select(order => order.OrderId) : lastOpen.Select(order => order.OrderId));
        var (canceled, filled, unproven) = await CountAsync(openBefore, remaining, token).ConfigureAwait(false);
        return new CancelAllReport(
            _symbol,
            [.. openBefore.Select(order => order.OrderId)],
            canceled,
            filled,
            remaining,
            unproven,
            lastOpenOrdersEmpty: !lastAnswerFailed && lastOpen is { Count: 0 },
            acknowledged,
            rounds,
            _followUpCancels,
            _clock.Elapsed,
            _problem);
    }

    /// <summary>The venue's cancel-all; its refusal is not fatal (the rounds cancel what it leaves), only noted.</summary>
    private async Task<bool> SendCancelAllAsync(CancellationToken token)
    {
        try
        {
            await VenueQueries.CancelAllAsync(_settings, _credentials, _symbol, token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (IsQueryFailure(e))
        {
            return false;
        }
    }

    /// <summary>
    /// Cancels every listed order that has no cancel of ours still waiting, at most <see cref="Window"/> in the engine at
    /// once, then waits for their fates (bounded by the deadline). False when the run must end (the engine stopped).
    /// </summary>
    private async Task<bool> CancelRoundAsync(IReadOnlyList<VenueOrder> open, HashSet<string> waiting)
    {
        var window = new List<string>(Window);
        foreach (var order in open)
        {
            if (waiting.Contains(order.OrderId))
            {
                continue;
            }

            if (!TryPublish(order, out var stop))
            {
                if (stop)
                {
                    return false;
                }

                continue;
            }

            waiting.Add(order.OrderId);
            window.Add(order.OrderId);
            if (window.Count == Window)
            {
                // Ours leave the engine's queue before more of ours go in, so a strategy's cancel published meanwhile
                // never waits behind the whole book.
                await WaitAsync(window, HasLeftTheQueue).ConfigureAwait(false);
                window.Clear();
            }
        }

        var issued = waiting.ToList();
        await WaitAsync(issued, HasFate).ConfigureAwait(false);
        waiting.RemoveWhere(HasFate);
        return true;
    }

    private bool TryPublish(VenueOrder order, out bool stop)
    {
        stop = false;
        while (true)
        {
            if (_engine.TryCancel(order.OrderId.AsSpan(), order.Symbol.AsSpan(), NextTag(), s_publishWait, out var refusal))
            {
                _followUpCancels++;
                return true;
            }

            switch (refusal)
            {
                case CancelRefusal.RingFull when TimeLeft() > TimeSpan.Zero:
                    continue;
                case CancelRefusal.RingFull:
                    return false;
                case CancelRefusal.EngineStopped:
                    _problem = "the engine stopped before the venue listed nothing open";
                    stop = true;
                    return false;
                case CancelRefusal.AuthenticationFailed:
                    _problem = "the venue refused the credentials: the engine stopped sending";
                    stop = true;
                    return false;
                default:
                    // An order the profile cannot cancel (an id of another shape): it stays open and is reported.
                    _problem = $"the engine refused to cancel {order.OrderId} ({refusal})";
                    return false;
            }
        }
    }

    /// <summary>
    /// The latest cancel of the order is final and, when fates are confirmed, its fate is known. A cancel the consumer has
    /// not taken yet reads as the order's previous episode, or None: None waits, an earlier final state may end the wait
    /// early, and then the next round finds the order still listed and waits for it again.
    /// </summary>
    private bool HasFate(string orderId)
    {
        var state = _engine.GetCancelState(orderId, out var fate);
        return state.IsFinal() && (!_settings.Confirmation.Enabled || fate is not (OrderFate.None or OrderFate.Pending));
    }

    private bool HasLeftTheQueue(string orderId) => _engine.GetCancelState(orderId) is not (CancelState.None or CancelState.Queued);

    private async Task WaitAsync(List<string> orderIds, Predicate<string> done)
    {
        while (TimeLeft() > TimeSpan.Zero && _engine.IsRunning && !orderIds.TrueForAll(done))
        {
            await Task.Delay(s_poll, _cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// What became of each order of <paramref name="openBefore"/>, by the venue's status (at most the settings' status
    /// batch, never more than 50 ids per query); an order still open joins <paramref name="remaining"/>.
    /// </summary>
    private async Task<(int Canceled, int Filled, List<string> Unproven)> CountAsync(
        IReadOnlyList<VenueOrder> openBefore, List<string> remaining, CancellationToken token)
    {
        var canceled = 0;
        var filled = 0;
        var unproven = new List<string>();
        var stillOpen = new HashSet<string>(remaining, StringComparer.Ordinal);
        var chunk = Math.Min(50, _settings.Confirmation.MaxIdsPerStatusRequest);
        string? failure = null;
        for (var start = 0; start < openBefore.Count; start += chunk)
        {
            var ids = openBefore.Skip(start).Take(chunk).Select(order => order.OrderId).ToArray();
            IReadOnlyList<VenueOrder> answer;
            try
            {
                answer = await VenueQueries.StatusAsync(_settings, _credentials, ids, token).ConfigureAwait(false);
            }
            catch (Exception e) when (IsQueryFailure(e))
            {
                failure ??= Describe(e);
                unproven.AddRange(ids.Where(id => !stillOpen.Contains(id)));
                continue;
            }

            var statuses = answer.ToDictionary(order => order.OrderId, order => order.Status, StringComparer.Ordinal);
            foreach (var id in ids)
            {
                var status = statuses.TryGetValue(id, out var word) ? OrderStatusWords.FromUtf8(Encoding.ASCII.GetBytes(word)) : VenueOrderStatus.Unknown;
                switch (status)
                {
                    case VenueOrderStatus.Canceled:
                        canceled++;
                        break;
                    case VenueOrderStatus.Filled:
                        filled++;
                        break;
                    case VenueOrderStatus.New or VenueOrderStatus.PartiallyFilled or VenueOrderStatus.PendingNew:
                        if (stillOpen.Add(id))
                        {
                            remaining.Add(id);
                        }

                        break;
                    default:
                        if (!stillOpen.Contains(id))
                        {
                            unproven.Add(id);
                        }

                        break;
                }
            }
        }

        if (failure is not null)
        {
            Append(unproven.Count == 0
                ? $"the order status query failed ({failure})"
                : string.Create(CultureInfo.InvariantCulture, $"the order status query failed ({failure}): what became of {unproven.Count} orders open before is not proven"));
        }
        else if (unproven.Count > 0)
        {
            Append(string.Create(CultureInfo.InvariantCulture, $"the order status left out or did not settle {unproven.Count} orders open before"));
        }

        return (canceled, filled, unproven);
    }

    private void Append(string problem) => _problem = _problem is null ? problem : _problem + "; " + problem;

    private List<VenueOrder> InScope(IReadOnlyList<VenueOrder> orders) =>
        [.. orders.Where(order => _symbol is null || string.Equals(order.Symbol, _symbol, StringComparison.Ordinal))];

    private TimeSpan TimeLeft() => TimeSpan.FromSeconds((double)(_deadline - Stopwatch.GetTimestamp()) / Stopwatch.Frequency);

    // A query cut short by the run's own bound (the deadline's grace) is a failure to report; the caller's token is not.
    private bool IsQueryFailure(Exception e) =>
        e is VenueQueryException or HttpRequestException || (e is OperationCanceledException && !_cancellationToken.IsCancellationRequested);

    private static string Describe(Exception e) => e switch
    {
        OperationCanceledException => "no answer before the deadline",
        _ => e.Message.ReplaceLineEndings(" "),
    };
}
