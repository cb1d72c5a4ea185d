using System.Globalization;

namespace Oms.Load;

/// <summary>
/// Reads a process's threads from <c>/proc/&lt;pid&gt;/task</c> (Linux; elsewhere there are none): their ids, and per
/// thread its name and CPU ticks (<c>stat</c>), its nanoseconds on the CPU (<c>schedstat</c>) and its context
/// switches (<c>status</c>). The one <c>/proc</c> reader of the load tools: <see cref="EngineThreadCpu"/>, the
/// harness's thread profile and its core isolation all read through it.
/// </summary>
/// <remarks>
/// Stateless; any thread may call it. A thread may end between the listing and the reading: every read then
/// answers false (or no switches), and the caller leaves that thread out.
/// </remarks>
internal static class ProcTasks
{
    /// <summary>USER_HZ, the unit of <c>stat</c>'s utime and stime: 100 on every Linux architecture .NET runs on.</summary>
    public const long NanosecondsPerTick = 10_000_000;

    /// <summary>The directory of this process's threads.</summary>
    public const string Self = "/proc/self/task";

    /// <summary>The directory of process <paramref name="processId"/>'s threads.</summary>
    public static string Of(int processId) => string.Create(CultureInfo.InvariantCulture, $"/proc/{processId}/task");

    /// <summary>The threads listed under <paramref name="tasks"/> (<see cref="Self"/> or <see cref="Of"/>): kernel thread id and directory.</summary>
    public static IEnumerable<(int ThreadId, string Directory)> List(string tasks)
    {
        if (!System.IO.Directory.Exists(tasks))
        {
            yield break;
        }

        foreach (var task in System.IO.Directory.EnumerateDirectories(tasks))
        {
            if (int.TryParse(Path.GetFileName(task), NumberStyles.None, CultureInfo.InvariantCulture, out var threadId))
            {
                yield return (threadId, task);
            }
        }
    }

    /// <summary>Reads the thread's name and its user and system CPU in ticks of <see cref="NanosecondsPerTick"/>.</summary>
    public static bool TryReadStat(string task, out string name, out long userTicks, out long systemTicks)
    {
        name = "";
        userTicks = systemTicks = 0;
        if (!TryReadAll(Path.Combine(task, "stat"), out var stat))
        {
            return false;
        }

        // "tid (comm) state ppid ...": the name may hold spaces and parentheses, so fields are counted from the last
        // ')'; utime and stime are the 14th and 15th fields, the 12th and 13th after it.
        var open = stat.IndexOf('(', StringComparison.Ordinal);
        var close = stat.LastIndexOf(')');
        if (open < 0 || close < open || close + 2 > stat.Length)
        {
            return false;
        }

        var fields = stat[(close + 2)..].Split(' ');
        name = stat[(open + 1)..close];
        return fields.Length > 12
            && long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out userTicks)
            && long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out systemTicks);
    }

    /// <summary>Reads the thread's time on the CPU in nanoseconds; false where the kernel keeps no <c>schedstat</c>.</summary>
    public static bool TryReadOnCpu(string task, out long nanoseconds)
    {
        nanoseconds = 0;

        // "<ns on the CPU> <ns waiting for it> <timeslices>"
        if (!TryReadAll(Path.Combine(task, "schedstat"), out var text))
        {
            return false;
        }

        var end = text.IndexOf(' ', StringComparison.Ordinal);
        return long.TryParse(end < 0 ? text : text[..end], NumberStyles.None, CultureInfo.InvariantCulture, out nanoseconds);
    }

    /// <summary>The thread's context switches, voluntary and not; 0 when they cannot be read.</summary>
    /// <remarks>
    /// A thread that parks and is woken counts one voluntary switch, a thread the scheduler preempts one
    /// non-voluntary switch (<c>voluntary_ctxt_switches</c> and <c>nonvoluntary_ctxt_switches</c> in <c>status</c>).
    /// </remarks>
    public static long ReadSwitches(string task)
    {
        if (!TryReadAll(Path.Combine(task, "status"), out var status))
        {
            return 0;
        }

        long switches = 0;
        foreach (var line in status.AsSpan().EnumerateLines())
        {
            if ((line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                && long.TryParse(line[(line.IndexOf(':') + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                switches += count;
            }
        }

        return switches;
    }

    private static bool TryReadAll(string path, out string text)
    {
        try
        {
            text = File.ReadAllText(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The thread ended between listing and reading, or the file is not there on this kernel.
            text = "";
            return false;
        }
    }
}
