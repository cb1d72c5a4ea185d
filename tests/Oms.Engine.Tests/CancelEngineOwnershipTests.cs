namespace Oms.Engine.Tests;

/// <summary>
/// The consumer's state has one owner, whatever the transport or the listener do: an unanswered request does not hold
/// up the rest, and a listener that blocks a stop does not hand the consumer to a second thread.
/// </summary>
[Collection(FakeEngine.Collection)]
public sealed class CancelEngineOwnershipTests
{
    [Fact]
    public async Task TryCancel_OneRequestNeverAnsweredWhileTheIdSequenceWrapsTheInFlightTable_TheRestAreStillSentAndAcked()
    {
        // One connection gives a 2,048-entry in-flight table: 3,000 cancels take the id sequence round it, past the
        // entry of the first request, which the fake venue never answers (and the fake transport never times out).
        const int total = 3_000;
        var settings = FakeEngine.DefaultSettings with { Connections = 1, RingSize = 4096, OrderStateCapacity = 8192 };
        await using var fake = FakeEngine.Start(settings, senderCapacity: 8192);
        long held = -1;
        using (var venue = new AutoResponder(fake.Sender, (sender, request) =>
        {
            if (Interlocked.CompareExchange(ref held, request.Token, -1) != -1)
            {
                sender.Ack(request);
            }
        }))
        {
            for (var i = 0; i < total; i++)
            {
                Assert.True(fake.Engine.TryCancel(FakeEngine.OrderId(i), "BTC-PERP", i, FakeEngine.Bound, out var refusal), $"refused: {refusal}");
            }

            await fake.WaitForOutcomesAsync(total - 1);
        }

        var counters = fake.Engine.GetCounters();
        Assert.Equal((total - 1L, 1L), (counters.Acked, counters.InFlight));
        Assert.Equal(total, fake.Sender.Accepted);
        Assert.Equal(0, fake.Listener.DoubleReports);
    }

    [Fact]
    public async Task StopAsync_ListenerBlocksPastTheThreadStopTimeout_ThrowsAndTheConsumerThreadStillDecidesEachIntentOnce()
    {
        using var release = new ManualResetEventSlim();
        var listener = new BlockingListener(release);
        var fake = FakeEngine.Start(listener: listener);
        fake.Engine.ThreadStopTimeout = TimeSpan.FromMilliseconds(200);
        fake.CancelOrders(4);

        var requests = Enumerable.Range(0, 4).Select(fake.Sender.WaitForRequest).ToArray();

        // The first answer blocks the consumer inside OnAcked; the other three stay in flight.
        fake.Sender.Ack(requests[0]);
        Assert.True(listener.Entered.Wait(FakeEngine.Bound), "The listener was never called.");

        var stop = fake.Engine.StopAsync(TimeSpan.FromMilliseconds(50));
        var error = await Assert.ThrowsAsync<TimeoutException>(() => stop.WaitAsync(FakeEngine.Bound));
        Assert.Contains("listener call", error.Message, StringComparison.Ordinal);
        Assert.False(fake.Engine.IsRunning);

        // Nothing was decided behind the blocked consumer's back by the stopping thread.
        Assert.Equal(0, listener.Decided);

        release.Set();
        await listener.WaitForAsync(4, FakeEngine.Bound);
        Assert.Equal((1, 3, 0), (listener.Acked, listener.FailedStopped, listener.OffThreadCalls));
        Assert.Equal(4, listener.Decided);
        await fake.DisposeAsync();
    }

    /// <summary>Blocks in its first <see cref="OnAcked"/> until released; records which thread decides what.</summary>
    private sealed class BlockingListener(ManualResetEventSlim release) : ICancelListener
    {
        private int _decided;
        private int _acked;
        private int _failedStopped;
        private int _offThread;
        private int _consumerThreadId;

        public ManualResetEventSlim Entered { get; } = new();

        public int Decided => Volatile.Read(ref _decided);

        public int Acked => Volatile.Read(ref _acked);

        public int FailedStopped => Volatile.Read(ref _failedStopped);

        public int OffThreadCalls => Volatile.Read(ref _offThread);

        public async Task WaitForAsync(int count, TimeSpan bound)
        {
            var deadline = DateTime.UtcNow + bound;
            while (Decided < count && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }

            Assert.True(Decided >= count, $"{Decided} of {count} outcomes within {bound}.");
        }

        public void OnAcked(long tag, ReadOnlySpan<byte> orderId)
        {
            Note();
            if (!Entered.IsSet)
            {
                Entered.Set();
                release.Wait();
            }

            Interlocked.Increment(ref _acked);
            Interlocked.Increment(ref _decided);
        }

        public void OnRejected(long tag, ReadOnlySpan<byte> orderId, long code, VenueReason reason, ReadOnlySpan<byte> message) => Decide();

        public void OnFailed(long tag, ReadOnlySpan<byte> orderId, CancelFailureReason reason, ReadOnlySpan<byte> detail)
        {
            if (reason == CancelFailureReason.Stopped)
            {
                Interlocked.Increment(ref _failedStopped);
            }

            Decide();
        }

        public void OnExpired(long tag, ReadOnlySpan<byte> orderId) => Decide();

        private void Decide()
        {
            Note();
            Interlocked.Increment(ref _decided);
        }

        // Every call must come from the one consumer thread, the one that made the first call.
        private void Note()
        {
            var id = Environment.CurrentManagedThreadId;
            if (Interlocked.CompareExchange(ref _consumerThreadId, id, 0) is var first && first != 0 && first != id)
            {
                Interlocked.Increment(ref _offThread);
            }
        }
    }
}
