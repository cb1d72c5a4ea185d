using Oms.Engine.Confirmation;

namespace Oms.Engine.Tests.Confirmation;

/// <summary>Records what the stream tells its sink, and on which thread.</summary>
internal sealed class RecordingStreamSink(WindowSampler? sampler = null) : IOrderStreamSink
{
    private int _live;
    private int _gaps;
    private long _orders;
    private int _offThread;

    public ConcurrentQueue<(string OrderId, VenueOrderStatus Status)> Orders { get; } = new();

    /// <summary>Events in order: "live", "gap", "order".</summary>
    public ConcurrentQueue<string> Events { get; } = new();

    public int Live => Volatile.Read(ref _live);

    public int Gaps => Volatile.Read(ref _gaps);

    public long OrderCount => Volatile.Read(ref _orders);

    /// <summary>Calls that did not come from the stream's thread.</summary>
    public int OffThreadCalls => Volatile.Read(ref _offThread);

    /// <summary>When set, order messages are only counted (and sampled), not recorded: the allocation test's mode.</summary>
    public bool CountOnly { get; init; }

    public void OnOrderStatus(ReadOnlySpan<byte> orderId, VenueOrderStatus status)
    {
        long number = Interlocked.Increment(ref _orders);
        if (sampler is not null)
        {
            sampler.OnEvent(number);
        }

        if (CountOnly)
        {
            return;
        }

        CheckThread();
        Orders.Enqueue((Encoding.ASCII.GetString(orderId), status));
        Events.Enqueue("order");
    }

    public void OnStreamLive()
    {
        CheckThread();
        Interlocked.Increment(ref _live);
        Events.Enqueue("live");
    }

    public void OnStreamGap()
    {
        CheckThread();
        Interlocked.Increment(ref _gaps);
        Events.Enqueue("gap");
    }

    private void CheckThread()
    {
        if (Thread.CurrentThread.Name != "oms-stream")
        {
            Interlocked.Increment(ref _offThread);
        }
    }
}
