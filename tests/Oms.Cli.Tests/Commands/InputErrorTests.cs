using Oms.Cli.Commands;

namespace Oms.Cli.Tests.Commands;

/// <summary>Input a user gets wrong stops the run with exit 2 and one line saying what, before anything connects.</summary>
public sealed class InputErrorTests
{
    private const string OrderId = "a18f1c2b3d4eU1234567890abcdefghi";

    [Theory]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("")]
    [InlineData("4?x")]
    public async Task Cancel_AccountGroupThatIsNotOnePathSegment_ExitsTwoNamingIt(string group)
    {
        var (exit, error) = await RunAsync(["cancel", "--base-url", "http://127.0.0.1:9", "--account-group", group, "--order-id", OrderId, "--symbol", "BTC-PERP"], "a-secret-of-some-length");

        Assert.Equal(2, exit);
        Assert.Equal(
            $"oms: AccountGroup must be one path segment of visible ASCII (no spaces, '/', '?' or '#'), not '{group}'.",
            error.TrimEnd());
    }

    [Theory]
    [InlineData("http://127.0.0.1:")]
    [InlineData("https://ascendex.com:/")]
    public async Task Cancel_UrlWithAColonAndNoPort_ExitsTwoInsteadOfUsingTheDefaultPort(string url)
    {
        var (exit, error) = await RunAsync(["cancel", "--base-url", url, "--account-group", "5", "--order-id", OrderId, "--symbol", "BTC-PERP"], "a-secret-of-some-length");

        Assert.Equal(2, exit);
        Assert.StartsWith($"oms: bad URL '{url}' for --base-url", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_MoreOrdersThanTheIdsFileHolds_ExitsTwoInsteadOfRunningFewer()
    {
        var ids = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(ids, [$"BTC-PERP {OrderId}", $"BTC-PERP {OrderId[..^1]}j"]);

            var (exit, error) = await RunAsync(["load", "--base-url", "http://127.0.0.1:9", "--account-group", "5", "--order-ids", ids, "--orders", "500"], "a-secret-of-some-length");

            Assert.Equal(2, exit);
            Assert.Equal($"oms: --orders 500 but {ids} holds 2 order ids: give at most that many, or leave --orders out to cancel them all", error.TrimEnd());
        }
        finally
        {
            File.Delete(ids);
        }
    }

    [Fact]
    public async Task Error_OneCharacterSecret_DoesNotMaskThatLetterAcrossTheMessage()
    {
        var (exit, error) = await RunAsync(["cancel", "--base-url", "http://127.0.0.1:9", "--account-group", "a b", "--order-id", OrderId, "--symbol", "BTC-PERP"], "s");

        Assert.Equal(2, exit);
        Assert.Contains("must be one path segment of visible ASCII (no spaces", error, StringComparison.Ordinal);
        Assert.DoesNotContain("***", error, StringComparison.Ordinal);
    }

    [Fact]
    public void OneLine_SecretOfRealLength_IsStillRedacted()
    {
        const string secret = "hV8FgjyJtpvVeAcMAgzgAFQCN36wmbWuN7o3WPcYcYhFd8qvE43gzFGVsFcCqMNk";
        var context = new CommandContext(TextWriter.Null, TextWriter.Null, name => name == CommandContext.ApiSecretVariable ? secret : null, CancellationToken.None);

        var line = CommandRunner.OneLine($"failed with {secret}\nand more", [], context);

        Assert.Equal("failed with *** and more", line);
    }

    private static async Task<(int Exit, string Error)> RunAsync(string[] args, string secret)
    {
        using var error = new StringWriter();
        var context = new CommandContext(
            TextWriter.Null,
            error,
            name => name switch
            {
                CommandContext.ApiKeyVariable => "key",
                CommandContext.ApiSecretVariable => secret,
                _ => null,
            },
            CancellationToken.None);
        var exit = await CommandRunner.RunAsync(args, context).WaitAsync(TimeSpan.FromSeconds(30));
        return (exit, error.ToString());
    }
}
