using System.Diagnostics;

namespace Oms.LoadHarness.Load;

/// <summary>
/// Issues an open-loop load: tag n is due at <c>start + n / rate</c> whatever the answers do, so a slow client
/// falls behind instead of slowing the load (no coordinated omission). Due tags are issued in 1 ms ticks: the
/// pacer sleeps between ticks rather than spinning, so its own CPU cost stays a small part of what is measured.
/// </summary>
internal static class Pacer
{
    /// <summary>Issues <c>rate x seconds</c> tags (at most <paramref name="capacity"/>) on the calling thread.</summary>
    /// <param name="issue">Issues one tag; false stops the run (a refusal).</param>
    /// <returns>How many tags were issued.</returns>
    public static int Run(double rate, double seconds, int capacity, Func<int, bool> issue)
    {
        int total = (int)Math.Min(capacity, Math.Round(rate * seconds));
        double ticksPerCancel = Stopwatch.Frequency / rate;
        long start = Stopwatch.GetTimestamp();
        int issued = 0;
        while (issued < total)
        {
            long due = Math.Min(total, (long)((Stopwatch.GetTimestamp() - start) / ticksPerCancel) + 1);
            for (; issued < due; issued++)
            {
                if (!issue(issued))
                {
                    return issued;
                }
            }

            if (issued < total)
            {
                Thread.Sleep(1);
            }
        }

        return issued;
    }

    /// <summary>Issues tags back to back on the calling thread until <paramref name="seconds"/> have passed or the capacity is reached.</summary>
    /// <returns>How many tags were issued.</returns>
    public static int RunFlatOut(double seconds, int capacity, Func<int, bool> issue)
    {
        long end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        int issued = 0;
        while (issued < capacity && Stopwatch.GetTimestamp() < end)
        {
            if (!issue(issued))
            {
                return issued;
            }

            issued++;
        }

        return issued;
    }

    /// <summary>Issues <paramref name="count"/> tags back to back on the calling thread.</summary>
    /// <returns>How many tags were issued.</returns>
    public static int RunBurst(int count, Func<int, bool> issue)
    {
        for (int i = 0; i < count; i++)
        {
            if (!issue(i))
            {
                return i;
            }
        }

        return count;
    }

    /// <summary>
    /// Issues <paramref name="count"/> tags on the calling thread, strictly one in flight: each is issued once
    /// <paramref name="awaitOutcome"/> has seen the previous one's outcome.
    /// </summary>
    /// <param name="count">Tags to issue.</param>
    /// <param name="issue">Issues one tag; false stops the run (a refusal).</param>
    /// <param name="awaitOutcome">Blocks until that tag has its outcome; false stops the run (no outcome in time).</param>
    /// <returns>How many tags were issued.</returns>
    public static int RunOneInFlight(int count, Func<int, bool> issue, Func<int, bool> awaitOutcome)
    {
        for (int i = 0; i < count; i++)
        {
            if (!issue(i))
            {
                return i;
            }

            if (!awaitOutcome(i))
            {
                return i + 1;
            }
        }

        return count;
    }
}
