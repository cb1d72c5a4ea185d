using System.Diagnostics;

namespace Oms.Load;

/// <summary>
/// Issues an open-loop load: item n is due at <c>start + n / rate</c> whatever the answers do, so a slow client
/// falls behind instead of slowing the load (no coordinated omission). Due items are issued in 1 ms ticks: the
/// pacer sleeps between ticks rather than spinning, so its own CPU cost stays a small part of what is measured.
/// </summary>
/// <remarks>Every method runs on the calling thread (a strategy thread) and issues items 0, 1, 2... in order.</remarks>
internal static class Pacer
{
    /// <summary>Issues <paramref name="count"/> items, paced at <paramref name="rate"/> a second, or back to back when the rate is 0.</summary>
    /// <param name="rate">Items per second; 0 (or less) for no pacing.</param>
    /// <param name="count">Items to issue.</param>
    /// <param name="issue">Issues one item; false stops the run (a refusal, or a stop while waiting).</param>
    /// <param name="stop">Stops the run before the next item, also while waiting for it to be due.</param>
    /// <returns>How many items were issued.</returns>
    public static int Run(double rate, int count, Func<int, bool> issue, CancellationToken stop = default)
    {
        if (rate <= 0)
        {
            for (var i = 0; i < count; i++)
            {
                if (stop.IsCancellationRequested || !issue(i))
                {
                    return i;
                }
            }

            return count;
        }

        var ticksPerItem = Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();
        var issued = 0;
        while (issued < count)
        {
            var due = Math.Min(count, (long)((Stopwatch.GetTimestamp() - start) / ticksPerItem) + 1);
            for (; issued < due; issued++)
            {
                if (stop.IsCancellationRequested || !issue(issued))
                {
                    return issued;
                }
            }

            if (issued < count)
            {
                // Sleep rather than spin: a spinning load generator would bill its own CPU to the client's figures.
                Thread.Sleep(1);
            }

            if (stop.IsCancellationRequested)
            {
                return issued;
            }
        }

        return issued;
    }

    /// <summary>Issues items back to back on the calling thread until <paramref name="seconds"/> have passed or the capacity is reached.</summary>
    /// <returns>How many items were issued.</returns>
    public static int RunFlatOut(double seconds, int capacity, Func<int, bool> issue)
    {
        var end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var issued = 0;
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

    /// <summary>
    /// Issues <paramref name="count"/> items on the calling thread, strictly one in flight: each is issued once
    /// <paramref name="awaitOutcome"/> has seen the previous one's outcome.
    /// </summary>
    /// <param name="count">Items to issue.</param>
    /// <param name="issue">Issues one item; false stops the run (a refusal).</param>
    /// <param name="awaitOutcome">Blocks until that item has its outcome; false stops the run (no outcome in time).</param>
    /// <returns>How many items were issued.</returns>
    public static int RunOneInFlight(int count, Func<int, bool> issue, Func<int, bool> awaitOutcome)
    {
        for (var i = 0; i < count; i++)
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
