using System.Reflection;

namespace Oms.Cli.Tests.Syntax;

/// <summary>What the parser gives the whole command line: generated help with the credentials and exit codes, --version, completion.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task Help_Overview_ListsEveryCommandTheCredentialVariablesAndResponseFiles()
    {
        var (exit, output, error) = await RunAsync("--help");

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.All(CommandCatalog.Names, name => Assert.Contains($"  {name} ", output, StringComparison.Ordinal));
        Assert.Contains(CommandContext.ApiKeyVariable, output, StringComparison.Ordinal);
        Assert.Contains(CommandContext.ApiSecretVariable, output, StringComparison.Ordinal);
        Assert.Contains("@", output, StringComparison.Ordinal);
        Assert.Contains("--version", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("load", true)]
    [InlineData("cancel", true)]
    [InlineData("cancel-all", true)]
    [InlineData("status", true)]
    [InlineData("demo", false)]
    [InlineData("venue", false)]
    public async Task Help_Command_ListsItsOptionsAndNamesTheCredentialsWhenItReadsThem(string command, bool readsCredentials)
    {
        var (exit, output, _) = await RunAsync(command, "-h");

        Assert.Equal(0, exit);
        Assert.All(CommandCatalog.Find(command).Options, option => Assert.Contains(option.Name, output, StringComparison.Ordinal));
        Assert.Equal(readsCredentials, output.Contains(CommandContext.ApiSecretVariable, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Help_Load_ShowsValueNamesAndTheReportOptions()
    {
        var (_, output, _) = await RunAsync("load", "--help");

        Assert.Contains("--orders <N>", output, StringComparison.Ordinal);
        Assert.Contains("--report <FILE.html>", output, StringComparison.Ordinal);
        Assert.Contains("--histograms <DIR>", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoArguments_OverviewOnStderrAndExitTwo()
    {
        var (exit, output, error) = await RunAsync();

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("demo", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_PrintsThisAssemblysInformationalVersion()
    {
        var expected = typeof(CommandRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        var (exit, output, _) = await RunAsync("--version");

        Assert.Equal(0, exit);
        Assert.Equal(expected, output.TrimEnd());
    }

    [Fact]
    public async Task BadOption_ExitsTwoWithOneLineAndAHintNeverAStackTrace()
    {
        var (exit, output, error) = await RunAsync("load", "--base-url", "http://127.0.0.1:9", "--ordrs", "5");

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal("oms: unknown option '--ordrs' (try 'oms load --help')", error.TrimEnd());
    }

    [Fact]
    public async Task BadOption_NextToAnApiSecret_NeverPrintsTheSecret()
    {
        const string secret = "hV8FgjyJtpvVeAcMAgzgAFQCN36w";

        var (exit, _, error) = await RunAsync("venue", "--api-secret", secret, "--port", "x1", "--bogus", secret);

        Assert.Equal(2, exit);
        Assert.DoesNotContain(secret, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuggestDirective_PartialOption_CompletesFromTheCommandsOwnOptions()
    {
        var (exit, output, _) = await RunAsync("[suggest:13]", "load --wait-s");

        Assert.Equal(0, exit);
        Assert.Equal(["--wait-spin-us", "--wait-strategy"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task SuggestDirective_ProfileValue_CompletesTheProfiles()
    {
        var (exit, output, _) = await RunAsync("[suggest:16]", "load --profile v");

        Assert.Equal(0, exit);
        Assert.Equal(["v1", "v2"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandRunner.RunAsync(args, output, error, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        return (exit, output.ToString(), error.ToString());
    }
}
