namespace Oms.Packaging.Tests;

[Collection(PackagesCollection.Name)]
public sealed class ToolInstallTests(PackedPackages packages) : IDisposable
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(60);

    private readonly string _home = Directory.CreateTempSubdirectory("oms-tool-").FullName;

    [Fact]
    public async Task Tool_InstalledFromThePackedFolder_RunsHelp()
    {
        // Only the packed folder as a source, and a package cache of its own: the install needs no network, and neither
        // reads nor leaves an Oms.Cli of the same version in the machine's cache.
        var config = Path.Combine(_home, "nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{packages.Folder}" />
              </packageSources>
            </configuration>
            """);
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(_home, "cache") };
        var tools = Path.Combine(_home, "tools");

        var install = await ChildProcess.RunAsync(
            ChildProcess.Dotnet, ["tool", "install", "Oms.Cli", "--version", packages.Version, "--tool-path", tools, "--configfile", config], s_limit, environment, _home);
        Assert.True(install.ExitCode == 0, install.ToString());
        var oms = Path.Combine(tools, OperatingSystem.IsWindows() ? "oms.exe" : "oms");

        var help = await ChildProcess.RunAsync(oms, ["--help"], s_limit, workingDirectory: _home);
        var venueHelp = await ChildProcess.RunAsync(oms, ["venue", "--help"], s_limit, workingDirectory: _home);

        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("oms [command] [options]", help.Output, StringComparison.Ordinal);
        Assert.True(venueHelp.ExitCode == 0, venueHelp.ToString());
        Assert.Contains("--port", venueHelp.Output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
