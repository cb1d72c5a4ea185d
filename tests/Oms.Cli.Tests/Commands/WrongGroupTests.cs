using static Oms.Cli.Tests.Commands.EngineRuns;

namespace Oms.Cli.Tests.Commands;

/// <summary>A wrong account group: the venue rejects everything 100001, and oms says in one line the group looks wrong.</summary>
[Collection(nameof(EngineCommandTests))]
public sealed class WrongGroupTests
{
    private const string Hint = "every cancel was rejected 100001 INVALID_HTTP_INPUT, which the venue answers to a path with another account's group (an account's group is data.accountGroup of GET /api/pro/v1/info): the account group '7' looks wrong";

    [Fact]
    public async Task Load_WrongAccountGroup_SaysTheGroupLooksWrong()
    {
        await using var venue = await StartVenueAsync();
        venue.Book.SeedGenerated(20, "BTC-PERP");
        var settings = Path.GetTempFileName();
        await File.WriteAllTextAsync(settings, """{ "engine": { "confirmation": { "deadlineMs": 500 } } }""");
        try
        {
            var (exit, _, error) = await RunAsync(
                ["load", "--settings", settings, "--base-url", venue.BaseUri.ToString(), "--account-group", "7", "--orders", "20", "--rate", "0", "--batch", "off"], Environment());

            // The venue decided every cancel, but refuses the status queries under the wrong group too: no fate is
            // confirmed by the deadline, so the run exits 6, and the hint names the likely cause.
            Assert.Equal(6, exit);
            Assert.Contains("oms: " + Hint, error, StringComparison.Ordinal);
            Assert.Contains("oms: 20 of 20 fates were not confirmed by the deadline", error, StringComparison.Ordinal);
            Assert.Equal(20, venue.Stats.Rejected);
        }
        finally
        {
            File.Delete(settings);
        }
    }

    [Fact]
    public async Task Cancel_WrongAccountGroup_SaysTheGroupLooksWrong()
    {
        await using var venue = await StartVenueAsync();
        var orderId = venue.Book.SeedGenerated(1, "BTC-PERP")[0];

        var (exit, output, error) = await RunAsync(["cancel", "--base-url", venue.BaseUri.ToString(), "--account-group", "7", "--order-id", orderId, "--symbol", "BTC-PERP"], Environment());

        Assert.Equal(0, exit);
        Assert.StartsWith("Err: 100001 INVALID_HTTP_INPUT", output, StringComparison.Ordinal);
        Assert.Equal("oms: " + Hint, error.TrimEnd());
    }

    [Fact]
    public async Task Load_RightAccountGroup_NoHint()
    {
        await using var venue = await StartVenueAsync();
        venue.Book.SeedGenerated(5, "BTC-PERP");

        var (_, _, error) = await RunAsync(["load", "--base-url", venue.BaseUri.ToString(), "--account-group", "5", "--orders", "5", "--rate", "0"], Environment());

        Assert.DoesNotContain("looks wrong", error, StringComparison.Ordinal);
    }
}
