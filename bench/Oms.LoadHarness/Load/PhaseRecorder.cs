using System.Diagnostics;
using Oms.Engine.Diagnostics;

namespace Oms.LoadHarness.Load;

/// <summary>
/// Per-tag start and end times and outcomes of one run, in arrays allocated once for the whole harness, so that
/// recording costs no allocation and no lock on the clients' threads.
/// </summary>
/// <remarks>
/// Threads: <see cref="OnIssued"/> for a tag happens before that tag's <see cref="Complete"/> (the client issues
/// a cancel before anything can answer it); completions may come from any thread (the engine's consumer, the
/// thread pool for HttpClient). A tag completing twice is counted, never recorded twice. In a run armed to signal
/// each outcome, one thread at a time waits in <see cref="WaitForOutcome"/>, for the only cancel in flight.
/// </remarks>
internal sealed class PhaseRecorder : IDisposable
{
    private readonly long[] _start;
    private readonly long[] _end;
    private readonly int[] _outcomes;

    // Set after every outcome of a one-in-flight run. Blocking rather than spinning: the issuing thread must leave
    // the cores to the client's own threads (the engine's consumer spins on one of the two), and its wake-up comes
    // after the outcome's timestamp, so it is not part of any round trip. Spins a little before blocking, as
    // any such wait does, but not for long.
    private readonly ManualResetEventSlim _outcomeSignal = new(initialState: false, spinCount: 1);
    private bool _signalEachOutcome;
    private PhaseOrders? _orders;
    private TaskCompletionSource _allDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _target = long.MaxValue;
    private long _completed;
    private long _acked;
    private long _rejected;
    private long _failed;
    private long _expired;
    private long _duplicates;
    private long _unknownTags;
    private long _wrongOrder;
    private long _wrongEchoedId;
    private long _unexpectedRejections;
    private long _unexpectedAcks;
    private string? _firstProblem;

    public PhaseRecorder(int capacity)
    {
        _start = new long[capacity];
        _end = new long[capacity];
        _outcomes = new int[capacity];
    }

    /// <summary>The most tags a run may issue.</summary>
    public int Capacity => _start.Length;

    public long Completed => Volatile.Read(ref _completed);

    public long Acked => Volatile.Read(ref _acked);

    public long Rejected => Volatile.Read(ref _rejected);

    public long Failed => Volatile.Read(ref _failed);

    public long Expired => Volatile.Read(ref _expired);

    public long Duplicates => Volatile.Read(ref _duplicates);

    public long UnknownTags => Volatile.Read(ref _unknownTags);

    public long WrongOrder => Volatile.Read(ref _wrongOrder);

    public long WrongEchoedId => Volatile.Read(ref _wrongEchoedId);

    public long UnexpectedRejections => Volatile.Read(ref _unexpectedRejections);

    public long UnexpectedAcks => Volatile.Read(ref _unexpectedAcks);

    /// <summary>The first failure's description, if any cancel failed.</summary>
    public string? FirstProblem => Volatile.Read(ref _firstProblem);

    /// <summary>The orders of the current run.</summary>
    public PhaseOrders Orders => _orders ?? throw new InvalidOperationException("No run is armed.");

    /// <summary>Clears everything for a new run over <paramref name="orders"/>; not while a run is going.</summary>
    /// <param name="orders">The run's orders.</param>
    /// <param name="signalEachOutcome">Whether the run waits for each outcome with <see cref="WaitForOutcome"/> (one in flight).</param>
    public void Reset(PhaseOrders orders, bool signalEachOutcome = false)
    {
        Array.Clear(_start);
        Array.Clear(_end);
        Array.Clear(_outcomes);
        _orders = orders;
        _allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _target = long.MaxValue;
        _completed = _acked = _rejected = _failed = _expired = 0;
        _duplicates = _unknownTags = _wrongOrder = _wrongEchoedId = _unexpectedRejections = _unexpectedAcks = 0;
        _firstProblem = null;
        _signalEachOutcome = signalEachOutcome;
        _outcomeSignal.Reset();
    }

    /// <summary>Stamps the moment tag <paramref name="tag"/> is handed to the client.</summary>
    public void OnIssued(int tag) => _start[tag] = Stopwatch.GetTimestamp();

    /// <summary>Records the outcome of <paramref name="tag"/> and checks it against the order it was for.</summary>
    /// <param name="tag">The tag the client echoed.</param>
    /// <param name="kind">The outcome.</param>
    /// <param name="orderMatches">Whether the outcome named the order the tag was issued for.</param>
    /// <param name="echoedIdMatches">Whether the venue echoed the request id that was sent (true when nothing was echoed to compare).</param>
    /// <param name="rejectionExpected">For a rejection: whether its code is the one an already canceled order gets.</param>
    public void Complete(long tag, OutcomeKind kind, bool orderMatches = true, bool echoedIdMatches = true, bool rejectionExpected = true)
    {
        long now = Stopwatch.GetTimestamp();
        if ((ulong)tag >= (ulong)_outcomes.Length)
        {
            Interlocked.Increment(ref _unknownTags);
            return;
        }

        int index = (int)tag;
        if (Interlocked.CompareExchange(ref _outcomes[index], (int)kind, (int)OutcomeKind.None) != (int)OutcomeKind.None)
        {
            Interlocked.Increment(ref _duplicates);
            return;
        }

        _end[index] = now;
        bool reused = Orders.IsReused(index);
        switch (kind)
        {
            case OutcomeKind.Acked:
                Interlocked.Increment(ref _acked);
                if (reused)
                {
                    Interlocked.Increment(ref _unexpectedAcks);
                }

                break;
            case OutcomeKind.Rejected:
                Interlocked.Increment(ref _rejected);
                if (!reused || !rejectionExpected)
                {
                    Interlocked.Increment(ref _unexpectedRejections);
                }

                break;
            case OutcomeKind.Failed:
                Interlocked.Increment(ref _failed);
                break;
            default:
                Interlocked.Increment(ref _expired);
                break;
        }

        if (!orderMatches)
        {
            Interlocked.Increment(ref _wrongOrder);
        }

        if (!echoedIdMatches)
        {
            Interlocked.Increment(ref _wrongEchoedId);
        }

        if (Interlocked.Increment(ref _completed) >= Volatile.Read(ref _target))
        {
            _allDone.TrySetResult();
        }

        if (_signalEachOutcome)
        {
            _outcomeSignal.Set();
        }
    }

    /// <summary>Blocks until <paramref name="tag"/> has its outcome or <paramref name="timeout"/> passed; for a run armed to signal each outcome.</summary>
    /// <returns>Whether the outcome arrived.</returns>
    /// <remarks>
    /// Only with one cancel in flight: the signal may still be set by the previous cancel's outcome, so a wake-up
    /// is checked against this tag's outcome and the signal cleared before waiting again. Clearing cannot lose this
    /// tag's signal: its outcome is written before the signal is set, so the check after clearing sees it.
    /// </remarks>
    public bool WaitForOutcome(int tag, TimeSpan timeout)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Volatile.Read(ref _outcomes[tag]) == (int)OutcomeKind.None)
        {
            long left = deadline - Stopwatch.GetTimestamp();
            if (left <= 0 || !_outcomeSignal.Wait(Stopwatch.GetElapsedTime(0, left)))
            {
                return Volatile.Read(ref _outcomes[tag]) != (int)OutcomeKind.None;
            }

            _outcomeSignal.Reset();
        }

        return true;
    }

    /// <summary>Keeps the first problem's description (a failure reason, an exception message).</summary>
    public void NoteProblem(string description) => Interlocked.CompareExchange(ref _firstProblem, description, null);

    /// <summary>Waits until <paramref name="issued"/> outcomes have arrived, or <paramref name="timeout"/> passed.</summary>
    /// <returns>Whether every issued cancel has its outcome.</returns>
    public async Task<bool> WaitForAllAsync(long issued, TimeSpan timeout)
    {
        Volatile.Write(ref _target, issued);
        if (Volatile.Read(ref _completed) >= issued)
        {
            _allDone.TrySetResult();
        }

        try
        {
            await _allDone.Task.WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>The first start and the last end among tags <paramref name="from"/> to <paramref name="issued"/> - 1, in Stopwatch ticks.</summary>
    public (long FirstStart, long LastEnd) Span(int from, int issued)
    {
        long first = long.MaxValue;
        long last = long.MinValue;
        for (int i = from; i < issued; i++)
        {
            first = Math.Min(first, _start[i]);
            last = Math.Max(last, _end[i]);
        }

        return (first, last);
    }

    /// <summary>Round trips (issue to outcome) of tags <paramref name="from"/> to <paramref name="issued"/> - 1 that have an outcome.</summary>
    public LatencyHistogram RoundTrips(int from, int issued)
    {
        var histogram = new LatencyHistogram();
        for (int i = from; i < issued; i++)
        {
            if (_outcomes[i] != (int)OutcomeKind.None)
            {
                histogram.RecordStopwatchTicks(_end[i] - _start[i]);
            }
        }

        return histogram;
    }

    public void Dispose() => _outcomeSignal.Dispose();
}
