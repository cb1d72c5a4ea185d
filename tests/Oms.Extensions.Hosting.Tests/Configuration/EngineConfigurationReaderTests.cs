using System.Text;
using Oms.Cli;
using Oms.Cli.Syntax;
using Oms.Cli.Settings;
using Oms.Engine.Settings;
using Oms.Extensions.Hosting.Configuration;

namespace Oms.Extensions.Hosting.Tests.Configuration;

/// <summary>The engine section read from a configuration: the oms command's keys, values, checks and words.</summary>
public sealed class EngineConfigurationReaderTests
{
    // Every key of the engine section, each away from its default (consumerCpu and caCertificate need a machine's CPU
    // and a file: they have tests of their own).
    private const string EveryKey = """
        {
          "engine": {
            "profile": "v2", "baseUrl": "http://127.0.0.1:8800", "accountGroup": "grp7", "ringSize": 1024, "waitStrategy": "sleeping", "waitSpinMicroseconds": 7, "readOnConsumer": false,
            "connections": 3, "requestTimeoutMs": 4000, "retryAttempts": 5, "retryBackoffMs": 150, "rateLimitPerSecond": 12.5,
            "rateLimitBurst": 7, "batchCancel": "off", "inFlightUntilKeyProven": 2, "startWithoutVenue": true, "consumerCpu": null,
            "orderStateCapacity": 4096, "orderStateRetentionSeconds": 40, "expiryMarginMs": 1500, "caCertificate": null,
            "maxResponseBodyBytes": 32768, "connectionReceiveWindowBytes": 2097152, "reconnectMinDelayMs": 200,
            "reconnectMaxDelayMs": 4000, "reconnectBackoffResetMs": 6000, "maxConsecutiveTimeouts": 4, "pingIntervalMs": 9000,
            "pingTimeoutMs": 2500, "maxHeaderBlockFrames": 16, "headerBlockTimeoutMs": 1500,
            "confirmation": { "enabled": false, "useStream": false, "streamWaitMs": 500, "deadlineMs": 20000, "recheckMs": 300, "maxIdsPerStatusRequest": 10, "capacity": 1000 }
          }
        }
        """;

    public static TheoryData<string> BadSections => new()
    {
        """{ "baseUrl": "https://ascendex.com", "accountGroup": "5", "ringSize": 1000 }""",
        """{ "baseUrl": "https://ascendex.com", "accountGroup": "5", "connections": 0 }""",
        """{ "baseUrl": "https://ascendex.com", "accountGroup": "5", "connections": "many" }""",
        """{ "baseUrl": "https://ascendex.com", "accountGroup": "5", "profile": "v3" }""",
        """{ "baseUrl": "https://ascendex.com", "accountGroup": "5", "waitStrategy": "spin" }""",
        """{ "baseUrl": "ftp://ascendex.com", "accountGroup": "5" }""",
        """{ "baseUrl": "https://ascendex.com:", "accountGroup": "5" }""",
        """{ "baseUrl": "https://ascendex.com", "accountGroup": "5", "batchCancel": "sometimes" }""",
        """{ "baseUrl": "https://ascendex.com", "accountGroup": "5", "startWithoutVenue": "yes" }""",
        """{ "baseUrl": "https://ascendex.com", "accountGroup": "5", "rateLimitPerSecond": -1 }""",
        """{ "baseUrl": "https://ascendex.com", "accountGroup": "5", "expiryMarginMs": 30000 }""",
        """{ "baseUrl": "https://ascendex.com", "accountGroup": "5", "consumerCpu": 5000 }""",
        """{ "baseUrl": "https://ascendex.com", "accountGroup": "5", "colour": "red" }""",
        """{ "baseUrl": "https://ascendex.com", "accountGroup": "5", "confirmation": { "deadlineMs": 0 } }""",
        """{ "baseUrl": "https://ascendex.com", "accountGroup": "5", "confirmation": { "colour": 1 } }""",
        """{ "baseUrl": "https://ascendex.com", "accountGroup": "5", "caCertificate": "/nonexistent/oms-ca.pem" }""",
        """{ "baseUrl": "https://ascendex.com", "accountGroup": "a/b" }""",
        """{ "baseUrl": "https://ascendex.com", "accountGroup": "5", "reconnectMinDelayMs": 500, "reconnectMaxDelayMs": 100 }""",
        """{ "baseUrl": "http://127.0.0.1:8800", "accountGroup": "5", "caCertificate": "%CA%" }""",
    };

    [Theory]
    [MemberData(nameof(BadSections))]
    public void Validation_BadValue_SameMessageAsTheOmsCommand(string engineSection)
    {
        var ca = Path.Combine(Path.GetTempPath(), $"oms-hosting-ca-{Guid.NewGuid():N}.pem");
        var json = $$"""{ "engine": {{engineSection.Replace("%CA%", ca, StringComparison.Ordinal)}} }""";
        try
        {
            File.WriteAllText(ca, "not a certificate");

            var expected = CliRefusal(json);
            var failures = HostingFailures(json);

            Assert.NotEmpty(failures);
            Assert.Equal(expected, failures[0]);
        }
        finally
        {
            File.Delete(ca);
        }
    }

    [Fact]
    public void Read_EveryKeyAwayFromItsDefault_TheSameSettingsAsTheOmsCommand()
    {
        var expected = CliSettings(EveryKey, accountGroup: null);

        var (settings, errors) = EngineConfigurationReader.Read(Json(EveryKey).GetSection("engine"), credentialsFromCallback: true);

        Assert.Empty(errors);
        Assert.Equal(expected, settings);
        Assert.NotEqual(new CancelEngineSettings { BaseUrl = expected.BaseUrl, AccountGroup = expected.AccountGroup }, settings);
    }

    [Fact]
    public void EveryKeyTest_CoversTheWholeSchema()
    {
        using var document = System.Text.Json.JsonDocument.Parse(EveryKey);
        var engine = document.RootElement.GetProperty("engine");

        Assert.Equal(EngineSettingsSchema.EngineKeys.Keys.Order(StringComparer.Ordinal), engine.EnumerateObject().Select(p => p.Name).Where(n => n != "confirmation").Order(StringComparer.Ordinal));
        Assert.Equal(EngineSettingsSchema.ConfirmationKeys.Keys.Order(StringComparer.Ordinal), engine.GetProperty("confirmation").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Read_TheRepositoryRuntimeSettings_TheSameSettingsAsTheOmsCommand()
    {
        var text = File.ReadAllText(Path.Combine(Oms.Testing.Files.Repository.Root(), RuntimeSettingsFile.DefaultFileName));
        var expected = CliSettings(text, accountGroup: "5");
        var configuration = new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(text)))
            .AddInMemoryCollection(new Dictionary<string, string?> { ["engine:accountGroup"] = "5" })
            .Build();

        var (settings, errors) = EngineConfigurationReader.Read(configuration.GetSection("engine"), credentialsFromCallback: true);

        Assert.Empty(errors);
        Assert.Equal(expected, settings);
    }

    [Fact]
    public void Read_KeysInAnyCaseAsEnvironmentVariablesGiveThem_AreRead()
    {
        var configuration = Memory(new()
        {
            ["ENGINE:BASEURL"] = "https://ascendex.com",
            ["engine:AccountGroup"] = "5",
            ["Engine:RINGSIZE"] = "1024",
            ["engine:Confirmation:DeadlineMs"] = "1500",
            ["engine:consumerCpu"] = "3",
        });

        var (settings, errors) = EngineConfigurationReader.Read(configuration.GetSection("engine"), credentialsFromCallback: true);

        Assert.Empty(errors);
        Assert.Equal((1024, TimeSpan.FromMilliseconds(1500), (int?)3), (settings!.RingSize, settings.Confirmation.Deadline, settings.ConsumerCpu));
    }

    [Fact]
    public void Read_NestedSection_NamedByItsPathWithDots()
    {
        var configuration = Memory(new() { ["oms:engine:baseUrl"] = "https://ascendex.com", ["oms:engine:accountGroup"] = "5", ["oms:engine:ringSize"] = "3" });

        var (_, errors) = EngineConfigurationReader.Read(configuration.GetSection("oms:engine"), credentialsFromCallback: true);

        Assert.StartsWith("'oms.engine.ringSize' must be a power of two", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SeveralBadKeys_EachReported()
    {
        var configuration = Memory(new() { ["engine:ringSize"] = "3", ["engine:connections"] = "0", ["engine:colour"] = "red" });

        var (settings, errors) = EngineConfigurationReader.Read(configuration.GetSection("engine"), credentialsFromCallback: true);

        Assert.Null(settings);
        Assert.Equal(
            ["unknown key 'engine.colour'", "'engine.connections' must be a whole number between 1 and 64, not 0", "'engine.ringSize' must be a power of two between 2 and 16777216, not 3", "no venue: set 'engine.baseUrl'", "no account group: set 'engine.accountGroup'"],
            errors);
    }

    [Fact]
    public void Read_NoCredentialsAndNoCallback_SaysWhereToPutThem()
    {
        var configuration = Memory(new() { ["engine:baseUrl"] = "https://ascendex.com", ["engine:accountGroup"] = "5" });

        var (_, errors) = EngineConfigurationReader.Read(configuration.GetSection("engine"), credentialsFromCallback: false);

        Assert.Contains("'engine.credentials.apiKey' and 'engine.credentials.apiSecret'", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CredentialsInConfigurationAndACallback_Refused()
    {
        var configuration = Memory(new() { ["engine:baseUrl"] = "https://ascendex.com", ["engine:accountGroup"] = "5", ["engine:credentials:apiKey"] = "k", ["engine:credentials:apiSecret"] = "s" });

        var (_, errors) = EngineConfigurationReader.Read(configuration.GetSection("engine"), credentialsFromCallback: true);

        Assert.Contains("credentials callback", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BadCredentials_RefusedWithoutShowingThem()
    {
        const string key = "key with spaces 7Hq";
        const string secret = "S3cret-never-shown-9Zx";
        var configuration = Memory(new()
        {
            ["engine:baseUrl"] = "https://ascendex.com",
            ["engine:accountGroup"] = "5",
            ["engine:credentials:apiKey"] = key,
            ["engine:credentials:apiSecret"] = secret,
            ["engine:credentials:apiSecrt"] = secret,
        });

        var (_, errors) = EngineConfigurationReader.Read(configuration.GetSection("engine"), credentialsFromCallback: false);

        Assert.Equal(2, errors.Count);
        Assert.Contains("unknown key 'engine.credentials.apiSecrt'", errors);
        Assert.Contains(errors, error => error.Contains("visible ASCII", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, error => error.Contains(secret, StringComparison.Ordinal) || error.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public void ShowText_ConfigurationValues_ShownAsTheJsonTheyCameFrom()
    {
        Assert.Equal(["null", "true", "12", "-1.5", "\"many\"", "\"a \\\"q\\\"\""], new[] { "", "True", "12", "-1.5", "many", "a \"q\"" }.Select(SettingSpec.ShowText));
    }

    private static IConfiguration Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    private static IConfiguration Memory(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    // What the hosting package reports, through the options' validation as the host runs it at start.
    private static IReadOnlyList<string> HostingFailures(string json) =>
        EngineHosts.ValidationFailures(Json(json).AsEnumerable().ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal), credentialsFromCallback: true);

    // The oms command's message for the same file, without the file name it starts with when the file is at fault.
    private static string CliRefusal(string json)
    {
        // The command names the file and the key's place in it (test.json:line:column:); configuration has no file.
        var error = Assert.Throws<UsageException>(() => CliSettings(json, accountGroup: null));
        var place = System.Text.RegularExpressions.Regex.Match(error.Message, @"^test\.json(:\d+:\d+)?: ");
        return place.Success ? error.Message[place.Length..] : error.Message;
    }

    private static CancelEngineSettings CliSettings(string json, string? accountGroup) =>
        EngineSettingsReader.Read(RuntimeSettingsFile.Parse(json, "test.json"), OptionValues.Parse(["load"]), baseUrl: null, accountGroup, rate: null, caCertificate: null);
}
