using Xunit;

namespace Oms.Testing.Allocation;

/// <summary>
/// Measures a thread the test does not run (a consumer, a connection's reader) in windows of events: samples the
/// calling thread's allocation counter when a count reaches the end of the warm-up and of each window. A one-off
/// (tiered compilation, a class constructor) lands in one window at most, per-event garbage in every one.
/// </summary>
/// <param name="warmUp">The events before the first window.</param>
/// <param name="perWindow">The events in a window.</param>
/// <param name="windows">How many windows.</param>
public sealed class WindowSampler(long warmUp, long perWindow, int windows)
{
    private readonly long[] _bytesAtBoundary = Enumerable.Repeat(-1L, windows + 1).ToArray();

    /// <summary>Call once per event, always from the thread measured, with the event's 1-based number; allocates nothing.</summary>
    /// <returns>True when this event ended the warm-up or a window and the counter was sampled.</returns>
    public bool OnEvent(long number)
    {
        var sinceWarmUp = number - warmUp;
        if (sinceWarmUp < 0 || sinceWarmUp % perWindow != 0 || sinceWarmUp / perWindow >= _bytesAtBoundary.Length)
        {
            return false;
        }

        Volatile.Write(ref _bytesAtBoundary[sinceWarmUp / perWindow], GC.GetAllocatedBytesForCurrentThread());
        return true;
    }

    /// <summary>The bytes allocated in each window; fails the test when a boundary was never reached.</summary>
    public long[] BytesPerWindow()
    {
        var bytes = new long[_bytesAtBoundary.Length - 1];
        for (var w = 0; w < bytes.Length; w++)
        {
            var start = Volatile.Read(ref _bytesAtBoundary[w]);
            var end = Volatile.Read(ref _bytesAtBoundary[w + 1]);
            Assert.True(start >= 0 && end >= 0, $"Window {w} was not sampled.");
            bytes[w] = end - start;
        }

        return bytes;
    }
}
