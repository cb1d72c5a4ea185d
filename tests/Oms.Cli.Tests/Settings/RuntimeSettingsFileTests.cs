namespace Oms.Cli.Tests.Settings;

public sealed class RuntimeSettingsFileTests
{
    [Fact]
    public void Load_TheRepositoryFile_ParsesWithOnlyKnownKeys()
    {
        var path = Path.Combine(Oms.Testing.Files.Repository.Root(), RuntimeSettingsFile.DefaultFileName);

        var settings = RuntimeSettingsFile.Load(path);

        Assert.Equal(path, settings.Path);
        Assert.Equal(8800, settings.GetInt("venue", "port", 0));
        Assert.Equal("v1", settings.GetString("engine", "profile", "?"));
        Assert.Equal(50, settings.GetDouble("engine", "rateLimitPerSecond", 0));
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
    [InlineData("""{ "engine": { "confirmation": { "deadline": 5 } } }""", "test.json: unknown key 'engine.confirmation.deadline'")]
    [InlineData("""{ "engine": { "confirmation": true } }""", "test.json: section 'engine.confirmation' must be an object")]
    [InlineData("""{ "engine.confirmation": { "enabled": true } }""", "test.json: unknown section 'engine.confirmation'")]
    public void Parse_UnknownOrMisshapen_ThrowsOneLineNamingIt(string text, string expected)
    {
        var error = Assert.Throws<UsageException>(() => RuntimeSettingsFile.Parse(text, "test.json"));

        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData("""{ "venue": { "port": "eighty" } }""", "'venue.port' must be a whole number between 0 and 65535, not \"eighty\"")]
    [InlineData("""{ "venue": { "port": 70000 } }""", "'venue.port' must be a whole number between 0 and 65535, not 70000")]
    [InlineData("""{ "venue": { "port": 1.5 } }""", "'venue.port' must be a whole number between 0 and 65535, not 1.5")]
    [InlineData("""{ "engine": { "ringSize": "lots" } }""", "'engine.ringSize' must be a power of two between 2 and 16777216, not \"lots\"")]
    [InlineData("""{ "engine": { "ringSize": 1000 } }""", "'engine.ringSize' must be a power of two between 2 and 16777216, not 1000")]
    [InlineData("""{ "engine": { "baseUrl": "ftp://x" } }""", "'engine.baseUrl' must be the venue's base URL")]
    [InlineData("""{ "engine": { "baseUrl": "https://ascendex.com/api" } }""", "'engine.baseUrl' must be the venue's base URL")]
    [InlineData("""{ "engine": { "profile": "v3" } }""", "'engine.profile' must be v1 or v2, not \"v3\"")]
    [InlineData("""{ "engine": { "waitStrategy": "nap" } }""", "'engine.waitStrategy' must be spin-then-park, busy-spin, yielding, sleeping or blocking, not \"nap\"")]
    [InlineData("""{ "engine": { "rateLimitPerSecond": -1 } }""", "'engine.rateLimitPerSecond' must be a number between 0 and 1000000, not -1")]
    [InlineData("""{ "engine": { "orderStateCapacity": 33554432 } }""", "'engine.orderStateCapacity' must be a whole number between 16 and 16777216, not 33554432")]
    [InlineData("""{ "engine": { "accountGroup": 7 } }""", "'engine.accountGroup' must be a non-empty string or null, not 7")]
    [InlineData("""{ "engine": { "caCertificate": "" } }""", "'engine.caCertificate' must be a file name or null, not \"\"")]
    [InlineData("""{ "runtime": { "gcServer": "yes" } }""", "'runtime.gcServer' must be true or false, not \"yes\"")]
    [InlineData("""{ "engine": { "startWithoutVenue": "yes" } }""", "'engine.startWithoutVenue' must be true or false, not \"yes\"")]
    [InlineData("""{ "engine": { "inFlightUntilKeyProven": -1 } }""", "'engine.inFlightUntilKeyProven' must be a whole number between 0 and 1000000, not -1")]
    [InlineData("""{ "engine": { "consumerCpu": -1 } }""", "'engine.consumerCpu' must be a whole number between 0 and 1023, or null, not -1")]
    [InlineData("""{ "engine": { "consumerCpu": "1" } }""", "'engine.consumerCpu' must be a whole number between 0 and 1023, or null, not \"1\"")]
    [InlineData("""{ "venue": { "symbol": null } }""", "'venue.symbol' must be a non-empty string, not null")]
    [InlineData("""{ "engine": { "confirmation": { "enabled": "no" } } }""", "'engine.confirmation.enabled' must be true or false, not \"no\"")]
    [InlineData("""{ "engine": { "confirmation": { "deadlineMs": 0 } } }""", "'engine.confirmation.deadlineMs' must be a whole number between 1 and 600000, not 0")]
    [InlineData("""{ "engine": { "confirmation": { "maxIdsPerStatusRequest": 101 } } }""", "'engine.confirmation.maxIdsPerStatusRequest' must be a whole number between 1 and 100, not 101")]
    [InlineData("""{ "engine": { "confirmation": { "streamWaitMs": -1 } } }""", "'engine.confirmation.streamWaitMs' must be a whole number between 0 and 60000, not -1")]
    public void Parse_BadValueOfAnyKey_ThrowsAtLoadNamingTheKey(string text, string expected)
    {
        var error = Assert.Throws<UsageException>(() => RuntimeSettingsFile.Parse(text, "test.json"));

        Assert.StartsWith("test.json: " + expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Parse_LongBadValue_IsCutInTheMessage()
    {
        var error = Assert.Throws<UsageException>(() => RuntimeSettingsFile.Parse($$"""{ "venue": { "port": "{{new string('x', 500)}}" } }""", "test.json"));

        Assert.EndsWith("...", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 200, error.Message);
    }

    [Fact]
    public void Schema_EveryKeyOfTheRepositoryFile_IsInTheSchemaAndBackToFront()
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Oms.Testing.Files.Repository.Root(), RuntimeSettingsFile.DefaultFileName)));
        var inFile = Keys(document.RootElement, prefix: null).Order(StringComparer.Ordinal);
        var inSchema = RuntimeSettingsFile.Schema.SelectMany(s => s.Value.Keys.Select(k => s.Key + "." + k)).Order(StringComparer.Ordinal);

        Assert.Equal(inSchema, inFile);
    }

    [Fact]
    public void Parse_NestedConfirmationSection_IsReadUnderItsDottedName()
    {
        var settings = RuntimeSettingsFile.Parse("""{ "engine": { "ringSize": 1024, "confirmation": { "deadlineMs": 500, "useStream": false } } }""", "test.json");

        Assert.Equal((1024, 500, false, 20), (
            settings.GetInt("engine", "ringSize", 0),
            settings.GetInt("engine.confirmation", "deadlineMs", 0),
            settings.GetBool("engine.confirmation", "useStream", true),
            settings.GetInt("engine.confirmation", "maxIdsPerStatusRequest", 20)));
    }

    // Every leaf key of the file under its dotted name (engine.confirmation.deadlineMs), comments left out.
    private static IEnumerable<string> Keys(System.Text.Json.JsonElement section, string? prefix) =>
        section.EnumerateObject().Where(k => !k.Name.StartsWith('$')).SelectMany(k =>
        {
            var name = prefix is null ? k.Name : prefix + "." + k.Name;
            return k.Value.ValueKind == System.Text.Json.JsonValueKind.Object ? Keys(k.Value, name) : [name];
        });

    [Fact]
    public void Parse_NotJson_ThrowsOneLine()
    {
        var error = Assert.Throws<UsageException>(() => RuntimeSettingsFile.Parse("{ venue", "test.json"));

        Assert.StartsWith("test.json: not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
