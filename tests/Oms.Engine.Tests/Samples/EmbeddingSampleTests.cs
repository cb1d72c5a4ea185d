using Oms.EmbeddingSample;

namespace Oms.Engine.Tests.Samples;

/// <summary>The README's embedding example compiles (it is a project), runs, and is the code the README shows.</summary>
public sealed class EmbeddingSampleTests
{
    [Fact]
    public async Task StrategyHost_AgainstTheSimulatorOverTls_CancelsEveryOrderAndReconciles()
    {
        await using var venue = await VenueServer.StartAsync(new VenueOptions { UseTls = true });
        var ca = Path.Combine(Path.GetTempPath(), $"oms-sample-ca-{Guid.NewGuid():N}.pem");
        venue.WriteCaCertificate(ca);
        try
        {
            var orders = venue.Book.SeedGenerated(200, "BTC-PERP");

            var counters = await StrategyHost.RunAsync(venue.BaseUri, venue.Credentials.AccountGroup, ca, venue.Credentials.ApiKey, venue.Credentials.ApiSecret, orders)
                .WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(200, counters.Intents);
            Assert.Equal(200, counters.Acked);
            Assert.Equal(0, counters.Pending);
            Assert.Equal(200, venue.Stats.Acked + venue.Stats.BatchOrders);
        }
        finally
        {
            File.Delete(ca);
        }
    }

    [Fact]
    public void Readme_EmbeddingSection_ShowsTheSampleVerbatim()
    {
        var root = Oms.Testing.Files.Repository.Root();
        var readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        var sample = File.ReadAllText(Path.Combine(root, "samples", "Oms.EmbeddingSample", "StrategyHost.cs")).ReplaceLineEndings("\n");

        Assert.Contains("## Embedding Oms in a strategy", readme, StringComparison.Ordinal);
        Assert.Contains("```csharp\n" + sample + "```", readme, StringComparison.Ordinal);
    }
}
