using System.Diagnostics;

namespace Oms.Load;

/// <summary>The process's footprint at one moment: memory, collections, handles, threads.</summary>
internal readonly record struct ProcessSample(long WorkingSetBytes, long ManagedHeapBytes, int Gen0, int Gen1, int Gen2, int Handles, int Threads)
{
    public static ProcessSample Take()
    {
        using var process = Process.GetCurrentProcess();
        return new ProcessSample(
            process.WorkingSet64,
            GC.GetTotalMemory(forceFullCollection: false),
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2),
            process.HandleCount,
            process.Threads.Count);
    }
}
