using System.Text.Json;

namespace Oms.Cli.Tests.Commands;

/// <summary><c>oms status</c> against the in-process simulator: what the venue says of each order, and every exit code.</summary>
[Collection(nameof(EngineCommandTests))]
public sealed class StatusCommandTests
{
    [Fact]
    public async Task Status_KnownAndUnknownIds_PrintsEachInTheOrderGivenWithNotFoundForTheUnknown()
    {
        await using var venue = await StartVenueAsync();
        var known = venue.Book.SeedGenerated(2, "ETH-PERP");
        var stranger = new string('f', 32);

        var (exit, output, error) = await RunAsync(
            ["status", "--base-url", venue.BaseUri.ToString(), "--account-group", "5", "--order-id", known[1], "--order-id", stranger, "--order-id", known[0]], Environment());

        Assert.True(exit == 0, error);
        Assert.Equal(
            [$"{known[1]}  ETH-PERP  New", $"{stranger}  not found", $"{known[0]}  ETH-PERP  New"],
            output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'));
        Assert.Equal(1, venue.Stats.StatusRequests);
    }

    [Fact]
    public async Task Status_Json_PrintsOneArrayWithNotFoundForTheUnknown()
    {
        await using var venue = await StartVenueAsync();
        var known = venue.Book.SeedGenerated(1, "BTC-PERP")[0];
        var stranger = new string('0', 32);

        var (exit, output, error) = await RunAsync(
            ["status", "--base-url", venue.BaseUri.ToString(), "--account-group", "5", "--order-id", known, "--order-id", stranger, "--json"], Environment());

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var orders = json.RootElement.EnumerateArray().Select(o => (o.GetProperty("orderId").GetString(), o.GetProperty("symbol").GetString(), o.GetProperty("status").GetString())).ToList();
        Assert.Equal([(known, "BTC-PERP", "New"), (stranger, null, "NotFound")], orders);
    }

    [Fact]
    public async Task Status_AfterACancel_SaysCanceled()
    {
        await using var venue = await StartVenueAsync();
        var order = venue.Book.SeedGenerated(1, "BTC-PERP")[0];
        var (cancelExit, _, cancelError) = await RunAsync(
            ["cancel", "--base-url", venue.BaseUri.ToString(), "--account-group", "5", "--order-id", order, "--symbol", "BTC-PERP"], Environment());
        Assert.True(cancelExit == 0, cancelError);

        var (exit, output, error) = await RunAsync(["status", "--base-url", venue.BaseUri.ToString(), "--account-group", "5", "--order-id", order, "--json"], Environment());

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("Canceled", json.RootElement[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Status_MoreIdsThanOneRequestCarries_AsksInBatchesAndFindsThemAll()
    {
        await using var venue = await StartVenueAsync();
        var known = venue.Book.SeedGenerated(45, "BTC-PERP");

        var (exit, output, error) = await RunAsync(
            ["status", "--base-url", venue.BaseUri.ToString(), "--account-group", "5", .. known.SelectMany(id => new[] { "--order-id", id }), "--json"], Environment());

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(known, json.RootElement.EnumerateArray().Select(o => o.GetProperty("orderId").GetString()));
        Assert.All(json.RootElement.EnumerateArray(), o => Assert.Equal("New", o.GetProperty("status").GetString()));

        // 20 ids a request by default (engine.confirmation.maxIdsPerStatusRequest).
        Assert.Equal(3, venue.Stats.StatusRequests);
    }

    [Fact]
    public async Task Status_NoOrderId_ExitsTwo()
    {
        var (exit, output, error) = await RunAsync(["status", "--base-url", "http://127.0.0.1:9", "--account-group", "5"], Environment());

        Assert.Equal(2, exit);
        Assert.Equal("oms: --order-id is required (give it once per order)", error.TrimEnd());
        Assert.Empty(output);
    }

    [Fact]
    public async Task Status_OrderIdThatWouldBendTheQuery_ExitsTwoBeforeAsking()
    {
        var (exit, _, error) = await RunAsync(["status", "--base-url", "http://127.0.0.1:9", "--account-group", "5", "--order-id", "a,b"], Environment());

        Assert.Equal(2, exit);
        Assert.StartsWith("oms: order id 'a,b' holds a character", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_WrongSecret_ExitsThreeAndNeverPrintsTheSecret()
    {
        await using var venue = await StartVenueAsync();
        const string wrong = "not-the-secret-0123456789abcdef";

        var (exit, output, error) = await RunAsync(
            ["status", "--base-url", venue.BaseUri.ToString(), "--account-group", "5", "--order-id", new string('a', 32)], Environment(wrong));

        Assert.Equal(3, exit);
        Assert.StartsWith("oms: the venue refused the credentials (200001", error, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, output + error, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_ClosedPort_ExitsFourWithOneLine()
    {
        var (exit, _, error) = await RunAsync(
            ["status", "--base-url", $"http://127.0.0.1:{ClosedPort()}", "--account-group", "5", "--order-id", new string('a', 32)], Environment());

        Assert.Equal(4, exit);
        Assert.StartsWith("oms: cannot reach the venue at", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }
}
