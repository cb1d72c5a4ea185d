using Oms.Engine;
using Oms.Engine.Sequencing;
using Oms.Engine.Signing;
using Oms.Venue;

namespace Oms.Load.Tests;

[Collection(EngineThreadsCollection.Name)]
public sealed class LoadRunnerTests
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RunAsync_UnpacedRunLargerThanTheStateTable_WaitsForEntriesInsteadOfFailingIntents()
    {
        // 2,000 orders flat out through a table of 256 entries that each free 100 ms after their answer: published as
        // fast as they could be, most would find the table full and fail unsent.
        const int count = 2_000;
        await using var venue = await VenueServer.StartAsync(new VenueOptions());
        var settings = new CancelEngineSettings
        {
            BaseUrl = venue.BaseUri,
            AccountGroup = venue.Credentials.AccountGroup,
            RateLimitPerSecond = 0,
            RingSize = 64,
            OrderStateCapacity = 256,
            OrderStateRetention = TimeSpan.FromMilliseconds(100),
            WaitStrategy = WaitStrategyKind.Blocking,
            Confirmation = new ConfirmationSettings { Enabled = false },
        };
        var tally = new TallyListener();
        await using var engine = await CancelEngine.StartAsync(settings, new ApiCredentials(venue.Credentials.ApiKey, venue.Credentials.ApiSecret), tally);
        var orders = new GeneratedOrderSource(count, "BTC-PERP", placedAtMs: 1, userNumber: 1);

        var result = await LoadRunner.RunAsync(engine, tally, orders, strategies: 2, rate: 0, TextWriter.Null, CancellationToken.None).WaitAsync(s_bound);

        Assert.Equal(0, result.Counters.StateTableFull);
        Assert.Equal(count, result.Published);

        // Generated ids are unknown to the venue: every cancel is decided by its answer, 300006.
        Assert.Equal(((long)count, 0L, 0L), (tally.Rejected, tally.Failed, tally.Expired));
    }
}
