namespace Oms.Engine.Sequencing;

/// <summary>
/// The wait loop of the strategies that poll instead of being signalled: spin, then yield, then (optionally) sleep
/// a millisecond at a time, checking for publication, halt and the deadline in between.
/// </summary>
internal static class PollingWait
{
    // Enough spins to catch a publish that is a few hundred nanoseconds away without a system call.
    public const int SpinTries = 100;

    // The shortest sleep the runtime offers; Sleep(0) would only yield again.
    private const int SleepMilliseconds = 1;

    /// <summary>
    /// <paramref name="sequence"/>'s highest published sequence at once when it is there, else <see cref="WaitUntilPublished"/>:
    /// the inlined fast path of the polling strategies.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long WaitFor(long sequence, SequenceBarrier barrier, TimeSpan timeout, int yieldTries)
    {
        long available = barrier.GetHighestPublished(sequence);
        return available >= sequence ? available : WaitUntilPublished(sequence, barrier, timeout, yieldTries);
    }

    /// <summary>Polls until <paramref name="sequence"/> is published, the barrier halts, or the timeout passes.</summary>
    /// <param name="sequence">The sequence waited for.</param>
    /// <param name="barrier">Where publication and halting are read.</param>
    /// <param name="timeout">How long to wait in all.</param>
    /// <param name="yieldTries">Yields after the spins before sleeping; <see cref="int.MaxValue"/> never sleeps.</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long WaitUntilPublished(long sequence, SequenceBarrier barrier, TimeSpan timeout, int yieldTries)
    {
        long deadline = Deadline.After(timeout);
        for (long tries = 0; ; tries++)
        {
            if (IsOver(sequence, barrier, out long result))
            {
                return result;
            }

            if (tries < SpinTries)
            {
                Thread.SpinWait(1);
                continue;
            }

            if (Deadline.HasPassed(deadline))
            {
                return WaitResult.TimedOut;
            }

            if (tries < (long)SpinTries + yieldTries)
            {
                Thread.Yield();
            }
            else
            {
                Thread.Sleep(SleepMilliseconds);
            }
        }
    }

    /// <summary>
    /// True when waiting for <paramref name="sequence"/> is over: it is published (<paramref name="result"/> is the
    /// highest published sequence) or the barrier halted (<paramref name="result"/> is <see cref="WaitResult.Halted"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsOver(long sequence, SequenceBarrier barrier, out long result)
    {
        result = barrier.GetHighestPublished(sequence);
        if (result >= sequence)
        {
            return true;
        }

        result = WaitResult.Halted;
        return barrier.IsHalted;
    }
}
