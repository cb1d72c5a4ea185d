using System.Text.Json;

namespace Oms.Cli.Tests.Commands;

/// <summary>Fates in <c>oms load</c> and <c>oms demo</c>: confirmed by default, off with <c>--no-confirm</c>, exit 6 when unconfirmed, <c>--reconcile</c>.</summary>
[Collection(nameof(EngineCommandTests))]
public sealed class FateCommandTests
{
    [Fact]
    public async Task Load_StreamRefusedAndStatusFailing_ExitsSixSayingTheFatesAreUnconfirmed()
    {
        // Nothing can tell a fate: the stream refuses every upgrade for the whole run and every status query fails.
        var faults = new VenueFaults { StatusFails = true, StreamRefuseMs = 600_000 };
        await using var venue = await VenueServer.StartAsync(new VenueOptions { Credentials = Credentials, Faults = faults });
        var ids = await OrderIdsFileAsync(venue, 20);
        var settings = await SettingsFileAsync("""{ "engine": { "confirmation": { "deadlineMs": 800, "streamWaitMs": 100 } } }""");
        try
        {
            var (exit, output, error) = await RunAsync(
                ["load", "--settings", settings, "--base-url", venue.BaseUri.ToString(), "--account-group", "5", "--order-ids", ids, "--rate", "0", "--json"], Environment());

            Assert.True(exit == 6, $"exit {exit}: {error}");
            using var json = JsonDocument.Parse(output);
            var root = json.RootElement;
            Assert.Equal((20L, 20L, 20L), (root.GetProperty("intents").GetInt64(), root.GetProperty("acked").GetInt64(), root.GetProperty("unconfirmed").GetInt64()));
            Assert.Equal(0, root.GetProperty("canceled").GetInt64());
            Assert.Contains("oms: 20 of 20 fates were not confirmed by the deadline", error, StringComparison.Ordinal);
            Assert.Single(error.Split('\n'), line => line.StartsWith("oms: 20 of 20 fates", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(ids);
            File.Delete(settings);
        }
    }

    [Fact]
    public async Task Load_SomeIntentsFailAndFatesUnconfirmed_ExitsOneTheMoreSevere()
    {
        // Every cancel answered 500 fails after its retries (undecided, exit 1); the fates cannot be told either.
        var faults = new VenueFaults { StatusFails = true, StreamRefuseMs = 600_000, ServerErrorShare = 1.0 };
        await using var venue = await VenueServer.StartAsync(new VenueOptions { Credentials = Credentials, Faults = faults });
        var ids = await OrderIdsFileAsync(venue, 3);
        var settings = await SettingsFileAsync("""{ "engine": { "retryAttempts": 0, "confirmation": { "deadlineMs": 500 } } }""");
        try
        {
            var (exit, output, error) = await RunAsync(
                ["load", "--settings", settings, "--base-url", venue.BaseUri.ToString(), "--account-group", "5", "--order-ids", ids, "--rate", "0", "--json"], Environment());

            Assert.True(exit == 1, $"exit {exit}: {error}");
            using var json = JsonDocument.Parse(output);
            Assert.Equal(3, json.RootElement.GetProperty("failed").GetInt64());
            Assert.DoesNotContain("fates were not confirmed", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(ids);
            File.Delete(settings);
        }
    }

    [Fact]
    public async Task Load_NoConfirm_ReportsNoFatesAndNeverAsksTheVenue()
    {
        await using var venue = await StartVenueAsync();
        var ids = await OrderIdsFileAsync(venue, 10);
        try
        {
            var (exit, output, error) = await RunAsync(
                ["load", "--base-url", venue.BaseUri.ToString(), "--account-group", "5", "--order-ids", ids, "--rate", "0", "--no-confirm", "--json"], Environment());

            Assert.True(exit == 0, error);
            using var json = JsonDocument.Parse(output);
            var root = json.RootElement;
            Assert.Equal(10, root.GetProperty("acked").GetInt64());
            Assert.All(
                new[] { "canceled", "filled", "open", "notFound", "unconfirmed", "confirmMicros" },
                name => Assert.Equal(JsonValueKind.Null, root.GetProperty(name).ValueKind));
            Assert.Equal((0L, 0L), (root.GetProperty("statusRequests").GetInt64(), root.GetProperty("streamReconnects").GetInt64()));
            Assert.Equal((0L, 0L), (venue.Stats.StatusRequests, venue.Stats.StreamSessions));
        }
        finally
        {
            File.Delete(ids);
        }
    }

    [Fact]
    public async Task Load_Reconcile_PrintsTheVenuesOpenOrdersBeforeTheRun()
    {
        await using var venue = await StartVenueAsync();
        var ids = await OrderIdsFileAsync(venue, 10);
        venue.Book.SeedGenerated(25, "ETH-PERP");
        try
        {
            var (exit, output, error) = await RunAsync(
                ["load", "--base-url", venue.BaseUri.ToString(), "--account-group", "5", "--order-ids", ids, "--rate", "0", "--reconcile"], Environment());

            Assert.True(exit == 0, error);
            Assert.Contains("reconcile: 35 open orders at the venue\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
            Assert.Equal(1, venue.Stats.OpenOrdersRequests);
            Assert.Equal(25, venue.Book.OpenCount);
        }
        finally
        {
            File.Delete(ids);
        }
    }

    [Fact]
    public async Task Load_ReconcileWithJson_PutsTheCountInTheJsonAndTheLineOnStderr()
    {
        await using var venue = await StartVenueAsync();
        var ids = await OrderIdsFileAsync(venue, 4);
        try
        {
            var (exit, output, error) = await RunAsync(
                ["load", "--base-url", venue.BaseUri.ToString(), "--account-group", "5", "--order-ids", ids, "--rate", "0", "--reconcile", "--json"], Environment());

            Assert.True(exit == 0, error);
            using var json = JsonDocument.Parse(output);
            Assert.Equal(4, json.RootElement.GetProperty("reconcileOpenOrders").GetInt32());
            Assert.Contains("reconcile: 4 open orders at the venue", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(ids);
        }
    }

    [Fact]
    public async Task Demo_NoConfirmAndReconcile_SaysFatesAreOffAndCountsTheSeededOrders()
    {
        var (exit, output, error) = await RunAsync(["demo", "--orders", "400", "--rate", "0", "--no-confirm", "--reconcile"]);

        Assert.True(exit == 0, error);

        // 5 % of the 400 ids are unknown to the venue; the other 380 are seeded open before the run.
        Assert.Contains("reconcile: 380 open orders at the venue", output, StringComparison.Ordinal);
        Assert.Contains("fates: not confirmed", output, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?m)^  canceled\s", output);
    }

    private static async Task<string> OrderIdsFileAsync(VenueServer venue, int count)
    {
        var path = Path.GetTempFileName();
        await File.WriteAllLinesAsync(path, venue.Book.SeedGenerated(count, "BTC-PERP").Select(id => "BTC-PERP " + id));
        return path;
    }

    private static async Task<string> SettingsFileAsync(string text)
    {
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, text);
        return path;
    }
}
