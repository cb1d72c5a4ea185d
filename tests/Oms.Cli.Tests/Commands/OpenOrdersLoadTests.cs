using System.Text.Json;
using static Oms.Cli.Tests.Commands.EngineRuns;

namespace Oms.Cli.Tests.Commands;

/// <summary><c>oms load --open-orders</c>: cancel what the venue says is open, as against a real account.</summary>
[Collection(nameof(EngineCommandTests))]
public sealed class OpenOrdersLoadTests
{
    [Fact]
    public async Task Load_OpenOrders_CancelsEveryOrderTheVenueListsAndLeavesNoneOpen()
    {
        await using var venue = await StartVenueAsync();
        venue.Book.SeedGenerated(40, "BTC-PERP");
        venue.Book.SeedGenerated(10, "ETH-PERP");

        var (exit, output, error) = await RunAsync(["load", "--base-url", venue.BaseUri.ToString(), "--account-group", "5", "--open-orders", "--rate", "0", "--json"], Environment());

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal((50L, 50L), (json.RootElement.GetProperty("intents").GetInt64(), json.RootElement.GetProperty("acked").GetInt64()));
        Assert.Contains("oms: the venue lists 50 open orders", error, StringComparison.Ordinal);
        Assert.Equal((50L, 1L), (venue.Stats.Acked + venue.Stats.BatchOrders, venue.Stats.OpenOrdersRequests));
        Assert.Equal(0, venue.Book.OpenCount);
    }

    [Fact]
    public async Task Load_OpenOrdersWithOrders_CancelsAtMostThatMany()
    {
        await using var venue = await StartVenueAsync();
        venue.Book.SeedGenerated(30, "BTC-PERP");

        var (exit, _, error) = await RunAsync(["load", "--base-url", venue.BaseUri.ToString(), "--account-group", "5", "--open-orders", "--orders", "12", "--rate", "0"], Environment());

        Assert.True(exit == 0, error);
        Assert.Equal(12, venue.Stats.Acked + venue.Stats.BatchOrders);
        Assert.Equal(18, venue.Book.OpenCount);
    }

    [Fact]
    public async Task Load_OpenOrdersWrongSecret_ExitsThreeBeforeSendingACancel()
    {
        await using var venue = await StartVenueAsync();
        venue.Book.SeedGenerated(5, "BTC-PERP");

        var (exit, _, error) = await RunAsync(["load", "--base-url", venue.BaseUri.ToString(), "--account-group", "5", "--open-orders"], Environment("not-the-secret-0123456789"));

        Assert.Equal(3, exit);
        Assert.StartsWith("oms: the venue refused the credentials (200001 AUTHENTICATION_FAILED", error, StringComparison.Ordinal);
        Assert.Equal(0, venue.Stats.CancelRequests);
    }

    [Fact]
    public async Task Load_OpenOrdersWrongGroup_ExitsTwoAskingAboutTheGroup()
    {
        await using var venue = await StartVenueAsync();

        var (exit, _, error) = await RunAsync(["load", "--base-url", venue.BaseUri.ToString(), "--account-group", "7", "--open-orders"], Environment());

        Assert.Equal(2, exit);
        Assert.StartsWith("oms: the venue refused the open-orders query: 100001 INVALID_HTTP_INPUT", error, StringComparison.Ordinal);
        Assert.EndsWith("(is the account group right?)", error.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_OpenOrdersAndOrderIds_ExitsTwo()
    {
        var (exit, _, error) = await RunAsync(["load", "--base-url", "http://127.0.0.1:9", "--account-group", "5", "--open-orders", "--order-ids", "x.txt"], Environment());

        Assert.Equal(2, exit);
        Assert.Equal("oms: --order-ids and --open-orders both say what to cancel: give one", error.TrimEnd());
    }
}
