namespace Oms.Venue.Tests.Handling;

/// <summary>The venue's own rate limit: per API key over the order endpoints, answered with the CDN's 429 page.</summary>
public sealed class RateLimiterTests
{
    private const string Symbol = "BTC-PERP";

    [Fact]
    public async Task RateLimit_HundredAtOnceAgainstTwenty_TwentyPassTheRestGet429HtmlCounted()
    {
        // A clock that stands still makes "one burst" exact: every request falls in the same second.
        var clock = new ManualClock();
        await using var venue = await TestVenues.StartAsync(new VenueOptions { RateLimitPerSecond = 20, Clock = clock });
        using var client = new VenueClient(venue);
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];

        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => client.StatusAsync(orderId)));

        var passed = answers.Where(a => a.Status == HttpStatusCode.OK).ToArray();
        var limited = answers.Where(a => a.Status == HttpStatusCode.TooManyRequests).ToArray();
        Assert.Equal(20, passed.Length);
        Assert.Equal(80, limited.Length);
        Assert.All(passed, a => Assert.Equal(0, a.Code));
        Assert.All(limited, a => Assert.Equal(("text/html", true), (a.ContentType, a.Body.StartsWith("<html>", StringComparison.Ordinal))));
        Assert.Contains("429 Too Many Requests", limited[0].Body, StringComparison.Ordinal);
        Assert.Equal((80L, 20L), (venue.Stats.RateLimited, venue.Stats.StatusRequests));
    }

    [Fact]
    public async Task RateLimit_CountsEveryOrderEndpointTogetherButNotStats()
    {
        var clock = new ManualClock();
        await using var venue = await TestVenues.StartAsync(new VenueOptions { RateLimitPerSecond = 4, Clock = clock });
        using var client = new VenueClient(venue);
        var orderIds = venue.Book.SeedGenerated(2, Symbol);

        var cancel = await client.CancelAsync(orderIds[0]);
        var batch = await client.BatchCancelAsync(client.BatchBody([orderIds[1]]));
        var all = await client.CancelAllAsync();
        var open = await client.OpenOrdersAsync();
        var status = await client.StatusAsync(orderIds[0]);
        using var stats = await client.StatsAsync();

        Assert.Equal([0L, 0, 0, 0], new[] { cancel, batch, all, open }.Select(a => a.Code));
        Assert.Equal(HttpStatusCode.TooManyRequests, status.Status);
        Assert.Equal(1, stats.RootElement.GetProperty("rateLimited").GetInt64());
    }

    [Fact]
    public async Task RateLimit_OneSecondLater_AdmitsAgain()
    {
        var clock = new ManualClock();
        await using var venue = await TestVenues.StartAsync(new VenueOptions { RateLimitPerSecond = 2, Clock = clock });
        using var client = new VenueClient(venue);
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];
        await client.StatusAsync(orderId);
        await client.StatusAsync(orderId);

        var third = await client.StatusAsync(orderId);
        clock.Advance(999);
        var justBefore = await client.StatusAsync(orderId);
        clock.Advance(1);
        var after = await client.StatusAsync(orderId);

        Assert.Equal(HttpStatusCode.TooManyRequests, third.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, justBefore.Status);
        Assert.Equal(HttpStatusCode.OK, after.Status);
    }

    [Fact]
    public async Task RateLimit_ARefusedRequestNeverReachesTheBook()
    {
        var clock = new ManualClock();
        await using var venue = await TestVenues.StartAsync(new VenueOptions { RateLimitPerSecond = 1, Clock = clock });
        using var client = new VenueClient(venue);
        var orderIds = venue.Book.SeedGenerated(2, Symbol);
        await client.StatusAsync(orderIds[0]);

        var cancel = await client.CancelAsync(orderIds[1]);

        Assert.Equal(HttpStatusCode.TooManyRequests, cancel.Status);
        Assert.Equal(OrderBookState.Open, venue.Book.GetState(orderIds[1]));
        Assert.Equal(0, venue.Stats.CancelRequests);
    }

    [Fact]
    public async Task RateLimit_ZeroByDefault_NothingLimited()
    {
        await using var venue = await TestVenues.StartAsync();
        using var client = new VenueClient(venue);
        var orderId = venue.Book.SeedGenerated(1, Symbol)[0];

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.StatusAsync(orderId)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(0, venue.Stats.RateLimited);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(VenueOptions.MaxRateLimitPerSecond + 1)]
    public async Task RateLimit_OutOfRange_RefusedAtStart(int perSecond)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => TestVenues.StartAsync(new VenueOptions { RateLimitPerSecond = perSecond }));

        Assert.Contains(nameof(VenueOptions.RateLimitPerSecond), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-0.1, 0.0, 1000)]
    [InlineData(0.0, 1.5, 1000)]
    [InlineData(0.0, 0.0, -1)]
    public void MassCancelFaults_OutOfRange_RefusedByValidate(double wrongInfo, double survivors, int windowMs)
    {
        var faults = new VenueFaults { BatchWrongInfoShare = wrongInfo, CancelAllSurvivorShare = survivors, CancelAllSurvivorWindowMs = windowMs };

        Assert.Throws<ArgumentException>(faults.Validate);
    }
}
