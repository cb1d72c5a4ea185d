using System.Reflection;

namespace Oms.Packaging.Tests;

/// <summary>
/// The packable projects packed once for the test collection, with <c>dotnet pack --no-build</c> in the configuration
/// these tests were built in (their project references built the projects), into a temporary folder deleted at the end.
/// </summary>
public sealed class PackedPackages : IAsyncLifetime
{
    /// <summary>The package ids, each the project folder's name under <c>src/</c>.</summary>
    public static readonly string[] Ids = ["Oms.Engine", "Oms.Transport", "Oms.Venue", "Oms.Extensions.Hosting", "Oms.Cli"];

    private static readonly TimeSpan s_packLimit = TimeSpan.FromSeconds(90);

    /// <summary>The folder holding every .nupkg and .snupkg.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("oms-packages-").FullName;

    /// <summary>The version every package is expected to carry: Directory.Build.props' <c>Version</c>.</summary>
    public string Version { get; } = BuildProperty("Version");

    /// <summary>The repository URL every package is expected to publish: Directory.Build.props' <c>OmsRepositoryUrl</c>.</summary>
    public string RepositoryUrl { get; } = BuildProperty("OmsRepositoryUrl");

    public async Task InitializeAsync()
    {
        var configuration = typeof(PackedPackages).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        foreach (var id in Ids)
        {
            var project = Path.Combine(Repository.Root(), "src", id, id + ".csproj");
            var result = await ChildProcess.RunAsync(ChildProcess.Dotnet, ["pack", project, "-c", configuration, "--no-build", "-o", Folder, "-nologo"], s_packLimit);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet pack {id} failed: {result}");
            }
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>The path of package <paramref name="id"/> (<c>.nupkg</c>) or its symbols (<c>.snupkg</c>).</summary>
    public string PathOf(string id, string extension = ".nupkg") => Path.Combine(Folder, $"{id}.{Version}{extension}");

    // The first value of a property in the root Directory.Build.props (the unconditional default).
    private static string BuildProperty(string name)
    {
        var props = XDocument.Load(Path.Combine(Repository.Root(), "Directory.Build.props"));
        return props.Descendants(name).First().Value;
    }
}
