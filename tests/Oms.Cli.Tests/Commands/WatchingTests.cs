using System.Text.Json;
using static Oms.Cli.Tests.Commands.EngineRuns;

namespace Oms.Cli.Tests.Commands;

/// <summary>Watching a run: the process it names and the tools the repository's manifest pins.</summary>
[Collection(nameof(EngineCommandTests))]
public sealed class WatchingTests
{
    [Fact]
    public async Task Load_NamesItsProcessAndTheCommandThatWatchesIt()
    {
        await using var venue = await StartVenueAsync();
        venue.Book.SeedGenerated(3, "BTC-PERP");

        var (exit, _, error) = await RunAsync(["load", "--base-url", venue.BaseUri.ToString(), "--account-group", "5", "--open-orders"], Environment());

        Assert.True(exit == 0, error);
        Assert.Contains(
            $"oms: process {System.Environment.ProcessId}; watch it with: dotnet tool run dotnet-counters monitor -p {System.Environment.ProcessId} --counters Oms.Engine,Oms.Transport",
            error,
            StringComparison.Ordinal);
    }

    [Fact]
    public void ToolManifest_PinsTheCountersAndTraceToolsTheReadmeUses()
    {
        var root = Oms.Testing.Files.Repository.Root();
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, ".config", "dotnet-tools.json")));
        var tools = manifest.RootElement.GetProperty("tools");
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));

        foreach (var tool in new[] { "dotnet-counters", "dotnet-trace" })
        {
            Assert.Matches(@"^\d+\.\d+\.\d+$", tools.GetProperty(tool).GetProperty("version").GetString());
        }

        Assert.Contains("dotnet tool restore\ndotnet tool run dotnet-counters monitor -p $PID --counters Oms.Engine,Oms.Transport", readme.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }
}
