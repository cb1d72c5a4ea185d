namespace Oms.Engine.Tests.Support;

/// <summary>Records every outcome by tag and fails loudly on a second outcome for the same tag.</summary>
internal sealed class RecordingListener : ICancelListener
{
    private readonly ConcurrentDictionary<long, Recorded> _outcomes = new();
    private readonly ConcurrentQueue<long> _order = new();
    private readonly ConcurrentQueue<(long Tag, string SentId, string EchoedId)> _idMismatches = new();
    private int _doubleReports;
    private int _wrongThread;
    private int _calls;

    public int Count => _outcomes.Count;

    /// <summary>Listener calls of any kind, second reports included.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public int DoubleReports => Volatile.Read(ref _doubleReports);

    /// <summary>Calls that did not arrive on the engine's consumer thread.</summary>
    public int WrongThreadCalls => Volatile.Read(ref _wrongThread);

    public IReadOnlyDictionary<long, Recorded> Outcomes => _outcomes;

    /// <summary>Tags in the order their outcomes arrived.</summary>
    public IReadOnlyList<long> Order => [.. _order];

    /// <summary>When set, a callback for a tag it returns true for throws after recording (to test the engine's guard).</summary>
    public Func<long, bool>? ThrowFor { get; init; }

    public void OnAcked(long tag, ReadOnlySpan<byte> orderId) => Record(tag, new Recorded("acked", Encoding.ASCII.GetString(orderId), 0, VenueReason.None, null, ""));

    public void OnRejected(long tag, ReadOnlySpan<byte> orderId, long code, VenueReason reason, ReadOnlySpan<byte> message) =>
        Record(tag, new Recorded("rejected", Encoding.ASCII.GetString(orderId), code, reason, null, Encoding.UTF8.GetString(message)));

    public void OnFailed(long tag, ReadOnlySpan<byte> orderId, CancelFailureReason reason, ReadOnlySpan<byte> detail) =>
        Record(tag, new Recorded("failed", Encoding.ASCII.GetString(orderId), 0, VenueReason.None, reason, Encoding.UTF8.GetString(detail)));

    public void OnExpired(long tag, ReadOnlySpan<byte> orderId) => Record(tag, new Recorded("expired", Encoding.ASCII.GetString(orderId), 0, VenueReason.None, null, ""));

    /// <summary>Every id mismatch reported, as (tag, sent id, echoed id), in order; none before the outcome of its tag.</summary>
    public IReadOnlyList<(long Tag, string SentId, string EchoedId)> IdMismatches => [.. _idMismatches];

    public void OnIdMismatch(long tag, ReadOnlySpan<byte> orderId, ReadOnlySpan<byte> sentId, ReadOnlySpan<byte> echoedId)
    {
        if (_outcomes.ContainsKey(tag))
        {
            // A mismatch is reported before its cancel's outcome, never after.
            Interlocked.Increment(ref _doubleReports);
        }

        _idMismatches.Enqueue((tag, Encoding.ASCII.GetString(sentId), Encoding.ASCII.GetString(echoedId)));
    }

    private readonly ConcurrentDictionary<long, (OrderFate Fate, string OrderId)> _fates = new();
    private int _fatesBeforeOutcome;
    private int _doubleFates;

    /// <summary>Fates given so far, by tag.</summary>
    public IReadOnlyDictionary<long, (OrderFate Fate, string OrderId)> Fates => _fates;

    /// <summary>Fates given so far.</summary>
    public int FateCount => _fates.Count;

    /// <summary>Fates given for a tag that had no outcome yet, or for a tag that already had one: each a defect.</summary>
    public int FateOrderViolations => Volatile.Read(ref _fatesBeforeOutcome) + Volatile.Read(ref _doubleFates);

    public void OnFate(long tag, ReadOnlySpan<byte> orderId, OrderFate fate)
    {
        if (Thread.CurrentThread.Name != "oms-consumer")
        {
            Interlocked.Increment(ref _wrongThread);
        }

        if (!_outcomes.ContainsKey(tag))
        {
            Interlocked.Increment(ref _fatesBeforeOutcome);
        }

        if (!_fates.TryAdd(tag, (fate, Encoding.ASCII.GetString(orderId))))
        {
            Interlocked.Increment(ref _doubleFates);
        }
    }

    /// <summary>Fates of one kind.</summary>
    public int FateCountOf(OrderFate fate) => _fates.Values.Count(f => f.Fate == fate);

    /// <summary>Waits up to <paramref name="bound"/> for <paramref name="count"/> fates.</summary>
    public async Task WaitForFatesAsync(int count, TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        while (FateCount < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }
    }

    /// <summary>A one-line summary of the fates, for assertion messages.</summary>
    public string FateSummary() => string.Join(", ", _fates.Values.GroupBy(f => f.Fate).OrderBy(g => g.Key).Select(g => $"{g.Key} x{g.Count()}"));

    public async Task WaitForAsync(int count, TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        while (Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }
    }

    /// <summary>The outcome of <paramref name="tag"/>, waiting up to <paramref name="bound"/>; fails the test if none came.</summary>
    public async Task<Recorded> WaitForTagAsync(long tag, TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        while (!_outcomes.ContainsKey(tag) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(2);
        }

        Assert.True(_outcomes.TryGetValue(tag, out var outcome), $"No outcome for tag {tag} within {bound}.");
        return outcome;
    }

    /// <summary>Outcomes of one kind (<c>acked</c>, <c>rejected</c>, <c>failed</c>, <c>expired</c>).</summary>
    public int CountOf(string kind) => _outcomes.Values.Count(o => o.Kind == kind);

    /// <summary>Failed outcomes with one reason.</summary>
    public int CountOf(CancelFailureReason reason) => _outcomes.Values.Count(o => o.Failure == reason);

    /// <summary>Rejected outcomes with one venue reason.</summary>
    public int CountOf(VenueReason reason) => _outcomes.Values.Count(o => o.Kind == "rejected" && o.Reason == reason);

    /// <summary>A one-line summary of the outcomes, for assertion messages.</summary>
    public string Summary() => string.Join(", ", _outcomes.Values
        .GroupBy(o => (o.Kind, o.Failure, o.Reason))
        .OrderBy(g => g.Key.ToString(), StringComparer.Ordinal)
        .Select(g => $"{g.Key.Kind}/{g.Key.Failure?.ToString() ?? g.Key.Reason.ToString()} x{g.Count()}"));

    private void Record(long tag, Recorded outcome)
    {
        Interlocked.Increment(ref _calls);
        if (Thread.CurrentThread.Name != "oms-consumer")
        {
            Interlocked.Increment(ref _wrongThread);
        }

        if (_outcomes.TryAdd(tag, outcome))
        {
            _order.Enqueue(tag);
        }
        else
        {
            Interlocked.Increment(ref _doubleReports);
        }

        if (ThrowFor?.Invoke(tag) == true)
        {
            throw new InvalidOperationException($"The listener throws for tag {tag}, on purpose.");
        }
    }

    internal sealed record Recorded(string Kind, string OrderId, long Code, VenueReason Reason, CancelFailureReason? Failure, string Text);
}
