namespace Oms.Load;

/// <summary>
/// CPU time of the engine's own threads: the consumer (<c>oms-consumer</c>) and one reader per connection
/// (<c>oms-h2-reader</c>) while it reads (a consumer that reads its connections itself leaves a reader only its handshake), read per thread from <c>/proc/self/task</c> (Linux; elsewhere <see cref="IsAvailable"/> is
/// false). Unlike the process's CPU it leaves out the strategy threads, the progress line, and, in the demo, the
/// in-process venue simulator.
/// </summary>
/// <remarks>
/// Each thread's time is taken from <c>schedstat</c> (nanoseconds), or from <c>stat</c>'s utime + stime in 10 ms
/// ticks where schedstat is missing. A thread's latest sample is kept after it ends (a connection closed and
/// replaced), so sample often enough to see a reader before it goes: CPU it used after its last sample is missed.
/// Not thread-safe: one caller samples.
/// </remarks>
internal sealed class EngineThreadCpu
{
    /// <summary>The names of the engine's threads (the kernel keeps 15 characters of a thread's name).</summary>
    public static readonly IReadOnlyList<string> ThreadNames = ["oms-consumer", "oms-h2-reader"];

    private readonly Dictionary<int, long> _baseline = [];
    private readonly Dictionary<int, long> _latest = [];

    private EngineThreadCpu(bool available) => IsAvailable = available;

    /// <summary>True when per-thread CPU can be read here.</summary>
    public bool IsAvailable { get; }

    /// <summary>The engine threads seen so far.</summary>
    public int Threads => _latest.Count;

    /// <summary>CPU the engine's threads used since <see cref="Start"/>, up to the latest <see cref="Sample"/>.</summary>
    public TimeSpan Used
    {
        get
        {
            long nanoseconds = 0;
            foreach (var (tid, latest) in _latest)
            {
                nanoseconds += latest - _baseline.GetValueOrDefault(tid);
            }

            return TimeSpan.FromTicks(nanoseconds / 100);
        }
    }

    /// <summary>Takes the baseline: CPU the engine's threads used before now is not counted.</summary>
    public static EngineThreadCpu Start()
    {
        var cpu = new EngineThreadCpu(Directory.Exists(ProcTasks.Self));
        cpu.Sample();
        foreach (var (tid, nanoseconds) in cpu._latest)
        {
            cpu._baseline[tid] = nanoseconds;
        }

        return cpu;
    }

    /// <summary>Reads every engine thread's CPU now; threads that appeared since the baseline count from zero.</summary>
    public void Sample()
    {
        if (!IsAvailable)
        {
            return;
        }

        foreach (var (tid, task) in ProcTasks.List(ProcTasks.Self))
        {
            if (ProcTasks.TryReadStat(task, out var name, out var user, out var system) && IsEngineThread(name))
            {
                // Nanoseconds where the kernel keeps them; else the 10 ms ticks.
                _latest[tid] = ProcTasks.TryReadOnCpu(task, out var nanoseconds) ? nanoseconds : (user + system) * ProcTasks.NanosecondsPerTick;
            }
        }
    }

    private static bool IsEngineThread(string name)
    {
        foreach (var engineName in ThreadNames)
        {
            if (name == engineName)
            {
                return true;
            }
        }

        return false;
    }
}
