using Oms.Engine.Sequencing;
using Oms.Engine.Tests.Support;

namespace Oms.Engine.Tests;

/// <summary>The steady state allocates nothing: not on the consumer thread, not on the strategy thread that publishes.</summary>
/// <remarks>
/// Each thread is measured over several windows after the warm-up and the least window must be 0 bytes: a path that
/// allocates per cancel allocates in every window, while the runtime's one-off work on a thread (starting the tiered
/// compilation worker, a class constructor) lands in one window at most. A single window once read 8,136 bytes on the
/// consumer in CI.
/// </remarks>
[Collection(FakeEngine.Collection)]
public sealed class CancelEngineAllocationTests
{
    private const int WarmUp = 20_000;
    private const int PerWindow = 10_000;
    private const int Windows = 3;

    [Theory]
    [InlineData(WaitStrategyKind.Yielding)]
    [InlineData(WaitStrategyKind.Blocking)]
    public async Task TryCancel_SteadyStateThroughAFakeTransport_AllocatesNothingOnTheConsumerOrThePublisher(WaitStrategyKind wait)
    {
        // Arrange
        const int total = WarmUp + (Windows * PerWindow);
        var listener = new AllocationSamplingListener(WarmUp, PerWindow, Windows);
        var settings = FakeEngine.DefaultSettings with { WaitStrategy = wait, OrderStateCapacity = 65_536 };
        await using var fake = FakeEngine.Start(settings, listener, senderCapacity: 8192);
        using var venue = new AutoResponder(fake.Sender);
        var orderIds = Enumerable.Range(0, total).Select(i => FakeEngine.OrderId(i)).ToArray();
        var publisherBytes = new long[Windows];
        var refusals = 0;

        // Act: every window starts once the previous one is fully decided, so the consumer's windows (sampled by the
        // listener at the same boundaries) hold exactly that window's cancels.
        var publisher = new Thread(() =>
        {
            for (var i = 0; i < WarmUp; i++)
            {
                refusals += fake.Engine.TryCancel(orderIds[i], "BTC-PERP", i, FakeEngine.Bound, out _) ? 0 : 1;
            }

            for (var window = 0; window < Windows; window++)
            {
                var first = WarmUp + (window * PerWindow);
                SpinWait.SpinUntil(() => listener.Outcomes >= first, FakeEngine.Bound);
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = first; i < first + PerWindow; i++)
                {
                    refusals += fake.Engine.TryCancel(orderIds[i].AsSpan(), "BTC-PERP", i, FakeEngine.Bound, out _) ? 0 : 1;
                }

                publisherBytes[window] = GC.GetAllocatedBytesForCurrentThread() - before;
            }
        })
        { Name = "strategy", IsBackground = true };
        publisher.Start();
        Assert.True(publisher.Join(FakeEngine.Bound * 2), "The publishing thread did not finish.");
        await CancelEngineOutcomeTests.WaitUntilAsync(() => listener.Outcomes >= total, "every outcome");

        // Assert
        Assert.Equal(0, refusals);
        Assert.Equal(total, listener.Acked);
        Assert.True(publisherBytes.Min() == 0, "Publisher bytes per window: " + string.Join(", ", publisherBytes));
        var consumerBytes = listener.ConsumerBytesPerWindow();
        Assert.True(consumerBytes.Min() == 0, "Consumer bytes per window: " + string.Join(", ", consumerBytes));
    }

    /// <summary>
    /// Counts outcomes without allocating and samples the consumer thread's allocation counter at each window boundary:
    /// the outcome that ends the warm-up and the one that ends each window.
    /// </summary>
    private sealed class AllocationSamplingListener : ICancelListener
    {
        private readonly long _warmUp;
        private readonly long _perWindow;
        private readonly long[] _bytesAtBoundary;
        private long _outcomes;
        private long _acked;

        public AllocationSamplingListener(long warmUp, long perWindow, int windows)
        {
            _warmUp = warmUp;
            _perWindow = perWindow;
            _bytesAtBoundary = new long[windows + 1];
            Array.Fill(_bytesAtBoundary, -1);
        }

        public long Outcomes => Volatile.Read(ref _outcomes);

        public long Acked => Volatile.Read(ref _acked);

        /// <summary>Bytes the consumer allocated per window; read once every outcome is in.</summary>
        public long[] ConsumerBytesPerWindow()
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
            var sinceWarmUp = n - _warmUp;
            if (sinceWarmUp >= 0 && sinceWarmUp % _perWindow == 0 && sinceWarmUp / _perWindow < _bytesAtBoundary.Length)
            {
                Volatile.Write(ref _bytesAtBoundary[sinceWarmUp / _perWindow], GC.GetAllocatedBytesForCurrentThread());
            }

            Volatile.Write(ref _outcomes, n);
        }
    }
}
