namespace Oms.Engine.Tests.Support;

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
