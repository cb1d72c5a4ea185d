using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Oms.Benchmarks.Support;
using Oms.Engine.Orders;

namespace Oms.Benchmarks.Orders;

/// <summary>
/// Sweeping a table half full of retained outcomes. A whole <see cref="CancelStateTable.Sweep"/> grows with
/// <c>OrderStateCapacity</c>, not with the load, which is why the consumer no longer takes it once a second: it
/// sweeps a bounded <see cref="CancelStateTable.SweepSlice"/> per batch instead, and the whole sweep is left to the
/// rare table-full emergency.
/// </summary>
[MemoryDiagnoser]
public class CancelStateTableSweepBenchmarks
{
    private CancelStateTable _table = null!;
    private long _now;

    /// <summary>The table's capacity: the engine's default, and the sizes a high-rate run needs.</summary>
    [Params(1 << 16, 1 << 18, 1 << 20)]
    public int Capacity { get; set; }

    /// <summary>Fills half the capacity with acked entries that are still within their retention.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _table = new CancelStateTable(Capacity, retentionTicks: long.MaxValue / 4);
        _now = 1;
        var orderId = new byte[32];
        for (int i = 0; i < Capacity / 2; i++)
        {
            Encoding.ASCII.GetBytes(i.ToString("D32", CultureInfo.InvariantCulture), orderId);
            BenchmarkCheck.That(_table.TryBegin(orderId, _now, out CancelEntryHandle handle, out bool inFlight) && !inFlight, "a new entry");
            BenchmarkCheck.That(_table.Transition(handle, CancelState.Sent, _now), "queued to sent");
            BenchmarkCheck.That(_table.Transition(handle, CancelState.Acked, _now), "sent to acked");
        }

        BenchmarkCheck.Equal(Capacity / 2, _table.Count, "entries held");
        BenchmarkCheck.Equal(0, Sweep(), "entries recycled within retention");
    }

    /// <summary>A full sweep that finds nothing to recycle: the scan alone.</summary>
    /// <returns>Entries recycled (0).</returns>
    [Benchmark]
    public int Sweep() => _table.Sweep(_now);

    /// <summary>The consumer's per-batch step: the largest slice it takes (4,096 slots), whatever the capacity.</summary>
    /// <returns>Entries recycled (0).</returns>
    [Benchmark]
    public int SweepSlice() => _table.SweepSlice(_now, 4096);
}
