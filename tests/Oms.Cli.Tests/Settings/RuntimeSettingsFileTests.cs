using Oms.Cli.Arguments;
using Oms.Cli.Settings;

namespace Oms.Cli.Tests.Settings;

public sealed class RuntimeSettingsFileTests
{
    [Fact]
    public void Load_TheRepositoryFile_ParsesWithOnlyKnownKeys()
    {
        var path = Path.Combine(RepositoryRoot(), RuntimeSettingsFile.DefaultFileName);

        var settings = RuntimeSettingsFile.Load(path);

        Assert.Equal(path, settings.Path);
        Assert.Equal(8800, settings.GetInt("venue", "port", 0));
        Assert.Equal("v1", settings.GetString("engine", "profile", "?"));
        Assert.Equal(50, settings.GetDouble("engine", "rateLimitPerSecond", 0, 0, 1e6));
        Assert.Null(settings.GetOptionalString("engine", "accountGroup"));
        Assert.False(settings.GetBool("runtime", "gcServer", true));
    }

    [Fact]
    public void Parse_KnownKeys_ReturnsValuesAndDefaultsForAbsentOnes()
    {
        var settings = RuntimeSettingsFile.Parse("""{ "venue": { "port": 9000, "symbol": "ETH-PERP" } }""", "test.json");

        Assert.Equal(9000, settings.GetInt("venue", "port", 1));
        Assert.Equal("ETH-PERP", settings.GetString("venue", "symbol", "BTC-PERP"));
        Assert.Equal(100, settings.GetInt("venue", "maxConcurrentStreams", 100));
    }

    [Theory]
    [InlineData("""{ "venue": { "prot": 9000 } }""", "test.json: unknown key 'venue.prot'")]
    [InlineData("""{ "venu": {} }""", "test.json: unknown section 'venu'")]
    [InlineData("""{ "venue": 3 }""", "test.json: section 'venue' must be an object")]
    [InlineData("""[1]""", "test.json: the settings must be one JSON object")]
    public void Parse_UnknownOrMisshapen_ThrowsOneLineNamingIt(string text, string expected)
    {
        var error = Assert.Throws<UsageException>(() => RuntimeSettingsFile.Parse(text, "test.json"));

        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData("""{ "venue": { "port": "eighty" } }""")]
    [InlineData("""{ "venue": { "port": 70000 } }""")]
    [InlineData("""{ "venue": { "port": 1.5 } }""")]
    public void GetInt_BadValue_ThrowsNamingTheKey(string text)
    {
        var settings = RuntimeSettingsFile.Parse(text, "test.json");

        var error = Assert.Throws<UsageException>(() => settings.GetInt("venue", "port", 8800, 0, 65535));

        Assert.StartsWith("test.json: 'venue.port' must be a whole number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotJson_ThrowsOneLine()
    {
        var error = Assert.Throws<UsageException>(() => RuntimeSettingsFile.Parse("{ venue", "test.json"));

        Assert.StartsWith("test.json: not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Oms.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Oms.slnx not found above the test directory.");
    }
}
