using System.Collections.Concurrent;
using System.Text;
using Oms.Engine.Protocol;

namespace Oms.Engine.Tests.Support;

/// <summary>Records every outcome by tag and fails loudly on a second outcome for the same tag.</summary>
internal sealed class RecordingListener : ICancelListener
{
    private readonly ConcurrentDictionary<long, Recorded> _outcomes = new();
    private int _doubleReports;
    private int _wrongThread;

    public int Count => _outcomes.Count;

    public int DoubleReports => Volatile.Read(ref _doubleReports);

    /// <summary>Calls that did not arrive on the engine's consumer thread.</summary>
    public int WrongThreadCalls => Volatile.Read(ref _wrongThread);

    public IReadOnlyDictionary<long, Recorded> Outcomes => _outcomes;

    public void OnAcked(long tag, ReadOnlySpan<byte> orderId) => Record(tag, new Recorded("acked", Encoding.ASCII.GetString(orderId), 0, VenueReason.None, null, ""));

    public void OnRejected(long tag, ReadOnlySpan<byte> orderId, long code, VenueReason reason, ReadOnlySpan<byte> message) =>
        Record(tag, new Recorded("rejected", Encoding.ASCII.GetString(orderId), code, reason, null, Encoding.UTF8.GetString(message)));

    public void OnFailed(long tag, ReadOnlySpan<byte> orderId, CancelFailureReason reason, ReadOnlySpan<byte> detail) =>
        Record(tag, new Recorded("failed", Encoding.ASCII.GetString(orderId), 0, VenueReason.None, reason, Encoding.UTF8.GetString(detail)));

    public void OnExpired(long tag, ReadOnlySpan<byte> orderId) => Record(tag, new Recorded("expired", Encoding.ASCII.GetString(orderId), 0, VenueReason.None, null, ""));

    public async Task WaitForAsync(int count, TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        while (Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
    }

    private void Record(long tag, Recorded outcome)
    {
        if (Thread.CurrentThread.Name != "oms-consumer")
        {
            Interlocked.Increment(ref _wrongThread);
        }

        if (!_outcomes.TryAdd(tag, outcome))
        {
            Interlocked.Increment(ref _doubleReports);
        }
    }

    internal sealed record Recorded(string Kind, string OrderId, long Code, VenueReason Reason, CancelFailureReason? Failure, string Text);
}
