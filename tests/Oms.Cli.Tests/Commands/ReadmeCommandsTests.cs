using System.Text.RegularExpressions;
using Oms.Testing.Files;
using Oms.Testing.Shell;

namespace Oms.Cli.Tests.Commands;

/// <summary>
/// The README's shell blocks run as pasted: bash in the repository root, each block's text read from the README by its
/// marker, files written under a temporary folder (<c>TMPDIR</c>, which the blocks' <c>mktemp -d</c> honours).
/// </summary>
/// <remarks>
/// One class, so the blocks run one after another as a reader pastes them, and the "Start here" demo, whose
/// <c>dotnet run</c> builds the <c>oms</c> the later blocks put on the PATH, runs once for all of them.
/// </remarks>
public sealed class ReadmeCommandsTests(ReadmeCommandsTests.StartHere startHere) : IClassFixture<ReadmeCommandsTests.StartHere>, IDisposable
{
    private const string ThisFile = "tests/Oms.Cli.Tests/Commands/ReadmeCommandsTests.cs";
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(120);

    private readonly string _temp = Directory.CreateTempSubdirectory("oms-readme-").FullName;

    [Fact]
    public void Readme_EveryBashBlock_NamesAnExistingTestThatRunsIt()
    {
        var blocks = ReadmeBlocks.All();

        Assert.NotEmpty(blocks);
        Assert.All(blocks, block =>
        {
            Assert.True(block.Test is not null, $"the bash block at README.md:{block.Line} has no '<!-- run by FILE: NAME -->' line above it");
            var test = Path.Combine(Repository.Root(), block.Test!);
            Assert.True(File.Exists(test), $"README.md:{block.Line} names {block.Test}, which does not exist");
            Assert.Contains($"\"{block.Name}\"", File.ReadAllText(test), StringComparison.Ordinal);
        });
        Assert.Equal(blocks.Count, blocks.Select(block => (block.Test, block.Name)).Distinct().Count());
    }

    [ToolsFact]
    public async Task StartHere_Demo_RunsAsPastedAndEveryFateIsConfirmed()
    {
        var demo = await startHere.RunAsync();

        Assert.True(demo.ExitCode == 0, demo.ToString());
        Assert.Contains("20,000 outcomes in", demo.Output, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"(?m)^  unconfirmed\s+0\s"), demo.Output);
    }

    [ToolsFact]
    public async Task WalkThrough_OpenOrdersLoadWatchedByTheCountersTool_CancelsEveryOpenOrderAndExitsZero()
    {
        await BuiltAsync();
        var block = ReadmeBlocks.Get(ThisFile, "walk-through");

        var run = await RunAsync(block);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("[Oms.Engine]", run.Output, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"(?m)^  acked\s+4,000\s+100\.00%"), run.Output);
        Assert.Matches(new Regex(@"(?m)^  canceled\s+4,000\s+100\.00%"), run.Output);
        Assert.Matches(new Regex(@"(?m)^Stopped\. connections \d+, streams \d+, acked \d+"), run.Output);
    }

    [ToolsFact]
    public async Task Watching_TheCommandOmsPrints_IsTheReadmesAndShowsTheEngineCounters()
    {
        await BuiltAsync();
        await using var venue = await StartVenueAsync();
        venue.Book.SeedGenerated(3000, "BTC-PERP");
        var block = ReadmeBlocks.Get(ThisFile, "watching");
        var load = $"oms load --base-url {venue.BaseUri} --account-group {Credentials.AccountGroup} --open-orders --orders 3000 --rate 500"
            + " > \"$TMPDIR/load.out\" 2> \"$TMPDIR/load.err\" & PID=$!\n";

        var run = await RunAsync(load + block + "wait $PID\n", new Dictionary<string, string>
        {
            [CommandContext.ApiKeyVariable] = Credentials.ApiKey,
            [CommandContext.ApiSecretVariable] = Credentials.ApiSecret,
        });

        var loadError = File.ReadAllText(Path.Combine(_temp, "load.err"));
        Assert.True(run.ExitCode == 0, run + "\n--- oms load's stderr\n" + loadError);
        Assert.Contains("[Oms.Engine]", run.Output, StringComparison.Ordinal);
        var named = Regex.Match(loadError, @"oms: process (?<pid>\d+); watch it with: (?<command>.+)\n");
        Assert.True(named.Success, "oms load did not name its process");
        var readmeCommand = block.Split('\n')[1].Split('#')[0].TrimEnd().Replace("$PID", named.Groups["pid"].Value, StringComparison.Ordinal);
        Assert.Equal(readmeCommand, named.Groups["command"].Value);
    }

    [ToolsFact]
    public async Task Probe_StartedAsTheReadmeSays_CancelsAnOrderAndReadsItsStatusAndTheCounters()
    {
        await BuiltAsync();
        Assert.Contains("Stop the simulator with `kill %1`", ReadmeBlocks.Text(), StringComparison.Ordinal);

        var run = await RunAsync(ReadmeBlocks.Get(ThisFile, "start") + ReadmeBlocks.Get(ThisFile, "probe") + "kill %1\n");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("\"action\":\"cancel-order\",\"status\":\"Ack\"", run.Output, StringComparison.Ordinal);
        Assert.Matches("\"status\":\"(Canceled|New)\"", run.Output);
        Assert.Matches(new Regex("\"acked\": 1,"), run.Output);

        // It holds the secret: readable by its owner only (ToolsFact runs on Linux and macOS alone).
        var envFile = Assert.Single(Directory.GetFiles(_temp, "venue.env", SearchOption.AllDirectories));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(envFile));
        }
    }

    [ToolsFact]
    public async Task Soak_ScaledDownByItsVariables_RunsAsPastedWithItsFaults()
    {
        await BuiltAsync();

        var run = await RunAsync(ReadmeBlocks.Get(ThisFile, "soak"), new Dictionary<string, string> { ["ORDERS"] = "3000", ["RATE"] = "1000" });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("3,000 outcomes in", run.Output, StringComparison.Ordinal);
        // The faults make some cancels fail (exit 1); any other exit code is a broken run.
        Assert.All(Regex.Matches(run.Output, @"oms load: exit (\d+)"), exit => Assert.Equal("1", exit.Groups[1].Value));
        Assert.Matches(new Regex(@"(?m)^Stopped\. connections \d+, streams \d+, acked \d+"), run.Output);
    }

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    // The blocks after "Start here" run in the shell that pasted it: the walk-through's first line, which puts the oms
    // that the demo's `dotnet run` built on the PATH, comes first.
    private Task<BashResult> RunAsync(string block, IReadOnlyDictionary<string, string>? variables = null)
    {
        var pathLine = ReadmeBlocks.Get(ThisFile, "walk-through").Split('\n')[0];
        Assert.StartsWith("export PATH=", pathLine, StringComparison.Ordinal);
        var environment = new Dictionary<string, string>(variables ?? new Dictionary<string, string>()) { ["TMPDIR"] = _temp };
        return BashScript.RunAsync(pathLine + "\n" + block, Repository.Root(), environment, s_bound);
    }

    private async Task BuiltAsync()
    {
        var demo = await startHere.RunAsync();
        Assert.True(demo.ExitCode == 0, "the \"Start here\" demo, which builds the oms these blocks run, failed: " + demo);
    }

    /// <summary>The "Start here" block's demo, run once for the class: its <c>dotnet run</c> builds <c>oms</c>.</summary>
    public sealed class StartHere
    {
        private static readonly TimeSpan s_buildAndRun = TimeSpan.FromMinutes(5);

        private readonly Lazy<Task<BashResult>> _run = new(RunDemoAsync);

        /// <summary>The demo's run, started by the first caller.</summary>
        public Task<BashResult> RunAsync() => _run.Value;

        // The block's second command, `dotnet test Oms.slnx`, is the command running this test: run here, it would
        // recurse. CI runs it (.ci/run), so it is checked to be the README's text and left out.
        private static Task<BashResult> RunDemoAsync()
        {
            var lines = ReadmeBlocks.Get(ThisFile, "start-here").Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("dotnet run -c Release --project src/Oms.Cli -- demo ", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("dotnet test Oms.slnx -c Release ", lines[1], StringComparison.Ordinal);
            return BashScript.RunAsync(lines[0] + "\n", Repository.Root(), new Dictionary<string, string>(), s_buildAndRun);
        }
    }
}
