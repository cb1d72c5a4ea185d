namespace Oms.Cli.Tests.Settings;

public sealed class RuntimeKnobsTests
{
    [Fact]
    public void Desired_RuntimeSection_MapsEachKnobToItsDotnetVariable()
    {
        var file = RuntimeSettingsFile.Parse("""{ "runtime": { "gcServer": true, "gcConcurrent": false, "tieredPgo": false, "socketsInlineCompletions": true } }""", "t.json");

        var desired = RuntimeKnobs.Desired(file);

        Assert.Equal("1", desired["DOTNET_gcServer"]);
        Assert.Equal("0", desired["DOTNET_gcConcurrent"]);
        Assert.Equal("0", desired["DOTNET_TieredPGO"]);
        Assert.Equal("1", desired["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"]);
    }

    [Fact]
    public void Missing_EnvironmentAlreadyMatching_IsEmptyOtherwiseListsOnlyTheDifferences()
    {
        var desired = RuntimeKnobs.Desired(RuntimeSettingsFile.Parse("{}", "t.json"));
        var matching = new Dictionary<string, string>(desired);
        var partial = new Dictionary<string, string>(desired) { ["DOTNET_gcConcurrent"] = "1" };

        Assert.Empty(RuntimeKnobs.Missing(desired, matching));
        var missing = RuntimeKnobs.Missing(desired, partial);
        Assert.Equal(new[] { "DOTNET_gcConcurrent" }, missing.Keys);
        Assert.Equal("0", missing["DOTNET_gcConcurrent"]);
    }

    [Fact]
    public void Current_ThisProcess_ReportsTheGcItRunsWith()
    {
        var current = RuntimeKnobs.Current(_ => null);

        Assert.Equal(System.Runtime.GCSettings.IsServerGC ? "1" : "0", current["DOTNET_gcServer"]);
        Assert.Equal("0", current["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"]);
        Assert.Equal("1", RuntimeKnobs.Current(name => name == "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS" ? "1" : null)["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"]);
    }

    [Fact]
    public void Parse_KnobNotABoolean_ThrowsNamingTheKeyBeforeAnyKnobIsRead()
    {
        var error = Assert.Throws<UsageException>(() => RuntimeSettingsFile.Parse("""{ "runtime": { "gcServer": "yes" } }""", "t.json"));

        Assert.Equal("t.json:1:16: 'runtime.gcServer' must be true or false, not \"yes\"", error.Message);
    }
}
