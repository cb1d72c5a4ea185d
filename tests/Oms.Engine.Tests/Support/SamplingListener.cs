namespace Oms.Engine.Tests.Support;

/// <summary>Counts outcomes (and fates) on the consumer thread and samples its allocations at window boundaries.</summary>
/// <param name="sampler">Sampled at each outcome, or at each fate when <paramref name="sampleOnFates"/>.</param>
/// <param name="sampleOnFates">Windows end on fates: the consumer's work for a cancel ends with its fate.</param>
internal sealed class SamplingListener(WindowSampler sampler, bool sampleOnFates = false) : ICancelListener
{
    private long _outcomes;
    private long _acked;
    private long _fates;
    private long _canceled;

    public long Outcomes => Volatile.Read(ref _outcomes);

    public long Acked => Volatile.Read(ref _acked);

    public long Fates => Volatile.Read(ref _fates);

    public long Canceled => Volatile.Read(ref _canceled);

    public void OnAcked(long tag, ReadOnlySpan<byte> orderId)
    {
        Volatile.Write(ref _acked, _acked + 1);
        Count();
    }

    public void OnRejected(long tag, ReadOnlySpan<byte> orderId, long code, VenueReason reason, ReadOnlySpan<byte> message) => Count();

    public void OnFailed(long tag, ReadOnlySpan<byte> orderId, CancelFailureReason reason, ReadOnlySpan<byte> detail) => Count();

    public void OnExpired(long tag, ReadOnlySpan<byte> orderId) => Count();

    public void OnFate(long tag, ReadOnlySpan<byte> orderId, OrderFate fate)
    {
        if (fate == OrderFate.Canceled)
        {
            Volatile.Write(ref _canceled, _canceled + 1);
        }

        var n = _fates + 1;
        if (sampleOnFates)
        {
            sampler.OnEvent(n);
        }

        Volatile.Write(ref _fates, n);
    }

    private void Count()
    {
        var n = _outcomes + 1;
        if (!sampleOnFates)
        {
            sampler.OnEvent(n);
        }

        Volatile.Write(ref _outcomes, n);
    }
}
