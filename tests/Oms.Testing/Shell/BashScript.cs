using System.Diagnostics;

namespace Oms.Testing.Shell;

/// <summary>What a finished script left: its exit code and everything it wrote.</summary>
/// <param name="ExitCode">bash's exit code.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error.</param>
public sealed record BashResult(int ExitCode, string Output, string Error)
{
    /// <summary>Both streams, for an assertion's message.</summary>
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs a script with <c>bash -eu -o pipefail</c>, as a reader would paste it but stopping at the first failing command,
/// bounded in time; whatever it started in the background is stopped when it ends, however it ends.
/// </summary>
/// <remarks>
/// Where <c>setsid</c> exists, bash leads a process group of its own and the group is killed once bash has gone: a
/// process a failed script left behind (reparented, so no longer in bash's tree) cannot outlive the test.
/// </remarks>
public static class BashScript
{
    // Pasted blocks leave background jobs (a venue) that the block itself stops when all goes well; after a failure
    // bash exits early, and this trap stops them before bash goes, so nothing outlives the test.
    private const string StopJobsOnExit = "trap 'jobs -p | xargs -r kill 2>/dev/null; wait' EXIT\n";

    /// <summary>
    /// Runs <paramref name="script"/> in <paramref name="workingDirectory"/> with <paramref name="environment"/> added to
    /// this process's; past <paramref name="limit"/> the whole process tree is killed and <see cref="TimeoutException"/> thrown.
    /// </summary>
    public static async Task<BashResult> RunAsync(string script, string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string[] bashArguments = ["-eu", "-o", "pipefail", "-c", StopJobsOnExit + script];
        var ownGroup = OnPath("setsid");
        var start = new ProcessStartInfo(ownGroup ? "setsid" : "bash", ownGroup ? ["bash", .. bashArguments] : bashArguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var bash = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        bash.StandardInput.Close();
        var output = bash.StandardOutput.ReadToEndAsync();
        var error = bash.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(limit);
        try
        {
            await bash.WaitForExitAsync(bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            bash.Kill(entireProcessTree: true);
            await bash.WaitForExitAsync().ConfigureAwait(false);
            await KillGroupAsync(bash.Id, ownGroup).ConfigureAwait(false);
            throw new TimeoutException($"the script did not finish within {limit}:\n{script}\n--- stdout\n{await Drained(output).ConfigureAwait(false)}\n--- stderr\n{await Drained(error).ConfigureAwait(false)}");
        }

        await KillGroupAsync(bash.Id, ownGroup).ConfigureAwait(false);
        return new BashResult(bash.ExitCode, await Drained(output).ConfigureAwait(false), await Drained(error).ConfigureAwait(false));
    }

    // A survivor holding the pipe would keep the read open; after the group kill, a few seconds is plenty.
    private static async Task<string> Drained(Task<string> read)
    {
        try
        {
            return await read.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return "(output still open 10 s after the script ended)";
        }
    }

    private static async Task KillGroupAsync(int leader, bool ownGroup)
    {
        if (!ownGroup)
        {
            return;
        }

        using var kill = Process.Start(new ProcessStartInfo("kill", ["-KILL", "--", "-" + leader.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        });
        if (kill is not null)
        {
            // Nothing left in the group is the usual case: kill then says so on stderr and exits 1.
            await kill.StandardError.ReadToEndAsync().ConfigureAwait(false);
            await kill.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Whether <paramref name="tool"/> is a file in one of the PATH's directories.</summary>
    public static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, tool)));
}
