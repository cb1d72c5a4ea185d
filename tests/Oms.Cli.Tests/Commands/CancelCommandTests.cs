namespace Oms.Cli.Tests.Commands;

/// <summary>cancel, one order against the venue simulator, with every exit code.</summary>
[Collection(nameof(EngineCommandTests))]
public sealed class CancelCommandTests
{
    [Fact]
    public async Task Cancel_KnownOrder_PrintsAckAndExitsZero()
    {
        await using var venue = await StartVenueAsync();
        var orderId = venue.Book.SeedGenerated(1, "BTC-PERP")[0];

        var (exit, output, _) = await RunAsync(["cancel", "--base-url", venue.BaseUri.ToString(), "--account-group", "5", "--order-id", orderId, "--symbol", "BTC-PERP"], Environment());

        Assert.Equal(0, exit);
        Assert.StartsWith($"Ack: order {orderId} cancel received by the venue (round trip ", output, StringComparison.Ordinal);
        Assert.Equal(1, venue.Stats.Acked);
    }

    [Fact]
    public async Task Cancel_OrderTheVenueNeverHad_PrintsErr300006AndExitsZero()
    {
        await using var venue = await StartVenueAsync();
        venue.Book.SeedGenerated(5, "BTC-PERP");
        var stranger = new Oms.Venue.Book.OrderIdFactory().Next();

        var (exit, output, _) = await RunAsync(["cancel", "--base-url", venue.BaseUri.ToString(), "--account-group", "5", "--order-id", stranger, "--symbol", "BTC-PERP"], Environment());

        Assert.Equal(0, exit);
        Assert.StartsWith($"Err: 300006 INVALID_ORDER_ID: Invalid Client Order Id: ", output, StringComparison.Ordinal);
        Assert.Equal((0L, 1L), (venue.Stats.Acked, venue.Stats.Rejected));
    }

    [Fact]
    public async Task Cancel_WrongSecret_ExitsThreePrintingTheVenuesCodeReasonAndMessage()
    {
        await using var venue = await StartVenueAsync();
        var orderId = venue.Book.SeedGenerated(1, "BTC-PERP")[0];
        const string wrongSecret = "a-wrong-secret-for-one-cancel-0123456789";

        var (exit, output, error) = await RunAsync(
            ["cancel", "--base-url", venue.BaseUri.ToString(), "--account-group", "5", "--order-id", orderId, "--symbol", "BTC-PERP"], Environment(secret: wrongSecret));

        Assert.Equal(3, exit);
        Assert.StartsWith("Err: 200001 AUTHENTICATION_FAILED: API signature mismatch (failed: AuthenticationFailed)", output, StringComparison.Ordinal);
        Assert.Equal(1, venue.Stats.CancelRequests);
        Assert.DoesNotContain(wrongSecret, output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_ClosedPort_ExitsFourWithOneLine()
    {
        var port = ClosedPort();

        var (exit, output, error) = await RunAsync(
            ["cancel", "--base-url", $"http://127.0.0.1:{port}", "--account-group", "5", "--order-id", new string('z', 32), "--symbol", "BTC-PERP"], Environment());

        Assert.Equal(4, exit);
        Assert.Equal("", output);
        Assert.StartsWith($"oms: cannot reach the venue at http://127.0.0.1:{port}/", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Cancel_InterruptedWhileWaitingForTheVenue_StopsAtOncePrintingTheStoppedOutcome()
    {
        await using var venue = await VenueServer.StartAsync(new VenueOptions { Credentials = Credentials, Faults = new VenueFaults { NeverAnswerShare = 1 } });
        var orderId = venue.Book.SeedGenerated(1, "BTC-PERP")[0];
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        var context = new CommandContext(TextWriter.Synchronized(output), TextWriter.Synchronized(error), Environment(), stop.Token);
        var run = CommandRunner.RunAsync(
            ["cancel", "--base-url", venue.BaseUri.ToString(), "--account-group", "5", "--order-id", orderId, "--symbol", "BTC-PERP", "--request-timeout-ms", "60000"], context);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (venue.Stats.Streams == 0 && clock.Elapsed < Bound)
        {
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        var exit = await run.WaitAsync(TimeSpan.FromSeconds(10));

        // Stopped is not the venue's decision: 1 here, in process; the oms process itself exits 130 after a Ctrl+C.
        Assert.True(exit == 1, output + "|" + error);
        Assert.StartsWith("Failed: Stopped (round trip -)", output.ToString(), StringComparison.Ordinal);
        Assert.Equal("oms: interrupted before the venue answered: the cancel may or may not have reached it", error.ToString().TrimEnd());
    }
}
