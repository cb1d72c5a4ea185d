using System.Diagnostics;

namespace Oms.Load;

/// <summary>This process's CPU time, bytes allocated and collections at one moment; the difference of two is what a run cost.</summary>
/// <remarks>
/// CPU is <see cref="Process.TotalProcessorTime"/> (every thread of the process: the client's and the load
/// generator's); allocations are <see cref="GC.GetTotalAllocatedBytes(bool)"/> for all threads, precise or not as
/// the caller asks (precise costs a little more to read and counts the unused rest of each thread's allocation context).
/// </remarks>
internal readonly record struct ResourceUse(TimeSpan Cpu, long AllocatedBytes, int Gen0, int Gen1, int Gen2)
{
    /// <summary>Takes a snapshot at the start of a measurement: the allocation counter is read last.</summary>
    /// <param name="precise">Whether to read the allocation counter precisely.</param>
    public static ResourceUse AtStart(bool precise)
    {
        var cpu = ProcessCpu();
        var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        return new ResourceUse(cpu, GC.GetTotalAllocatedBytes(precise), gen0, gen1, gen2);
    }

    /// <summary>Takes a snapshot at the end of a measurement: the allocation counter is read first, so reading the CPU time does not count.</summary>
    /// <param name="precise">Whether to read the allocation counter precisely.</param>
    public static ResourceUse AtEnd(bool precise)
    {
        var allocated = GC.GetTotalAllocatedBytes(precise);
        var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        return new ResourceUse(ProcessCpu(), allocated, gen0, gen1, gen2);
    }

    /// <summary>What happened between two snapshots.</summary>
    public static ResourceUse operator -(ResourceUse end, ResourceUse start) => new(
        end.Cpu - start.Cpu, end.AllocatedBytes - start.AllocatedBytes, end.Gen0 - start.Gen0, end.Gen1 - start.Gen1, end.Gen2 - start.Gen2);

    /// <summary>The same as <see cref="op_Subtraction"/>.</summary>
    public static ResourceUse Subtract(ResourceUse end, ResourceUse start) => end - start;

    private static TimeSpan ProcessCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
