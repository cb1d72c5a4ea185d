namespace Oms.Engine.Tests.Confirmation;

/// <summary>The one-off queries (open orders, status, cancel-all) against the simulator, including its own rate limit.</summary>
public sealed class VenueQueriesTests
{
    [Fact]
    public async Task StatusAsync_VenueThrottlesTheSecondQuery_AskedAgainAfterTheWaitAndAnswered()
    {
        // One request a second per key: the second query in a row meets the venue's HTML 429 first.
        await using var venue = await VenueServer.StartAsync(new VenueOptions { RateLimitPerSecond = 1 });
        var ids = venue.Book.SeedGenerated(2, VenueRun.Symbol);
        var settings = VenueRun.SettingsFor(venue);
        var credentials = new ApiCredentials(venue.Credentials.ApiKey, venue.Credentials.ApiSecret);

        var first = await VenueQueries.StatusAsync(settings, credentials, [ids[0]], CancellationToken.None).WaitAsync(FakeEngine.Bound);
        var second = await VenueQueries.StatusAsync(settings, credentials, [ids[1]], CancellationToken.None).WaitAsync(FakeEngine.Bound);

        Assert.Equal(("New", "New"), (Assert.Single(first).Status, Assert.Single(second).Status));
        Assert.True(venue.Stats.RateLimited >= 1, "the venue never throttled a query");
    }

    [Fact]
    public async Task OpenOrdersAsync_VenueThrottling_TheCallersTokenBoundsTheWaitBetweenAttempts()
    {
        await using var venue = await VenueServer.StartAsync(new VenueOptions { RateLimitPerSecond = 1 });
        venue.Book.SeedGenerated(1, VenueRun.Symbol);
        var settings = VenueRun.SettingsFor(venue);
        var credentials = new ApiCredentials(venue.Credentials.ApiKey, venue.Credentials.ApiSecret);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(600));

        // A caller's token bounds the waiting between attempts.
        await VenueQueries.OpenOrdersAsync(settings, credentials, CancellationToken.None);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => VenueQueries.OpenOrdersAsync(settings, credentials, stop.Token).WaitAsync(FakeEngine.Bound));
    }
}
