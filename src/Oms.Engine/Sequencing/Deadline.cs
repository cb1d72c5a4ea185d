namespace Oms.Engine.Sequencing;

/// <summary>Converts timeouts into absolute <see cref="Stopwatch"/> timestamps, without allocating.</summary>
internal static class Deadline
{
    /// <summary>A deadline that never passes.</summary>
    public const long Never = long.MaxValue;

    /// <summary>Throws unless <paramref name="timeout"/> is zero, positive or infinite.</summary>
    public static void Validate(TimeSpan timeout, string paramName)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            ThrowHelper.ThrowTimeoutOutOfRange(timeout, paramName);
        }
    }

    /// <summary>The timestamp <paramref name="timeout"/> from now, or <see cref="Never"/> for an infinite timeout.</summary>
    public static long After(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return Never;
        }

        double stopwatchTicks = timeout.Ticks * ((double)Stopwatch.Frequency / TimeSpan.TicksPerSecond);
        long now = Stopwatch.GetTimestamp();

        // Saturate rather than wrap: TimeSpan.MaxValue in Stopwatch ticks does not fit in a long.
        return stopwatchTicks >= Never - now ? Never : now + (long)stopwatchTicks;
    }

    /// <summary>Whether <paramref name="deadline"/> has passed.</summary>
    public static bool HasPassed(long deadline) => deadline != Never && Stopwatch.GetTimestamp() >= deadline;

    /// <summary>
    /// Nanoseconds left until <paramref name="deadline"/>: 0 once it has passed, -1 for <see cref="Never"/>.
    /// </summary>
    public static long RemainingNanoseconds(long deadline)
    {
        if (deadline == Never)
        {
            return -1;
        }

        long remaining = deadline - Stopwatch.GetTimestamp();
        return remaining <= 0 ? 0 : Math.Max(1, (long)(remaining * (1_000_000_000.0 / Stopwatch.Frequency)));
    }

    /// <summary>
    /// Milliseconds left until <paramref name="deadline"/>, rounded up so a wait never ends early, and at least 1;
    /// <see cref="Timeout.Infinite"/> for <see cref="Never"/>.
    /// </summary>
    public static int RemainingMilliseconds(long deadline)
    {
        if (deadline == Never)
        {
            return Timeout.Infinite;
        }

        long remaining = deadline - Stopwatch.GetTimestamp();
        if (remaining <= 0)
        {
            return 1;
        }

        double milliseconds = Math.Ceiling(remaining * 1000.0 / Stopwatch.Frequency);
        return milliseconds >= int.MaxValue ? int.MaxValue : Math.Max(1, (int)milliseconds);
    }
}
