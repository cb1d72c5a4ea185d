namespace Oms.Engine.Sequencing;

/// <summary>
/// Linux's futex, the kernel's wait-on-an-address: the cheapest way for one thread to sleep until another says
/// so, one system call to park and one to wake, with nothing in user space around them.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Monitor.Wait(object, int)"/> and <see cref="Monitor.PulseAll(object)"/> do the same job through the
/// runtime's own lock and event layers, and both sides take the lock; at a few thousand wake-ups a second that
/// overhead was most of the blocking consumer's CPU (see bench/results). Where the futex is not available (another
/// OS or architecture, or <c>syscall</c> cannot be found), <see cref="IsSupported"/> is false and callers keep
/// the monitor.
/// </para>
/// <para>
/// The word must not move while a thread waits on it: callers keep it in an array on the pinned object heap.
/// The private operations are used, since the word is never shared with another process.
/// </para>
/// </remarks>
internal static unsafe partial class Futex
{
    // FUTEX_WAIT and FUTEX_WAKE with FUTEX_PRIVATE_FLAG (128): no cross-process hashing in the kernel.
    private const int WaitPrivate = 0 | 128;
    private const int WakePrivate = 1 | 128;

    private static readonly long s_futexSyscall = FindSyscallNumber();

    /// <summary>Whether the futex can be used here: Linux on x64 or Arm64, with <c>syscall</c> callable.</summary>
    public static bool IsSupported { get; } = Probe();

    /// <summary>
    /// Sleeps while <c>*address == expected</c>, until woken, for at most <paramref name="timeoutNanoseconds"/>
    /// (negative: no limit). It may also return early (a signal, a spurious wake-up): callers re-check.
    /// </summary>
    /// <param name="address">The word, in pinned memory.</param>
    /// <param name="expected">The value that means "still asleep"; if the word differs already, returns at once.</param>
    /// <param name="timeoutNanoseconds">The longest sleep, or negative for none.</param>
    public static void Wait(int* address, int expected, long timeoutNanoseconds)
    {
        Debug.Assert(IsSupported, "Callers check IsSupported first.");
        if (timeoutNanoseconds < 0)
        {
            _ = Syscall(s_futexSyscall, address, WaitPrivate, expected, null);
            return;
        }

        var timeout = new Timespec
        {
            Seconds = timeoutNanoseconds / 1_000_000_000,
            Nanoseconds = timeoutNanoseconds % 1_000_000_000,
        };
        _ = Syscall(s_futexSyscall, address, WaitPrivate, expected, &timeout);
    }

    /// <summary>Wakes up to <paramref name="count"/> threads sleeping on <paramref name="address"/>.</summary>
    /// <param name="address">The word, in pinned memory.</param>
    /// <param name="count">How many sleepers to wake at most.</param>
    public static void Wake(int* address, int count)
    {
        Debug.Assert(IsSupported, "Callers check IsSupported first.");
        _ = Syscall(s_futexSyscall, address, WakePrivate, count, null);
    }

    // The futex's system call number is per architecture (asm/unistd.h): 202 on x86-64, 98 on the generic table
    // Arm64 uses. Elsewhere the monitor stays.
    private static long FindSyscallNumber() =>
        !OperatingSystem.IsLinux() ? -1
        : RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 202,
            Architecture.Arm64 => 98,
            _ => -1,
        };

    // One harmless call (wake nobody on a private word) proves that libc's syscall entry resolves and that the
    // kernel takes the number: 0 sleepers woken. Anything else and the futex is not used.
    private static bool Probe()
    {
        if (s_futexSyscall < 0)
        {
            return false;
        }

        try
        {
            int word = 0;
            return Syscall(s_futexSyscall, &word, WakePrivate, 1, null) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    // libc's syscall(2) is variadic; on the Linux ABIs of x64 and Arm64, integer and pointer arguments of a
    // variadic call travel exactly as those of a fixed one, so a fixed signature calls it correctly.
    [LibraryImport("libc", EntryPoint = "syscall")]
    private static partial long Syscall(long number, int* address, int operation, int value, Timespec* timeout);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
