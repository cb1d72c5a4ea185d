using System.Globalization;

namespace Oms.LoadHarness.Load;

/// <summary>
/// CPU time and context switches per thread of this process, from <c>/proc/self/task/*/stat</c> and
/// <c>status</c> (Linux only; elsewhere empty): a cheap profile that says which threads (the engine's consumer,
/// the thread pool, the socket engine, the load generator) a run's CPU went to, how much of it was spent in the
/// kernel, and how often each thread was switched out (a parked thread's wake-up is one switch).
/// </summary>
/// <remarks>Clock ticks of 10 ms: meaningful over runs of seconds, as shares of the total.</remarks>
internal sealed class ThreadCpuProfile
{
    /// <summary>The group name of the tiered compilation's background worker.</summary>
    public const string JitThreads = "JIT (tiering)";

    private const string Tasks = "/proc/self/task";

    private readonly Dictionary<int, ThreadSample> _threads;

    private ThreadCpuProfile(Dictionary<int, ThreadSample> threads) => _threads = threads;

    public static ThreadCpuProfile Take()
    {
        var threads = new Dictionary<int, ThreadSample>();
        if (!Directory.Exists(Tasks))
        {
            return new ThreadCpuProfile(threads);
        }

        foreach (string task in Directory.EnumerateDirectories(Tasks))
        {
            try
            {
                string stat = File.ReadAllText(Path.Combine(task, "stat"));

                // "tid (comm) state ppid ... utime stime ...": comm may hold spaces and parentheses, so fields are
                // counted from the last ')'; utime and stime are the 14th and 15th fields overall.
                int open = stat.IndexOf('(', StringComparison.Ordinal);
                int close = stat.LastIndexOf(')');
                string[] rest = stat[(close + 2)..].Split(' ');
                int tid = int.Parse(stat[..open].Trim(), CultureInfo.InvariantCulture);
                long user = long.Parse(rest[11], CultureInfo.InvariantCulture);
                long system = long.Parse(rest[12], CultureInfo.InvariantCulture);
                threads[tid] = new ThreadSample(stat[(open + 1)..close], user, system, ReadSwitches(Path.Combine(task, "status")));
            }
            catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                // The thread ended between listing and reading: it is left out.
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
        return new ThreadActivity(shares, total <= 0 ? null : systemTicks / (double)total, switches);
    }

    // "voluntary_ctxt_switches:\tN" and "nonvoluntary_ctxt_switches:\tN": a thread that parks and is woken counts
    // one voluntary switch, a thread the scheduler preempts one non-voluntary switch.
    private static long ReadSwitches(string statusPath)
    {
        long switches = 0;
        foreach (string line in File.ReadLines(statusPath))
        {
            if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal)
                || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
            {
                switches += long.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return switches;
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
}
