using System.Diagnostics;

namespace Oms.LoadHarness.Load;

/// <summary>This process's CPU time, bytes allocated and collections at one moment.</summary>
/// <remarks>
/// CPU is <see cref="Process.TotalProcessorTime"/> (every thread of the harness: the client's and the load
/// generator's); allocations are <see cref="GC.GetTotalAllocatedBytes(bool)"/>, precise, for all threads.
/// </remarks>
internal readonly record struct ResourceSnapshot(TimeSpan Cpu, long AllocatedBytes, int Gen0, int Gen1, int Gen2)
{
    /// <summary>Takes a snapshot at the start of a measurement: the allocation counter is read last.</summary>
    public static ResourceSnapshot AtStart()
    {
        TimeSpan cpu = ProcessCpu();
        (int gen0, int gen1, int gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        return new ResourceSnapshot(cpu, GC.GetTotalAllocatedBytes(precise: true), gen0, gen1, gen2);
    }

    /// <summary>Takes a snapshot at the end of a measurement: the allocation counter is read first, so reading the CPU time does not count.</summary>
    public static ResourceSnapshot AtEnd()
    {
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        (int gen0, int gen1, int gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        return new ResourceSnapshot(ProcessCpu(), allocated, gen0, gen1, gen2);
    }

    /// <summary>What happened between two snapshots.</summary>
    public static ResourceSnapshot operator -(ResourceSnapshot end, ResourceSnapshot start) => new(
        end.Cpu - start.Cpu, end.AllocatedBytes - start.AllocatedBytes, end.Gen0 - start.Gen0, end.Gen1 - start.Gen1, end.Gen2 - start.Gen2);

    /// <summary>The same as <see cref="op_Subtraction"/>.</summary>
    public static ResourceSnapshot Subtract(ResourceSnapshot end, ResourceSnapshot start) => end - start;

    private static TimeSpan ProcessCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
