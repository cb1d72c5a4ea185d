namespace Oms.Engine.Throttling;

/// <summary>
/// A token-bucket rate limiter: up to <see cref="Burst"/> requests at once, then a steady rate, with time passed
/// in by the caller so that an intent can wait its turn instead of being dropped.
/// </summary>
/// <remarks>
/// <para>
/// <b>Threads.</b> Not thread-safe, by design: the engine's consumer thread owns its buckets, as it owns the rest of
/// the send path, so there is no lock and no interlocked operation. Share one between threads only under a lock
/// of your own.
/// </para>
/// <para>
/// <b>Arithmetic.</b> The rate is <see cref="TokensPerPeriod"/> tokens every <see cref="PeriodTicks"/> ticks, and
/// the fill level is kept as an integer in units of 1/<see cref="PeriodTicks"/> of a token: each elapsed tick adds
/// exactly <see cref="TokensPerPeriod"/> units and a request costs <see cref="PeriodTicks"/> units. Fractional
/// refills therefore accumulate exactly, with no floating point and no drift, and rates such as 8000 per minute are
/// represented as given. A long idle spell fills the bucket to <see cref="Burst"/> and no further, and the refill
/// multiplication is bounded so it cannot overflow.
/// </para>
/// <para>
/// <b>Time.</b> Ticks are the caller's (normally <see cref="Stopwatch.GetTimestamp"/>). The bucket starts full at
/// the first time it is given. A time earlier than one already seen adds nothing and is measured from the latest
/// time seen.
/// </para>
/// <para>A rate of zero means unlimited: every take succeeds and nothing ever waits.</para>
/// </remarks>
internal sealed class TokenBucket
{
    private readonly long _fullLevel;
    private readonly long _ticksToFill;
    private long _level;
    private long _lastTicks;
    private bool _started;

    /// <summary>Creates a bucket refilling <paramref name="tokensPerPeriod"/> tokens every <paramref name="periodTicks"/> ticks.</summary>
    /// <param name="tokensPerPeriod">Tokens added per period; 0 makes the bucket unlimited.</param>
    /// <param name="periodTicks">The period, in ticks (for example <see cref="Stopwatch.Frequency"/> for a second).</param>
    /// <param name="burst">The most tokens held, and so the most requests taken at once; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A value is negative or zero where it may not be, or <paramref name="burst"/> × <paramref name="periodTicks"/>
    /// or the rate is too large for exact integer arithmetic (above 2^61 and 2^60 respectively).
    /// </exception>
    public TokenBucket(long tokensPerPeriod, long periodTicks, long burst)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tokensPerPeriod);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(periodTicks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);

        // A refill adds at most the full level plus one rate step to a level at most full: with the full level
        // within 2^61 and the rate within 2^60 the sum stays below 2^63.
        const long levelLimit = 1L << 61;
        if (tokensPerPeriod > levelLimit / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(tokensPerPeriod), tokensPerPeriod, "The rate must stay within 2^60.");
        }

        if (burst > levelLimit / periodTicks)
        {
            throw new ArgumentOutOfRangeException(nameof(burst), burst, "burst × periodTicks must stay within 2^61.");
        }

        TokensPerPeriod = tokensPerPeriod;
        PeriodTicks = periodTicks;
        Burst = burst;
        _fullLevel = burst * periodTicks;
        _level = _fullLevel;
        _ticksToFill = tokensPerPeriod == 0 ? 0 : CeilingDivide(_fullLevel, tokensPerPeriod);
    }

    /// <summary>Tokens added per <see cref="PeriodTicks"/>; 0 when unlimited.</summary>
    public long TokensPerPeriod { get; }

    /// <summary>The refill period, in ticks.</summary>
    public long PeriodTicks { get; }

    /// <summary>The most tokens the bucket holds.</summary>
    public long Burst { get; }

    /// <summary>Whether the bucket never limits (a rate of zero).</summary>
    public bool IsUnlimited => TokensPerPeriod == 0;

    /// <summary>A bucket of <paramref name="tokensPerSecond"/> per second on the <see cref="Stopwatch"/> clock.</summary>
    /// <param name="tokensPerSecond">The rate; 0 for unlimited.</param>
    /// <param name="burst">The most requests at once; at least 1.</param>
    /// <returns>A new bucket, full.</returns>
    public static TokenBucket PerSecond(long tokensPerSecond, long burst) =>
        new(tokensPerSecond, Stopwatch.Frequency, burst);

    /// <summary>A bucket of <paramref name="tokensPerMinute"/> per minute on the <see cref="Stopwatch"/> clock.</summary>
    /// <param name="tokensPerMinute">The rate; 0 for unlimited.</param>
    /// <param name="burst">The most requests at once; at least 1.</param>
    /// <returns>A new bucket, full.</returns>
    public static TokenBucket PerMinute(long tokensPerMinute, long burst) =>
        new(tokensPerMinute, Stopwatch.Frequency * 60, burst);

    /// <summary>
    /// The per-endpoint default: <see cref="RateLimitDefaults.RequestsPerSecondPerEndpoint"/> per second with a burst of
    /// <see cref="RateLimitDefaults.BurstPerEndpoint"/>.
    /// </summary>
    /// <returns>A new bucket, full.</returns>
    public static TokenBucket CreatePerEndpointDefault() =>
        PerSecond(RateLimitDefaults.RequestsPerSecondPerEndpoint, RateLimitDefaults.BurstPerEndpoint);

    /// <summary>Takes one token if one is available at <paramref name="nowTicks"/>.</summary>
    /// <param name="nowTicks">The current time in ticks.</param>
    /// <returns><see langword="true"/> when the request may go now; otherwise nothing is taken.</returns>
    /// <remarks>Consumer thread only.</remarks>
    public bool TryTake(long nowTicks)
    {
        if (TokensPerPeriod == 0)
        {
            return true;
        }

        Refill(nowTicks);
        if (_level < PeriodTicks)
        {
            return false;
        }

        _level -= PeriodTicks;
        return true;
    }

    /// <summary>How long until <see cref="TryTake"/> would succeed, without taking anything.</summary>
    /// <param name="nowTicks">The current time in ticks.</param>
    /// <returns>0 when a token is available now; otherwise the ticks to wait (a take at that time succeeds).</returns>
    /// <remarks>Consumer thread only.</remarks>
    public long TicksUntilAvailable(long nowTicks)
    {
        if (TokensPerPeriod == 0)
        {
            return 0;
        }

        long behind = _started && nowTicks < _lastTicks ? _lastTicks - nowTicks : 0;
        long missing = PeriodTicks - LevelAt(nowTicks);
        return missing <= 0 ? 0 : behind + CeilingDivide(missing, TokensPerPeriod);
    }

    /// <summary>Whole tokens available at <paramref name="nowTicks"/>, without taking any; for metrics and tests.</summary>
    /// <param name="nowTicks">The current time in ticks.</param>
    /// <returns>Between 0 and <see cref="Burst"/>; <see cref="Burst"/> when unlimited.</returns>
    public long AvailableTokens(long nowTicks) => TokensPerPeriod == 0 ? Burst : LevelAt(nowTicks) / PeriodTicks;

    private static long CeilingDivide(long dividend, long divisor) => (dividend + divisor - 1) / divisor;

    private long LevelAt(long nowTicks)
    {
        if (!_started || nowTicks <= _lastTicks)
        {
            return _level;
        }

        long elapsed = nowTicks - _lastTicks;
        if (elapsed < 0 || elapsed >= _ticksToFill)
        {
            // Negative only when the subtraction wrapped, which takes an idle spell longer than any refill.
            return _fullLevel;
        }

        // elapsed < _ticksToFill, so elapsed × rate ≤ the full level plus one rate step: no overflow.
        return Math.Min(_fullLevel, _level + (elapsed * TokensPerPeriod));
    }

    private void Refill(long nowTicks)
    {
        _level = LevelAt(nowTicks);
        if (!_started || nowTicks > _lastTicks)
        {
            _lastTicks = nowTicks;
            _started = true;
        }
    }
}
