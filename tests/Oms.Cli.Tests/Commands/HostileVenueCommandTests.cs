using System.Text.Json;

namespace Oms.Cli.Tests.Commands;

/// <summary>
/// <c>oms load</c> against a raw-socket venue that misbehaves: the exit code the README documents, one JSON object on
/// stdout whose outcomes reconcile, and nothing on stderr that reads like a bug.
/// </summary>
[Collection(nameof(EngineCommandTests))]
public sealed class HostileVenueCommandTests
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(90);

    // A 6 s window (30 s less a 24 s margin) and short timeouts, so that every misbehaviour is decided quickly; a
    // venue that is unreachable at start does not stop the run.
    private const string Settings = """
        {
          "engine": {
            "expiryMarginMs": 24000,
            "requestTimeoutMs": 300,
            "retryBackoffMs": 50,
            "startWithoutVenue": true,
            "headerBlockTimeoutMs": 500,
            "pingTimeoutMs": 500
          }
        }
        """;

    public static TheoryData<string> Misbehaviours => new(
        PeerMisbehaviour.EndlessBodies, PeerMisbehaviour.GoAwayAfterTheFirstAnswer, PeerMisbehaviour.CloseAfterSettings, PeerMisbehaviour.EndlessContinuation);

    [Theory]
    [MemberData(nameof(Misbehaviours))]
    public async Task Load_AgainstAVenueThatMisbehaves_ExitsAsDocumentedWithEveryIntentDecided(string misbehaviour)
    {
        using var peer = RawHttp2Peer.Start(PeerMisbehaviour.Peer(misbehaviour));
        var settings = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(settings, Settings);

            var (exit, output, error) = await RunAsync(
                ["load", "--settings", settings, "--base-url", peer.BaseUri.ToString(), "--account-group", "5", "--orders", "100", "--rate", "0", "--json"]);

            using var json = JsonDocument.Parse(output);
            var root = json.RootElement;
            var intents = root.GetProperty("intents").GetInt64();
            var notDecidedByTheVenue = root.GetProperty("failed").GetInt64() + root.GetProperty("expired").GetInt64();
            Assert.Equal(100, intents);
            Assert.Equal(intents, root.GetProperty("acked").GetInt64() + root.GetProperty("rejected").GetInt64() + notDecidedByTheVenue);

            // Exit 0 only when the venue decided every intent; 1 when any failed or expired (README, exit codes).
            Assert.True(exit == (notDecidedByTheVenue > 0 ? 1 : 0), $"exit {exit}, {notDecidedByTheVenue} not decided: {error}");
            Assert.Equal(0, root.GetProperty("notSent").GetInt64());
            Assert.DoesNotContain("bug", error, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(settings);
        }
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Func<string, string?> environment = name => name switch
        {
            CommandContext.ApiKeyVariable => "hostile-key",
            CommandContext.ApiSecretVariable => "hostile-secret",
            _ => null,
        };
        var context = new CommandContext(TextWriter.Synchronized(output), TextWriter.Synchronized(error), environment, CancellationToken.None);
        var exit = await CommandRunner.RunAsync(args, context).WaitAsync(s_bound);
        return (exit, output.ToString(), error.ToString());
    }
}
