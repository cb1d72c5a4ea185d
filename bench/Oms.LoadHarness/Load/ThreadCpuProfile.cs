using Oms.Load;

namespace Oms.LoadHarness.Load;

/// <summary>
/// CPU time and context switches per thread of this process, from <c>/proc/self/task/*/stat</c> and
/// <c>status</c>, read through <see cref="ProcTasks"/> (Linux only; elsewhere empty): a cheap profile that says
/// which threads (the engine's consumer, the thread pool, the socket engine, the load generator) a run's CPU went to,
/// how much of it was spent in the kernel, and how often each thread was switched out (a parked thread's wake-up is
/// one switch).
/// </summary>
/// <remarks>Clock ticks of 10 ms: meaningful over runs of seconds, as shares of the total.</remarks>
internal sealed class ThreadCpuProfile
{
    /// <summary>The group name of the tiered compilation's background worker.</summary>
    public const string JitThreads = "JIT (tiering)";

    private readonly Dictionary<int, ThreadSample> _threads;

    private ThreadCpuProfile(Dictionary<int, ThreadSample> threads) => _threads = threads;

    public static ThreadCpuProfile Take()
    {
        var threads = new Dictionary<int, ThreadSample>();
        foreach ((int tid, string task) in ProcTasks.List(ProcTasks.Self))
        {
            // A thread that ended between listing and reading is left out.
            if (ProcTasks.TryReadStat(task, out string name, out long user, out long system))
            {
                threads[tid] = new ThreadSample(name, user, system, ProcTasks.ReadSwitches(task));
            }
        }

        return new ThreadCpuProfile(threads);
    }

    /// <summary>What each thread group did since <paramref name="start"/>: CPU shares, the kernel's share, context switches.</summary>
    public ThreadActivity Since(ThreadCpuProfile start)
    {
        var ticksByName = new Dictionary<string, long>(StringComparer.Ordinal);
        var switchesByName = new Dictionary<string, long>(StringComparer.Ordinal);
        long systemTicks = 0;
        foreach ((int tid, ThreadSample now) in _threads)
        {
            ThreadSample before = start._threads.TryGetValue(tid, out var earlier) && earlier.Name == now.Name
                ? earlier
                : new ThreadSample(now.Name, 0, 0, 0);
            string group = Normalize(now.Name);
            ticksByName[group] = ticksByName.GetValueOrDefault(group) + (now.User - before.User) + (now.System - before.System);
            switchesByName[group] = switchesByName.GetValueOrDefault(group) + (now.Switches - before.Switches);
            systemTicks += now.System - before.System;
        }

        long total = ticksByName.Values.Sum();
        IReadOnlyList<(string Name, double Share)> shares = total <= 0
            ? []
            : [.. ticksByName.Where(p => p.Value > 0).OrderByDescending(p => p.Value).Select(p => (p.Key, p.Value / (double)total))];
        IReadOnlyList<(string Name, long Switches)> switches =
            [.. switchesByName.Where(p => p.Value > 0).OrderByDescending(p => p.Value).Select(p => (p.Key, p.Value))];
        IReadOnlyList<(string Name, long Ticks)> ticks = [.. ticksByName.Where(p => p.Value > 0).Select(p => (p.Key, p.Value))];
        return new ThreadActivity(shares, total <= 0 ? null : systemTicks / (double)total, switches) { Ticks = ticks };
    }

    // Thread-pool and timer threads carry numbered or varying names; one group per kind reads better.
    private static string Normalize(string name) =>
        name.StartsWith(".NET TP Worker", StringComparison.Ordinal) ? "thread pool"
        : name.StartsWith(".NET Sockets", StringComparison.Ordinal) ? "socket engine (epoll)"
        : name.StartsWith(".NET Long Runni", StringComparison.Ordinal) ? "long-running tasks"
        : name.StartsWith(".NET BGC", StringComparison.Ordinal) || name.StartsWith(".NET Server GC", StringComparison.Ordinal) ? "GC"
        : name.StartsWith(".NET Tiered Com", StringComparison.Ordinal) ? JitThreads
        : name.StartsWith("harness-strateg", StringComparison.Ordinal) ? "load generator"
        : name.StartsWith("oms-h2-reader", StringComparison.Ordinal) ? "oms-h2-reader (connections)"
        : name.StartsWith("Oms.LoadHarness", StringComparison.Ordinal) ? "main thread (and GC)"
        : name;

    private readonly record struct ThreadSample(string Name, long User, long System, long Switches);
}

/// <summary>What a run's threads did, grouped by kind.</summary>
/// <param name="CpuShares">Each group's share of the process's CPU, largest first.</param>
/// <param name="KernelShare">The share of that CPU spent in the kernel (system time); null when nothing was measured.</param>
/// <param name="Switches">Each group's context switches (voluntary and not), most first.</param>
internal sealed record ThreadActivity(
    IReadOnlyList<(string Name, double Share)> CpuShares,
    double? KernelShare,
    IReadOnlyList<(string Name, long Switches)> Switches)
{
    public static ThreadActivity None { get; } = new([], null, []);

    /// <summary>
    /// Each group's CPU in clock ticks (USER_HZ) over the span, for the threads alive at its end: a thread that ended
    /// during the span (a load generator that finished publishing) is missing from the shares, never from these.
    /// </summary>
    public IReadOnlyList<(string Name, long Ticks)> Ticks { get; init; } = [];

    /// <summary>The CPU the named groups used over the span, from <see cref="Ticks"/>.</summary>
    public TimeSpan CpuOf(IEnumerable<string> groups) =>
        TimeSpan.FromMicroseconds(Ticks.Where(t => groups.Contains(t.Name)).Sum(t => t.Ticks) * (ProcTasks.NanosecondsPerTick / 1000.0));
}
