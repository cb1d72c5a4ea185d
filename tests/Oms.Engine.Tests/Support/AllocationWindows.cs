using Oms.Engine.Protocol;

namespace Oms.Engine.Tests.Support;

/// <summary>Samples the calling thread's allocation counter when a count reaches the end of the warm-up and of each window.</summary>
internal sealed class WindowSampler(long warmUp, long perWindow, int windows)
{
    private readonly long[] _bytesAtBoundary = Enumerable.Repeat(-1L, windows + 1).ToArray();

    /// <summary>Call once per event, always from the same thread, with the event's 1-based number.</summary>
    public void OnEvent(long number)
    {
        var sinceWarmUp = number - warmUp;
        if (sinceWarmUp >= 0 && sinceWarmUp % perWindow == 0 && sinceWarmUp / perWindow < _bytesAtBoundary.Length)
        {
            Volatile.Write(ref _bytesAtBoundary[sinceWarmUp / perWindow], GC.GetAllocatedBytesForCurrentThread());
        }
    }

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

/// <summary>Counts outcomes without allocating, sampling the consumer thread at window boundaries.</summary>
internal sealed class SamplingListener(WindowSampler sampler) : ICancelListener
{
    private long _outcomes;
    private long _acked;

    public long Outcomes => Volatile.Read(ref _outcomes);

    public long Acked => Volatile.Read(ref _acked);

    public void OnAcked(long tag, ReadOnlySpan<byte> orderId)
    {
        Volatile.Write(ref _acked, _acked + 1);
        Count();
    }

    public void OnRejected(long tag, ReadOnlySpan<byte> orderId, long code, VenueReason reason, ReadOnlySpan<byte> message) => Count();

    public void OnFailed(long tag, ReadOnlySpan<byte> orderId, CancelFailureReason reason, ReadOnlySpan<byte> detail) => Count();

    public void OnExpired(long tag, ReadOnlySpan<byte> orderId) => Count();

    private void Count()
    {
        var n = _outcomes + 1;
        sampler.OnEvent(n);
        Volatile.Write(ref _outcomes, n);
    }
}
