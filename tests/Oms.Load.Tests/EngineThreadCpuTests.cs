using System.Diagnostics;

namespace Oms.Load.Tests;

/// <summary>Per-thread CPU of the engine's threads. Spinning threads get whatever share of the 2 shared cores the machine leaves, so bounds are loose.</summary>
/// <remarks>No engine runs in this assembly, so the only engine-named threads are the ones these tests start.</remarks>
[Collection(EngineThreadsCollection.Name)]
public sealed class EngineThreadCpuTests
{
    private static readonly TimeSpan s_spin = TimeSpan.FromMilliseconds(300);

    [Fact]
    public void Used_EngineThreadsSpinning_CountsThemWithinWhatTheProcessUsed()
    {
        var processBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var cpu = EngineThreadCpu.Start();

        SpinThenSample(cpu, "oms-consumer", "oms-h2-reader");
        var processUsed = Process.GetCurrentProcess().TotalProcessorTime - processBefore;

        Assert.True(cpu.IsAvailable, "this suite runs on Linux, where /proc/self/task is readable");
        Assert.Equal(2, cpu.Threads);
        Assert.InRange(cpu.Used, TimeSpan.FromMilliseconds(10), processUsed);
    }

    [Fact]
    public void Used_OnlyOtherThreadsSpinning_CountsNothing()
    {
        var cpu = EngineThreadCpu.Start();

        SpinThenSample(cpu, "strategy-0", "oms-consumerX", ".NET TP Worker");

        // Three threads spun 300 ms each under other names: none of that may count. The tail of an earlier test in
        // this process (an engine thread ending, or a pool thread it created that has not renamed itself yet, since
        // Linux threads start with their creator's name) may briefly show an engine name while using next to no CPU,
        // so the check is on the CPU counted, not on the census being empty.
        Assert.True(cpu.Used < TimeSpan.FromMilliseconds(50), $"{cpu.Used.TotalMilliseconds} ms counted; engine threads now: {DescribeEngineThreads()}");
    }

    [Fact]
    public void Used_EngineThreadThatSpunBeforeTheBaseline_CountsOnlyWhatItUsesAfter()
    {
        using var go = new ManualResetEventSlim();
        using var idle = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var thread = new Thread(() =>
        {
            Spin(go);
            idle.Set();
            release.Wait();
        })
        { Name = "oms-consumer", IsBackground = true };
        thread.Start();
        go.Set();
        idle.Wait();

        var cpu = EngineThreadCpu.Start();
        Thread.Sleep(100);
        cpu.Sample();
        release.Set();
        thread.Join();

        // It spun 300 ms before the baseline and then only waited.
        Assert.Equal(1, cpu.Threads);
        Assert.InRange(cpu.Used, TimeSpan.Zero, TimeSpan.FromMilliseconds(20));
    }

    // Starts one spinning thread per name and samples once they have spun but before they end, as the load runner
    // samples before the engine stops; samples again after they ended (an ended thread keeps its last sample).
    private static void SpinThenSample(EngineThreadCpu cpu, params string[] names)
    {
        using var go = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using var spun = new CountdownEvent(names.Length);
        var threads = names.Select(name => new Thread(() =>
        {
            Spin(go);
            spun.Signal();
            release.Wait();
        })
        { Name = name, IsBackground = true }).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        go.Set();
        spun.Wait();
        cpu.Sample();
        release.Set();
        foreach (var thread in threads)
        {
            thread.Join();
        }

        cpu.Sample();
    }

    // Which engine-named threads exist now, and in what state: a test that left one running is the one to fix.
    private static string DescribeEngineThreads() => string.Join("; ", Directory.EnumerateDirectories("/proc/self/task")
        .Select(task => (Task: task, Name: SafeRead(Path.Combine(task, "comm")).TrimEnd('\n')))
        .Where(t => EngineThreadCpu.ThreadNames.Contains(t.Name))
        .Select(t => $"{t.Name} tid {Path.GetFileName(t.Task)}: {SafeRead(Path.Combine(t.Task, "stat"))}"));

    private static string SafeRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static void Spin(ManualResetEventSlim go)
    {
        go.Wait();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < s_spin)
        {
            Thread.SpinWait(100);
        }
    }
}
