using Oms.Testing.Shell;
using Oms.Testing.Skipping;

namespace Oms.Packaging.Tests;

/// <summary>
/// The README's "Install" blocks run as pasted, in one shell: the solution packed into the clone's <c>artifacts</c>, the
/// tool installed globally from it and run, then the engine added to a strategy's project from that folder.
/// </summary>
/// <remarks>
/// In the packages' collection: the collection's fixture packs the same projects, and two packs at once would share
/// their <c>obj</c> folders. The global install goes to a CLI home of its own (<c>DOTNET_CLI_HOME</c>), and the
/// strategy's restore to a package folder of its own, so neither leaves an Oms package of this version in the
/// machine's tools or cache.
/// </remarks>
[Collection(PackagesCollection.Name)]
public sealed class ReadmeInstallTests(PackedPackages packages) : IDisposable
{
    private const string ThisFile = "tests/Oms.Packaging.Tests/ReadmeInstallTests.cs";
    private static readonly TimeSpan s_limit = TimeSpan.FromMinutes(5);

    private readonly string _home = Directory.CreateTempSubdirectory("oms-readme-install-").FullName;

    [ToolsFact]
    public async Task InstallBlocks_AsPasted_PackInstallTheToolAndAddTheEngineToAStrategysProject()
    {
        var root = Repository.Root();
        var artifacts = Path.Combine(root, "artifacts");
        var artifactsWereThere = Directory.Exists(artifacts);
        var cliHome = Path.Combine(_home, "cli-home");
        var strategy = Path.Combine(_home, "MyStrategy");
        var created = await ChildProcess.RunAsync(ChildProcess.Dotnet, ["new", "classlib", "-o", strategy], s_limit, new Dictionary<string, string> { ["DOTNET_CLI_HOME"] = cliHome }, _home);
        Assert.True(created.ExitCode == 0, created.ToString());

        // Between the blocks, what the reader does: go to the strategy's folder. The package folder of its own is this
        // test's, not the reader's.
        var script = ReadmeBlocks.Get(ThisFile, "install")
            + "cd \"$STRATEGY\"\nexport NUGET_PACKAGES=\"$STRATEGY_PACKAGES\"\n"
            + ReadmeBlocks.Get(ThisFile, "strategy");
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_CLI_HOME"] = cliHome,

            // The pack restores the repository's own projects: it must keep the package folder every other build of
            // this clone uses. Under the CLI home of its own, NuGet would take that home's folder, rewrite the
            // projects' obj/project.assets.json to point there, and once Dispose deleted it, the builds running
            // beside this test in `dotnet test Oms.slnx` failed with NETSDK1064 (a fresh-clone CI run did).
            ["NUGET_PACKAGES"] = MachinePackagesFolder(),
            // Where `--global` installs under that home, on the PATH as the SDK's first run puts it for a reader.
            ["PATH"] = Path.Combine(cliHome, ".dotnet", "tools") + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["STRATEGY"] = strategy,
            ["STRATEGY_PACKAGES"] = Path.Combine(_home, "packages"),
        };
        try
        {
            var run = await BashScript.RunAsync(script, root, environment, s_limit);

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.True(File.Exists(Path.Combine(artifacts, $"Oms.Engine.{packages.Version}.nupkg")), "no Oms.Engine package in artifacts/");
            Assert.Contains("oms [command] [options]", run.Output, StringComparison.Ordinal);
            Assert.Contains($"<PackageReference Include=\"Oms.Engine\" Version=\"{packages.Version}\" />", File.ReadAllText(Path.Combine(strategy, "MyStrategy.csproj")), StringComparison.Ordinal);
            Assert.True(Directory.Exists(Path.Combine(_home, "packages", "oms.engine", packages.Version)), "the strategy's restore did not take Oms.Engine from the packed folder");
        }
        finally
        {
            // The folder the README tells a reader to make; left as found when it was there before (same version, same bytes).
            if (!artifactsWereThere && Directory.Exists(artifacts))
            {
                Directory.Delete(artifacts, recursive: true);
            }
        }
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);

    // NuGet's global packages folder as the machine's builds see it: NUGET_PACKAGES, else ~/.nuget/packages.
    private static string MachinePackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
