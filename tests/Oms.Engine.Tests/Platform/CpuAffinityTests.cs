using Oms.Engine.Platform;

namespace Oms.Engine.Tests.Platform;

/// <summary>
/// Thread affinity on Linux, and the engine's pinned consumer. Each test that changes a set does so on a thread of
/// its own, so the test runner's threads keep theirs.
/// </summary>
[Collection(FakeEngine.Collection)]
public sealed class CpuAffinityTests
{
    [NotLinuxFact]
    public void GetCurrentThread_OffLinux_ThrowsPlatformNotSupported()
    {
        Assert.False(CpuAffinity.IsSupported);
        Assert.Throws<PlatformNotSupportedException>(CpuAffinity.GetCurrentThread);
    }

    [LinuxFact]
    public void SetCurrentThread_OneAllowedCpu_ReadsBackAsExactlyThatCpu()
    {
        int[] allowed = CpuAffinity.GetCurrentThread();
        int target = allowed[^1];
        int[]? seen = null;
        int[]? seenByTid = null;
        RunOnOwnThread(() =>
        {
            CpuAffinity.SetCurrentThread([target]);
            seen = CpuAffinity.GetCurrentThread();
            seenByTid = CpuAffinity.GetThread(CurrentKernelThreadId());
        });

        Assert.Equal([target], seen!);
        Assert.Equal([target], seenByTid!);
        Assert.Equal(allowed, CpuAffinity.GetCurrentThread());
    }

    [LinuxFact]
    public void SetCurrentThread_EmptyOrOutOfRange_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => CpuAffinity.SetCurrentThread([]));
        Assert.Throws<ArgumentException>(() => CpuAffinity.SetCurrentThread([-1]));
        Assert.Throws<ArgumentException>(() => CpuAffinity.SetCurrentThread([1024]));
    }

    [LinuxFact]
    public void SetThread_NoSuchThread_ThrowsWithTheKernelsError()
    {
        // Thread ids are bounded by pid_max (at most 2^22), so this one does not exist.
        var error = Assert.Throws<InvalidOperationException>(() => CpuAffinity.SetThread(int.MaxValue - 1, [0]));
        Assert.Contains("errno", error.Message, StringComparison.Ordinal);
    }

    [NotLinuxFact]
    public void Validate_ConsumerCpuOffLinux_ThrowsArgumentException()
    {
        var settings = FakeEngine.DefaultSettings with { ConsumerCpu = 1023 };

        Assert.Throws<ArgumentException>(settings.Validate);
    }

    [LinuxFact]
    public void Validate_ConsumerCpuNotAllowedToThisProcess_NamesTheAllowedCpus()
    {
        var settings = FakeEngine.DefaultSettings with { ConsumerCpu = 1023 };
        Assume(CpuAffinity.GetCurrentThread().Length < 1024, "This machine allows every CPU number the test could use.");

        var error = Assert.Throws<ArgumentException>(settings.Validate);
        Assert.Equal(nameof(CancelEngineSettings.ConsumerCpu), error.ParamName);
        Assert.Contains("not a CPU this process may run on", error.Message, StringComparison.Ordinal);
    }

    [LinuxFact(MinimumCpus = 2)]
    public async Task Start_FromAThreadKeptOffTheConsumersCpu_StillPinsTheConsumerThere()
    {
        // The harness's latency configuration: every other thread is moved off the consumer's CPU first.
        int[] allowed = CpuAffinity.GetCurrentThread();
        Assume(allowed.Length >= 2, "This process may run on one CPU only, so no thread can be kept off the consumer's.");
        int target = allowed[^1];
        var listener = new AffinityProbe();
        FakeEngine? fake = null;
        RunOnOwnThread(() =>
        {
            CpuAffinity.SetCurrentThread(allowed[..^1]);
            fake = FakeEngine.Start(FakeEngine.DefaultSettings with { ConsumerCpu = target }, listener);
        });

        await using (fake!)
        {
            fake!.Cancel(FakeEngine.OrderId(1), 1);
            fake.Sender.Ack(fake.Sender.WaitForRequest(0));
            Assert.True(listener.Acked.Wait(FakeEngine.Bound), "No outcome.");
        }

        Assert.Equal([target], listener.ConsumerCpus!);
    }

    [LinuxFact]
    public async Task Start_ConsumerCpuSet_ConsumerThreadRunsOnlyThereAndTheStartingThreadKeepsItsSet()
    {
        int target = CpuAffinity.GetCurrentThread()[^1];
        var settings = FakeEngine.DefaultSettings with { ConsumerCpu = target };
        var listener = new AffinityProbe();
        int[]? starterBefore = null;
        int[]? starterAfter = null;
        FakeEngine? fake = null;
        RunOnOwnThread(() =>
        {
            starterBefore = CpuAffinity.GetCurrentThread();
            fake = FakeEngine.Start(settings, listener);
            starterAfter = CpuAffinity.GetCurrentThread();
        });

        await using (fake!)
        {
            // The listener runs on the consumer thread: it reads that thread's set when the outcome arrives.
            fake!.Cancel(FakeEngine.OrderId(1), 1);
            fake.Sender.Ack(fake.Sender.WaitForRequest(0));
            Assert.True(listener.Acked.Wait(FakeEngine.Bound), "No outcome.");
        }

        Assert.Equal([target], listener.ConsumerCpus!);
        Assert.Equal(starterBefore, starterAfter);
    }

    [LinuxFact]
    public async Task Start_NoConsumerCpu_ConsumerThreadKeepsTheStartersSet()
    {
        var listener = new AffinityProbe();
        await using (var fake = FakeEngine.Start(FakeEngine.DefaultSettings, listener))
        {
            fake.Cancel(FakeEngine.OrderId(1), 1);
            fake.Sender.Ack(fake.Sender.WaitForRequest(0));
            Assert.True(listener.Acked.Wait(FakeEngine.Bound), "No outcome.");
        }

        Assert.Equal(CpuAffinity.GetCurrentThread(), listener.ConsumerCpus);
    }

    // A condition the skippable fact's own check cannot see (the affinity set, not the CPU count): fails loudly rather
    // than passing without running.
    private static void Assume(bool condition, string reason)
    {
        if (!condition)
        {
            throw new InvalidOperationException(reason + " The test cannot run here.");
        }
    }

    // Affinity changes stay on a thread of the test's own (the runner's threads keep their sets); its failures are rethrown here.
    private static void RunOnOwnThread(Action body) => TestThreads.Join(TestThreads.StartNew("affinity-test", body));

    /// <summary>Records the consumer thread's CPU set at the first Ack.</summary>
    private sealed class AffinityProbe : ICancelListener, IDisposable
    {
        public ManualResetEventSlim Acked { get; } = new();

        public int[]? ConsumerCpus { get; private set; }

        public void OnAcked(long tag, ReadOnlySpan<byte> orderId)
        {
            ConsumerCpus ??= CpuAffinity.GetCurrentThread();
            Acked.Set();
        }

        public void OnRejected(long tag, ReadOnlySpan<byte> orderId, long code, VenueReason reason, ReadOnlySpan<byte> message)
        {
        }

        public void OnFailed(long tag, ReadOnlySpan<byte> orderId, CancelFailureReason reason, ReadOnlySpan<byte> detail)
        {
        }

        public void OnExpired(long tag, ReadOnlySpan<byte> orderId)
        {
        }

        public void Dispose() => Acked.Dispose();
    }

    private static int CurrentKernelThreadId() =>
        int.Parse(Path.GetFileName(new DirectoryInfo("/proc/thread-self").ResolveLinkTarget(returnFinalTarget: true)!.FullName), System.Globalization.CultureInfo.InvariantCulture);

}
