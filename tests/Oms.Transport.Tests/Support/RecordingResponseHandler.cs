namespace Oms.Transport.Tests.Support;

/// <summary>
/// Records the outcome of every token in pre-sized arrays, and every second report of a token as a violation of
/// "exactly one outcome per request".
/// </summary>
/// <remarks>
/// Tokens are indexes in [0, capacity). Reporting a token allocates nothing unless bodies are kept, so the
/// allocation test can use it. Thread-safe: reports arrive on reader and timer threads at once. It never throws
/// from a callback (the connection would count and swallow that); tests read <see cref="DoubleReports"/> instead.
/// </remarks>
internal sealed class RecordingResponseHandler : IHttp2ResponseHandler
{
    private const int None = 0;
    private const int Response = 1;
    private const int Failure = 2;

    private readonly int[] _claims;
    private readonly int[] _kinds;
    private readonly int[] _statuses;
    private readonly int[] _retryAfters;
    private readonly long[] _serverDates;
    private readonly bool[] _truncated;
    private readonly Http2StreamFailure[] _failures;
    private readonly byte[]?[] _bodies;
    private readonly bool _keepBodies;
    private long _outcomes;
    private long _doubleReports;
    private long _outOfRange;
    private string? _firstViolation;

    public RecordingResponseHandler(int capacity, bool keepBodies = true)
    {
        _claims = new int[capacity];
        _kinds = new int[capacity];
        _statuses = new int[capacity];
        _retryAfters = new int[capacity];
        _serverDates = new long[capacity];
        _truncated = new bool[capacity];
        _failures = new Http2StreamFailure[capacity];
        _bodies = new byte[capacity][];
        _keepBodies = keepBodies;
    }

    public int Capacity => _kinds.Length;

    /// <summary>Tokens with an outcome so far.</summary>
    public long Outcomes => Volatile.Read(ref _outcomes);

    /// <summary>Reports for a token that already had an outcome, or for a token outside the capacity: must stay 0.</summary>
    public long DoubleReports => Volatile.Read(ref _doubleReports) + Volatile.Read(ref _outOfRange);

    public void OnResponse(long token, in Http2ResponseHead head, ReadOnlySpan<byte> body)
    {
        if (!TryClaim(token, Response))
        {
            return;
        }

        _statuses[token] = head.Status;
        _retryAfters[token] = head.RetryAfterSeconds;
        _serverDates[token] = head.ServerDateUnixSeconds;
        _truncated[token] = head.IsTruncated;
        if (_keepBodies)
        {
            _bodies[token] = body.ToArray();
        }

        Publish(token, Response);
    }

    public void OnFailure(long token, Http2StreamFailure failure)
    {
        if (!TryClaim(token, Failure))
        {
            return;
        }

        _failures[token] = failure;
        Publish(token, Failure);
    }

    public bool HasOutcome(long token) => Volatile.Read(ref _kinds[token]) != None;

    public bool IsResponse(long token) => Volatile.Read(ref _kinds[token]) == Response;

    /// <summary>What <paramref name="values"/> holds for a token answered with a response; fails the test otherwise.</summary>
    private T Answered<T>(T[] values, long token)
    {
        Assert.True(IsResponse(token), $"token {token} has no response: {Describe(token)}");
        return values[token];
    }

    /// <summary>The status of a token answered with a response; fails the test otherwise.</summary>
    public int Status(long token) => Answered(_statuses, token);

    /// <summary>The <c>retry-after</c> seconds of a token answered with a response; fails the test otherwise.</summary>
    public int RetryAfterSeconds(long token) => Answered(_retryAfters, token);

    /// <summary>The <c>date</c> header (Unix seconds) of a token answered with a response; fails the test otherwise.</summary>
    public long ServerDateUnixSeconds(long token) => Answered(_serverDates, token);

    /// <summary>Whether a token's response came truncated (its body past the limit); fails the test when it got no response.</summary>
    public bool Truncated(long token) => Answered(_truncated, token);

    /// <summary>The body of a token answered with a response (only when bodies are kept).</summary>
    public byte[] Body(long token) => Answered(_bodies, token) ?? throw new InvalidOperationException("This handler does not keep bodies.");

    /// <summary>The failure of a token that failed; null when it has no outcome or a response.</summary>
    public Http2StreamFailure? FailureOf(long token) =>
        Volatile.Read(ref _kinds[token]) == Failure ? _failures[token] : null;

    public string Describe(long token) => Volatile.Read(ref _kinds[token]) switch
    {
        Response => $"response {_statuses[token]}",
        Failure => $"failure {_failures[token]}",
        _ => "no outcome",
    };

    /// <summary>Counts, per failure kind, the tokens in [0, count) that failed with it.</summary>
    public int CountFailures(int count, Http2StreamFailure failure)
    {
        var n = 0;
        for (var i = 0; i < count; i++)
        {
            if (FailureOf(i) == failure)
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>Counts the tokens in [0, count) answered with a response.</summary>
    public int CountResponses(int count)
    {
        var n = 0;
        for (var i = 0; i < count; i++)
        {
            if (IsResponse(i))
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>Waits until at least <paramref name="count"/> outcomes arrived; polls, so it allocates nothing.</summary>
    public bool WaitForOutcomes(long count, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Outcomes < count)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            Thread.Sleep(1);
        }

        return true;
    }

    /// <summary>Waits until at least <paramref name="count"/> outcomes arrived, without holding a thread.</summary>
    public async Task<bool> WaitForOutcomesAsync(long count, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Outcomes < count)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            await Task.Delay(5);
        }

        return true;
    }

    /// <summary>Waits until a given token has its outcome.</summary>
    public async Task<bool> WaitForTokenAsync(long token, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!HasOutcome(token))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            await Task.Delay(5);
        }

        return true;
    }

    /// <summary>Fails the test when any token was reported twice, and when any of [0, count) has no outcome.</summary>
    public void AssertExactlyOneOutcomeEach(int count)
    {
        Assert.True(DoubleReports == 0, Volatile.Read(ref _firstViolation));
        for (var i = 0; i < count; i++)
        {
            Assert.True(HasOutcome(i), $"token {i} has no outcome");
        }

        Assert.Equal(count, Outcomes);
    }

    private bool TryClaim(long token, int kind)
    {
        if ((ulong)token >= (ulong)_kinds.Length)
        {
            Interlocked.Increment(ref _outOfRange);
            Interlocked.CompareExchange(ref _firstViolation, $"token {token} is outside [0, {_kinds.Length})", null);
            return false;
        }

        if (Interlocked.CompareExchange(ref _claims[token], kind, None) != None)
        {
            Interlocked.Increment(ref _doubleReports);
            Interlocked.CompareExchange(ref _firstViolation, $"token {token} reported again ({(kind == Response ? "response" : "failure")}) after {Describe(token)}", null);
            return false;
        }

        return true;
    }

    // The outcome's fields are written before the kind is published, so a reader that sees the kind sees them.
    private void Publish(long token, int kind)
    {
        Volatile.Write(ref _kinds[token], kind);
        Interlocked.Increment(ref _outcomes);
    }
}
