using System.Text.Json;

namespace Oms.Cli.Tests.Commands;

/// <summary>cancel-all against the venue simulator: the report, its JSON, and every exit code.</summary>
[Collection(nameof(EngineCommandTests))]
public sealed class CancelAllCommandTests
{
    [Fact]
    public async Task CancelAll_TwoThousandOrdersFillsRacingAndSurvivors_ExitsZeroAndTheBookHasNoOpenOrder()
    {
        var options = new VenueOptions
        {
            Credentials = Credentials,
            FillBeforeCancelShare = 0.05,
            FillAfterAckShare = 0.05,
            CancelDelayMs = 2,
            Faults = new VenueFaults { CancelAllSurvivorShare = 0.05, CancelAllSurvivorWindowMs = 600_000 },
        };
        await using var venue = await VenueServer.StartAsync(options);
        var ids = venue.Book.SeedGenerated(2_000, "BTC-PERP");

        var (exit, output, error) = await RunAsync(["cancel-all", "--base-url", venue.BaseUri.ToString(), "--account-group", "5", "--deadline-ms", "60000", "--json"], Environment());

        Assert.True(exit == 0, $"exit {exit}: {error}; {output}");
        Assert.Equal(0, venue.Book.OpenCount);
        Assert.True(venue.Stats.CancelAllSurvivors > 0, "the survivor fault spared nothing");
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(ids.Count, root.GetProperty("openBefore").GetInt32());
        Assert.Equal(ids.Count(id => venue.Book.GetState(id) == Oms.Venue.Book.OrderBookState.Canceled), root.GetProperty("canceled").GetInt32());
        var filled = root.GetProperty("filled").GetInt32();
        Assert.True(filled > 0, output);
        Assert.Equal(ids.Count(id => venue.Book.GetState(id) == Oms.Venue.Book.OrderBookState.Filled), filled);
        Assert.Equal(0, root.GetProperty("remaining").GetInt32());
        Assert.Equal(0, root.GetProperty("remainingIds").GetArrayLength());
        Assert.True(root.GetProperty("flat").GetBoolean());
        Assert.True(root.GetProperty("followUpCancels").GetInt32() > 0, output);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("problem").ValueKind);
    }

    [Fact]
    public async Task CancelAll_StatusEndpointFailing_ExitsOneAndNamesWhatItCouldNotProve()
    {
        var options = new VenueOptions { Credentials = Credentials, CancelDelayMs = 1, Faults = new VenueFaults { StatusFails = true } };
        await using var venue = await VenueServer.StartAsync(options);
        var ids = venue.Book.SeedGenerated(30, "BTC-PERP");

        var (exit, output, error) = await RunAsync(["cancel-all", "--base-url", venue.BaseUri.ToString(), "--account-group", "5", "--deadline-ms", "20000"], Environment());

        Assert.Equal((int)ExitCode.Undecided, exit);
        Assert.Contains("NOT proven", output, StringComparison.Ordinal);
        Assert.Contains("oms: not proven flat: the order status query failed", error, StringComparison.Ordinal);
        Assert.Contains("not confirmed canceled or filled: 30", error, StringComparison.Ordinal);
        Assert.Contains(ids[0], error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelAll_OrdersThatStayOpenPastTheDeadline_ExitsOneNamingThemInTheJson()
    {
        var options = new VenueOptions { Credentials = Credentials, CancelDelayMs = 600_000 };
        await using var venue = await VenueServer.StartAsync(options);
        var ids = venue.Book.SeedGenerated(5, "BTC-PERP");

        var (exit, output, error) = await RunAsync(["cancel-all", "--base-url", venue.BaseUri.ToString(), "--account-group", "5", "--deadline-ms", "500", "--json"], Environment());

        Assert.Equal((int)ExitCode.Undecided, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(5, json.RootElement.GetProperty("remaining").GetInt32());
        Assert.Equal(ids.Order(StringComparer.Ordinal), json.RootElement.GetProperty("remainingIds").EnumerateArray().Select(id => id.GetString()!).Order(StringComparer.Ordinal));
        Assert.False(json.RootElement.GetProperty("flat").GetBoolean());
        Assert.Contains("deadline", json.RootElement.GetProperty("problem").GetString(), StringComparison.Ordinal);
        Assert.Contains("still open: 5", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelAll_OneSymbol_LeavesTheOthersAndExitsZero()
    {
        await using var venue = await StartVenueAsync();
        venue.Book.SeedGenerated(20, "BTC-PERP");
        venue.Book.SeedGenerated(7, "ETH-PERP");

        var (exit, output, error) = await RunAsync(["cancel-all", "--base-url", venue.BaseUri.ToString(), "--account-group", "5", "--symbol", "BTC-PERP"], Environment());

        Assert.True(exit == 0, error);
        Assert.Matches(@"open before\s+20", output);
        Assert.Matches(@"canceled\s+20", output);
        Assert.Equal(7, venue.Book.OpenCount);
    }

    [Fact]
    public async Task CancelAll_WrongSecret_ExitsThree()
    {
        await using var venue = await StartVenueAsync();
        venue.Book.SeedGenerated(3, "BTC-PERP");

        var (exit, _, error) = await RunAsync(["cancel-all", "--base-url", venue.BaseUri.ToString(), "--account-group", "5"], Environment("a-wrong-secret-for-cancel-all-0123456789"));

        Assert.Equal((int)ExitCode.CredentialsRefused, exit);
        Assert.Contains("refused the credentials", error, StringComparison.Ordinal);
        Assert.Equal(3, venue.Book.OpenCount);
    }

    [Fact]
    public async Task CancelAll_NothingListening_ExitsFour()
    {
        var (exit, _, error) = await RunAsync(["cancel-all", "--base-url", $"http://127.0.0.1:{ClosedPort()}", "--account-group", "5"], Environment());

        Assert.Equal((int)ExitCode.Unreachable, exit);
        Assert.Contains("cannot reach the venue", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelAll_BadDeadline_ExitsTwo()
    {
        var (exit, _, error) = await RunAsync(["cancel-all", "--base-url", "http://127.0.0.1:1", "--account-group", "5", "--deadline-ms", "0"], Environment());

        Assert.Equal((int)ExitCode.Usage, exit);
        Assert.Contains("--deadline-ms", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsCancelAllAndItsOptions()
    {
        var (overviewExit, overview, _) = await RunAsync(["--help"]);
        var (exit, help, _) = await RunAsync(["cancel-all", "--help"]);

        Assert.Equal(0, overviewExit);
        Assert.Contains("cancel-all", overview, StringComparison.Ordinal);
        Assert.Equal(0, exit);
        Assert.All(new[] { "--symbol", "--deadline-ms", "--json", "--ca-cert" }, option => Assert.Contains(option, help, StringComparison.Ordinal));
    }
}
