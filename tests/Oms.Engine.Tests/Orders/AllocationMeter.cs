namespace Oms.Engine.Tests.Orders;

/// <summary>Measures what a hot path allocates on the current thread, robust to the runtime's one-off work.</summary>
internal static class AllocationMeter
{
    /// <summary>
    /// Runs <paramref name="body"/> <paramref name="attempts"/> times and returns the fewest bytes the current thread
    /// allocated in any one run. A hot path that allocates does so in every run; the runtime's one-off work on this
    /// thread (tiered compilation starting its background worker, a class constructor run for a recompiled method)
    /// lands in a few runs at most, which is what made single measurements flaky under a parallel test run.
    /// </summary>
    public static long LeastAllocatedBytes(Action body, int attempts = 5)
    {
        long least = long.MaxValue;
        for (int attempt = 0; attempt < attempts && least > 0; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            body();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}
