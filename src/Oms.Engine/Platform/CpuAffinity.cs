using System.Globalization;

namespace Oms.Engine.Platform;

/// <summary>
/// Which CPUs a thread may run on (Linux's <c>sched_setaffinity</c>): for a busy-spinning consumer on a core of its
/// own, and for keeping everything else off that core.
/// </summary>
/// <remarks>
/// <para>
/// A spinning consumer only delivers its microseconds when nothing else is scheduled on its core: every wake-up of
/// another thread there (a strategy, a connection's reader, the GC) preempts it for a scheduler slice. Pin the
/// consumer with <see cref="CancelEngineSettings.ConsumerCpu"/>, and pin the process's other threads (or start it
/// under <c>taskset</c>) to the remaining cores; on a dedicated host, also keep the kernel off it (<c>isolcpus</c>).
/// </para>
/// <para>
/// A thread created by a pinned thread starts with the same set, so setting the set of the thread that starts
/// threads covers those too. Thread ids here are the kernel's (the names under <c>/proc/self/task</c>), not
/// <see cref="Environment.CurrentManagedThreadId"/>.
/// </para>
/// </remarks>
public static unsafe partial class CpuAffinity
{
    // cpu_set_t as glibc sizes it: 1,024 CPUs.
    private const int MaskWords = 16;
    private const int MaxCpus = MaskWords * 64;

    /// <summary>Whether affinity can be read and set here (Linux).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>The CPUs the calling thread may run on, in ascending order.</summary>
    /// <returns>The CPU numbers.</returns>
    /// <exception cref="PlatformNotSupportedException">Not Linux.</exception>
    /// <exception cref="InvalidOperationException">The kernel refused (the message carries its error number).</exception>
    public static int[] GetCurrentThread() => Get(0);

    /// <summary>The CPUs the thread <paramref name="threadId"/> may run on, in ascending order.</summary>
    /// <param name="threadId">A kernel thread id, of this process or another.</param>
    /// <returns>The CPU numbers.</returns>
    /// <exception cref="PlatformNotSupportedException">Not Linux.</exception>
    /// <exception cref="InvalidOperationException">The kernel refused: no such thread, or not permitted.</exception>
    public static int[] GetThread(int threadId)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threadId);
        return Get(threadId);
    }

    /// <summary>Restricts the calling thread to <paramref name="cpus"/>.</summary>
    /// <param name="cpus">CPU numbers, at least one, each below 1,024.</param>
    /// <exception cref="PlatformNotSupportedException">Not Linux.</exception>
    /// <exception cref="ArgumentException">The set is empty or names a CPU out of range.</exception>
    /// <exception cref="InvalidOperationException">The kernel refused, typically because none of the CPUs is allowed to this process.</exception>
    public static void SetCurrentThread(ReadOnlySpan<int> cpus) => Set(0, cpus);

    /// <summary>Restricts the thread <paramref name="threadId"/> to <paramref name="cpus"/>.</summary>
    /// <param name="threadId">A kernel thread id, of this process or another of the same user.</param>
    /// <param name="cpus">CPU numbers, at least one, each below 1,024.</param>
    /// <exception cref="PlatformNotSupportedException">Not Linux.</exception>
    /// <exception cref="ArgumentException">The set is empty or names a CPU out of range.</exception>
    /// <exception cref="InvalidOperationException">The kernel refused: no such thread, not permitted, or no allowed CPU in the set.</exception>
    public static void SetThread(int threadId, ReadOnlySpan<int> cpus)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threadId);
        Set(threadId, cpus);
    }

    /// <summary>
    /// Whether a thread of this process may be pinned to <paramref name="cpu"/>: tried on a short-lived thread of its
    /// own, so no existing thread's set changes. The kernel's answer, whatever the calling thread's own set is.
    /// </summary>
    /// <param name="cpu">A CPU number.</param>
    /// <returns>False when the kernel refuses (the CPU is offline or outside this process's cgroup) or the number is out of range.</returns>
    /// <exception cref="PlatformNotSupportedException">Not Linux.</exception>
    public static bool CanPin(int cpu)
    {
        ThrowIfUnsupported();
        if ((uint)cpu >= MaxCpus)
        {
            return false;
        }

        bool pinned = false;
        var probe = new Thread(() =>
        {
            try
            {
                SetCurrentThread([cpu]);
                pinned = true;
            }
            catch (InvalidOperationException)
            {
                // Refused: pinned stays false.
            }
        })
        { IsBackground = true, Name = "oms-affinity-probe" };
        probe.Start();
        probe.Join();
        return pinned;
    }

    private static int[] Get(int threadId)
    {
        ThrowIfUnsupported();
        ulong* mask = stackalloc ulong[MaskWords];
        if (SchedGetAffinity(threadId, MaskWords * sizeof(ulong), mask) != 0)
        {
            throw Refused("read", threadId, Marshal.GetLastPInvokeError());
        }

        var cpus = new List<int>();
        for (int cpu = 0; cpu < MaxCpus; cpu++)
        {
            if ((mask[cpu / 64] & (1UL << (cpu % 64))) != 0)
            {
                cpus.Add(cpu);
            }
        }

        return [.. cpus];
    }

    private static void Set(int threadId, ReadOnlySpan<int> cpus)
    {
        ThrowIfUnsupported();
        if (cpus.IsEmpty)
        {
            throw new ArgumentException("At least one CPU is needed.", nameof(cpus));
        }

        ulong* mask = stackalloc ulong[MaskWords];
        new Span<ulong>(mask, MaskWords).Clear();
        foreach (int cpu in cpus)
        {
            if ((uint)cpu >= MaxCpus)
            {
                throw new ArgumentException($"CPU {cpu} is out of range (0 to {MaxCpus - 1}).", nameof(cpus));
            }

            mask[cpu / 64] |= 1UL << (cpu % 64);
        }

        if (SchedSetAffinity(threadId, MaskWords * sizeof(ulong), mask) != 0)
        {
            throw Refused("set", threadId, Marshal.GetLastPInvokeError());
        }
    }

    private static void ThrowIfUnsupported()
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("CPU affinity is supported on Linux only.");
        }
    }

    private static InvalidOperationException Refused(string what, int threadId, int errno) =>
        new(string.Create(
            CultureInfo.InvariantCulture,
            $"The kernel refused to {what} the CPU affinity of {(threadId == 0 ? "the calling thread" : $"thread {threadId}")}: errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)})."));

    [LibraryImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    private static partial int SchedGetAffinity(int pid, nuint size, ulong* mask);

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SchedSetAffinity(int pid, nuint size, ulong* mask);
}
