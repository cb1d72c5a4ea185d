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

    /// <summary>Polls until <paramref name="sequence"/> is published, the barrier halts, or the timeout passes.</summary>
    /// <param name="sequence">The sequence waited for.</param>
    /// <param name="barrier">Where publication and halting are read.</param>
    /// <param name="timeout">How long to wait in all.</param>
    /// <param name="yieldTries">Yields after the spins before sleeping; <see cref="int.MaxValue"/> never sleeps.</param>
    public static long WaitUntilPublished(long sequence, SequenceBarrier barrier, TimeSpan timeout, int yieldTries)
    {
        long deadline = Deadline.After(timeout);
        for (long tries = 0; ; tries++)
        {
            long available = barrier.GetHighestPublished(sequence);
            if (available >= sequence)
            {
                return available;
            }

            if (barrier.IsHalted)
            {
                return WaitResult.Halted;
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
}
