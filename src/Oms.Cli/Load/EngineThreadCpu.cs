using System.Globalization;

namespace Oms.Cli.Load;

/// <summary>
/// CPU time of the engine's own threads: the consumer (<c>oms-consumer</c>) and one reader per connection
/// (<c>oms-h2-reader</c>), read per thread from <c>/proc/self/task</c> (Linux; elsewhere <see cref="IsAvailable"/> is
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

    private const string Tasks = "/proc/self/task";

    // USER_HZ: the unit of /proc's utime and stime, 100 on every Linux architecture .NET runs on.
    private const long NanosecondsPerTick = 10_000_000;

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
        var cpu = new EngineThreadCpu(Directory.Exists(Tasks));
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

        foreach (var task in Directory.EnumerateDirectories(Tasks))
        {
            if (!int.TryParse(Path.GetFileName(task), NumberStyles.None, CultureInfo.InvariantCulture, out var tid)
                || !TryRead(task, out var name, out var nanoseconds)
                || !IsEngineThread(name))
            {
                continue;
            }

            _latest[tid] = nanoseconds;
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

    private static bool TryRead(string task, out string name, out long nanoseconds)
    {
        name = "";
        nanoseconds = 0;
        try
        {
            name = File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
            var schedstat = Path.Combine(task, "schedstat");
            if (File.Exists(schedstat))
            {
                // "<ns on the CPU> <ns waiting for it> <timeslices>"
                var text = File.ReadAllText(schedstat);
                var end = text.IndexOf(' ', StringComparison.Ordinal);
                return long.TryParse(end < 0 ? text : text[..end], NumberStyles.None, CultureInfo.InvariantCulture, out nanoseconds);
            }

            // "tid (comm) state ppid ...": the name may hold spaces and parentheses, so fields are counted from the
            // last ')'; utime and stime are the 14th and 15th fields, the 12th and 13th after it.
            var stat = File.ReadAllText(Path.Combine(task, "stat"));
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 12
                && long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
                && long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system))
            {
                nanoseconds = (user + system) * NanosecondsPerTick;
                return true;
            }

            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The thread ended between listing and reading: its earlier sample, if any, stands.
            return false;
        }
    }
}
