using Oms.Testing.Shell;

namespace Oms.Cli.Tests.Support;

/// <summary>The runner of the README's blocks: what a script starts in the background does not outlive it.</summary>
public sealed class BashScriptTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("oms-bash-").FullName;

    [LinuxFact]
    public async Task RunAsync_ScriptFailsWithAJobInTheBackground_StopsTheJob()
    {
        var run = await BashScript.RunAsync("sleep 300 & echo $! > \"$T/job\"\nfalse\necho not reached\n", _temp, Variables(), TimeSpan.FromSeconds(60));

        Assert.Equal(1, run.ExitCode);
        Assert.DoesNotContain("not reached", run.Output, StringComparison.Ordinal);
        Assert.True(await Oms.Testing.Waiting.Waiting.WaitUntilAsync(() => !Alive(JobId()), TimeSpan.FromSeconds(10)), "the background job outlived its script");
    }

    [LinuxFact]
    public async Task RunAsync_JobIgnoringTermPastTheLimit_ThrowsAndKillsTheJob()
    {
        var script = "(trap '' TERM; sleep 300; true) & echo $! > \"$T/job\"\nwait\n";

        await Assert.ThrowsAsync<TimeoutException>(() => BashScript.RunAsync(script, _temp, Variables(), TimeSpan.FromSeconds(3)));

        Assert.True(await Oms.Testing.Waiting.Waiting.WaitUntilAsync(() => !Alive(JobId()), TimeSpan.FromSeconds(10)), "the background job outlived the time limit");
    }

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private Dictionary<string, string> Variables() => new() { ["T"] = _temp };

    private int JobId() => int.Parse(File.ReadAllText(Path.Combine(_temp, "job")), System.Globalization.CultureInfo.InvariantCulture);

    // A killed process whose parent has not reaped it yet is a zombie: gone for this purpose.
    private static bool Alive(int pid)
    {
        var stat = Path.Combine("/proc", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "stat");
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
