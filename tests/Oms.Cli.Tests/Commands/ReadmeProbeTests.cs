using System.Diagnostics;
using System.Text.RegularExpressions;
using Oms.Cli.Commands;

namespace Oms.Cli.Tests.Commands;

/// <summary>The README's probe block, run as pasted against <c>oms venue --env-out</c>.</summary>
public sealed class ReadmeProbeTests
{
    private const string Marker = "<!-- run by tests/Oms.Cli.Tests/Commands/ReadmeProbeTests.cs -->";

    [ToolsFact]
    public async Task ReadmeProbe_AgainstTheVenuesEnvFile_CancelsAnOrderAndReadsItsStatusAndTheCounters()
    {
        var envFile = Path.Combine(Path.GetTempPath(), $"oms-venue-{Guid.NewGuid():N}.env");
        using var stop = new CancellationTokenSource();
        var context = new CommandContext(TextWriter.Null, TextWriter.Null, _ => null, stop.Token);
        var venue = CommandRunner.RunAsync(["venue", "--port", "0", "--seed-orders", "5", "--env-out", envFile], context);
        try
        {
            Assert.True(await Oms.Testing.Waiting.Waiting.WaitUntilAsync(() => File.Exists(envFile) || venue.IsCompleted, TimeSpan.FromSeconds(30)), "no env file within 30 s");
            Assert.False(venue.IsCompleted, "the venue stopped before writing its env file");

            // It holds the secret: readable by its owner only (ToolsFact runs on Linux and macOS alone).
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(envFile));
            }

            var (exit, output, error) = await RunBashAsync($". '{envFile}'\n{ProbeBlock()}");

            Assert.True(exit == 0, $"exit {exit}: {error}");
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains("\"action\":\"cancel-order\",\"status\":\"Ack\"", lines[0], StringComparison.Ordinal);
            Assert.Matches("\"status\":\"(Canceled|New)\"", lines[1]);
            Assert.Matches(new Regex("\"acked\": 1,"), output);
        }
        finally
        {
            await stop.CancelAsync();
            await venue.WaitAsync(TimeSpan.FromSeconds(30));
            File.Delete(envFile);
        }
    }

    private static string ProbeBlock()
    {
        var readme = File.ReadAllText(Path.Combine(Oms.Testing.Files.Repository.Root(), "README.md")).ReplaceLineEndings("\n");
        var at = readme.IndexOf(Marker + "\n```bash\n", StringComparison.Ordinal);
        Assert.True(at >= 0, "the README's probe block is gone or lost its marker");
        var start = at + Marker.Length + "\n```bash\n".Length;
        return readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
    }

    private static async Task<(int Exit, string Output, string Error)> RunBashAsync(string script)
    {
        using var bash = Process.Start(new ProcessStartInfo("bash", ["-eu", "-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var output = bash.StandardOutput.ReadToEndAsync();
        var error = bash.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await bash.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            bash.Kill(entireProcessTree: true);
            throw;
        }

        return (bash.ExitCode, await output, await error);
    }
}
