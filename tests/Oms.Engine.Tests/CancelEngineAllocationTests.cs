using Oms.Engine.Sequencing;
using Oms.Engine.Tests.Support;

namespace Oms.Engine.Tests;

/// <summary>The steady state allocates nothing: not on the consumer thread, not on the strategy thread that publishes.</summary>
[Collection(FakeEngine.Collection)]
public sealed class CancelEngineAllocationTests
{
    private const int WarmUp = 20_000;
    private const int Measured = 10_000;

    [Theory]
    [InlineData(WaitStrategyKind.Yielding)]
    [InlineData(WaitStrategyKind.Blocking)]
    public async Task TryCancel_SteadyStateThroughAFakeTransport_AllocatesNothingOnTheConsumerOrThePublisher(WaitStrategyKind wait)
    {
        var listener = new AllocationSamplingListener(firstMeasured: WarmUp + 1, lastMeasured: WarmUp + Measured);
        var settings = FakeEngine.DefaultSettings with { WaitStrategy = wait, OrderStateCapacity = 65_536 };
        await using var fake = FakeEngine.Start(settings, listener, senderCapacity: 8192);
        using var venue = new AutoResponder(fake.Sender);
        var orderIds = Enumerable.Range(0, WarmUp + Measured).Select(i => FakeEngine.OrderId(i)).ToArray();
        long publisherBytes = -1;
        var refusals = 0;

        var publisher = new Thread(() =>
        {
            for (var i = 0; i < WarmUp; i++)
            {
                refusals += fake.Engine.TryCancel(orderIds[i], "BTC-PERP", i, FakeEngine.Bound, out _) ? 0 : 1;
            }

            SpinWait.SpinUntil(() => listener.Outcomes >= WarmUp, FakeEngine.Bound);
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = WarmUp; i < WarmUp + Measured; i++)
            {
                refusals += fake.Engine.TryCancel(orderIds[i].AsSpan(), "BTC-PERP", i, FakeEngine.Bound, out _) ? 0 : 1;
            }

            publisherBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        })
        { Name = "strategy", IsBackground = true };
        publisher.Start();
        Assert.True(publisher.Join(FakeEngine.Bound * 2), "The publishing thread did not finish.");
        await CancelEngineOutcomeTests.WaitUntilAsync(() => listener.Outcomes >= WarmUp + Measured, "every outcome");

        Assert.Equal(0, refusals);
        Assert.Equal(WarmUp + Measured, listener.Acked);
        Assert.Equal(0, publisherBytes);
        Assert.Equal(0, listener.ConsumerBytes);
    }

    /// <summary>Counts outcomes without allocating and samples the consumer thread's allocation counter at two outcomes.</summary>
    private sealed class AllocationSamplingListener(long firstMeasured, long lastMeasured) : ICancelListener
    {
        private long _outcomes;
        private long _acked;
        private long _bytesAtFirst;
        private long _bytesAtLast = -1;

        public long Outcomes => Volatile.Read(ref _outcomes);

        public long Acked => Volatile.Read(ref _acked);

        public long ConsumerBytes => Volatile.Read(ref _bytesAtLast) - Volatile.Read(ref _bytesAtFirst);

        public void OnAcked(long tag, ReadOnlySpan<byte> orderId)
        {
            Volatile.Write(ref _acked, _acked + 1);
            Count();
        }

        public void OnRejected(long tag, ReadOnlySpan<byte> orderId, long code, Oms.Engine.Protocol.VenueReason reason, ReadOnlySpan<byte> message) => Count();

        public void OnFailed(long tag, ReadOnlySpan<byte> orderId, CancelFailureReason reason, ReadOnlySpan<byte> detail) => Count();

        public void OnExpired(long tag, ReadOnlySpan<byte> orderId) => Count();

        // Consumer thread only: plain increments, published with release writes for the test thread.
        private void Count()
        {
            var n = _outcomes + 1;
            if (n == firstMeasured)
            {
                Volatile.Write(ref _bytesAtFirst, GC.GetAllocatedBytesForCurrentThread());
            }
            else if (n == lastMeasured)
            {
                Volatile.Write(ref _bytesAtLast, GC.GetAllocatedBytesForCurrentThread());
            }

            Volatile.Write(ref _outcomes, n);
        }
    }
}
