using System.Reflection.Metadata;
using System.Text;
using System.Text.RegularExpressions;

namespace Oms.Packaging.Tests;

[Collection(PackagesCollection.Name)]
public sealed partial class PackageMetadataTests(PackedPackages packages)
{
    // The kind of the custom debug information that holds a PDB's SourceLink JSON (the Portable PDB specification).
    private static readonly Guid s_sourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    public static TheoryData<string> Ids => [.. PackedPackages.Ids];

    [Theory]
    [MemberData(nameof(Ids))]
    public void Package_Packed_CarriesIdVersionLicenceAndUrls(string id)
    {
        using var package = new NuspecReader(packages.PathOf(id));

        Assert.Equal(id, package.Value("id"));
        Assert.Equal(packages.Version, package.Value("version"));
        var license = package.Element("license");
        Assert.NotNull(license);
        Assert.Equal(("expression", "MIT"), ((string?)license.Attribute("type"), license.Value));
        Assert.Equal(packages.RepositoryUrl, package.Value("projectUrl"));
        var repository = package.Element("repository");
        Assert.NotNull(repository);
        Assert.Equal(("git", packages.RepositoryUrl), ((string?)repository.Attribute("type"), (string?)repository.Attribute("url")));
        Assert.Contains("LICENSE", package.Files);
        Assert.Contains("Permission is hereby granted", package.ReadText("LICENSE"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Package_Packed_HoldsTheReadmeItsNuspecNames(string id)
    {
        using var package = new NuspecReader(packages.PathOf(id));

        var readme = package.Value("readme");

        Assert.Equal("README.md", readme);
        Assert.Contains("README.md", package.Files);

        // The package README (PACKAGE.md), written for users of the package, not the folder's README for its developers.
        var text = package.ReadText("README.md");
        Assert.StartsWith("# " + id, text, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Path.Combine(Repository.Root(), "src", id, "PACKAGE.md")), text);
    }

    [Fact]
    public void ToolPackage_Packed_IsADotnetToolRunningOms()
    {
        using var package = new NuspecReader(packages.PathOf("Oms.Cli"));

        Assert.Equal(["DotnetTool"], package.Descendants("packageType").Select(t => (string?)t.Attribute("name")));
        var settingsPath = Assert.Single(package.Files, f => f.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
        var command = XDocument.Parse(package.ReadText(settingsPath)).Descendants("Command").Single();
        Assert.Equal(("oms", "oms.dll"), ((string?)command.Attribute("Name"), (string?)command.Attribute("EntryPoint")));
        Assert.Contains(Path.GetDirectoryName(settingsPath)!.Replace('\\', '/') + "/oms.dll", package.Files);

        // A tool carries what it runs: the engine and the simulator travel inside it, not as package dependencies.
        Assert.Empty(package.Descendants("dependency"));
    }

    [Fact]
    public void EnginePackage_Packed_DependsOnTheTransportOfTheSameVersion()
    {
        using var package = new NuspecReader(packages.PathOf("Oms.Engine"));

        var transport = package.Descendants("dependency").Single(d => (string?)d.Attribute("id") == "Oms.Transport");

        Assert.Equal(packages.Version, (string?)transport.Attribute("version"));
    }

    [GitCheckoutTheory]
    [MemberData(nameof(Ids))]
    public void SymbolPackage_Packed_HoldsPdbsWhoseSourceLinkPointsAtTheRepositoryCommit(string id)
    {
        string commit;
        using (var package = new NuspecReader(packages.PathOf(id)))
        {
            commit = (string?)package.Element("repository")?.Attribute("commit") ?? "";
        }

        Assert.Matches("^[0-9a-f]{40}$", commit);
        using var symbols = ZipFile.OpenRead(packages.PathOf(id, ".snupkg"));
        var assembly = id == "Oms.Cli" ? "oms" : id;
        var pdb = Assert.Single(symbols.Entries, e => e.Name == assembly + ".pdb");

        var sourceLink = ReadSourceLink(pdb);

        // GitHub's SourceLink maps every file under the repository root to its raw content at the packed commit.
        var repository = new Uri(packages.RepositoryUrl);
        Assert.Equal("github.com", repository.Host);
        var expected = $"https://raw.githubusercontent.com{repository.AbsolutePath.TrimEnd('/')}/{commit}/*";
        Assert.Contains(expected, SourceLinkTargets().Matches(sourceLink).Select(m => m.Groups[1].Value));
    }

    private static string ReadSourceLink(ZipArchiveEntry pdb)
    {
        using var buffer = new MemoryStream();
        using (var stream = pdb.Open())
        {
            stream.CopyTo(buffer);
        }

        buffer.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(buffer);
        var reader = provider.GetMetadataReader();
        foreach (var handle in reader.CustomDebugInformation)
        {
            var information = reader.GetCustomDebugInformation(handle);
            if (reader.GetGuid(information.Kind) == s_sourceLinkKind)
            {
                return Encoding.UTF8.GetString(reader.GetBlobBytes(information.Value));
            }
        }

        throw new Xunit.Sdk.XunitException($"{pdb.Name} has no SourceLink");
    }

    // The targets of SourceLink's "documents" map: {"documents":{"<local path>/*":"<url>/*"}}.
    [GeneratedRegex("\"[^\"]*\"\\s*:\\s*\"(https://[^\"]*)\"")]
    private static partial Regex SourceLinkTargets();
}
