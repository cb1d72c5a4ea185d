using System.Globalization;

namespace Oms.LoadHarness.Load;

/// <summary>
/// CPU time per thread of this process, from <c>/proc/self/task/*/stat</c> (Linux only; elsewhere empty): a
/// cheap profile that says which threads (the engine's consumer, the thread pool, the socket engine, the load
/// generator) a run's CPU went to.
/// </summary>
/// <remarks>Clock ticks of 10 ms: meaningful over runs of seconds, as shares of the total.</remarks>
internal sealed class ThreadCpuProfile
{
    /// <summary>The group name of the tiered compilation's background worker.</summary>
    public const string JitThreads = "JIT (tiering)";

    private const string Tasks = "/proc/self/task";

    private readonly Dictionary<int, (string Name, long Ticks)> _threads;

    private ThreadCpuProfile(Dictionary<int, (string Name, long Ticks)> threads) => _threads = threads;

    public static ThreadCpuProfile Take()
    {
        var threads = new Dictionary<int, (string Name, long Ticks)>();
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
                long ticks = long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture);
                threads[tid] = (stat[(open + 1)..close], ticks);
            }
            catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                // The thread ended between listing and reading: it is left out.
            }
        }

        return new ThreadCpuProfile(threads);
    }

    /// <summary>The CPU each thread name used since <paramref name="start"/>, as shares of the process's total, largest first.</summary>
    public IReadOnlyList<(string Name, double Share)> SharesSince(ThreadCpuProfile start)
    {
        var byName = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach ((int tid, (string name, long ticks)) in _threads)
        {
            long before = start._threads.TryGetValue(tid, out var earlier) && earlier.Name == name ? earlier.Ticks : 0;
            string group = Normalize(name);
            byName[group] = byName.GetValueOrDefault(group) + (ticks - before);
        }

        long total = byName.Values.Sum();
        return total <= 0
            ? []
            : [.. byName.Where(p => p.Value > 0).OrderByDescending(p => p.Value).Select(p => (p.Key, p.Value / (double)total))];
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
}
