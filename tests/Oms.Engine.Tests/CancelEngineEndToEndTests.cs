namespace Oms.Engine.Tests;

/// <summary>The engine against the venue simulator over real HTTP/2: every outcome matches what the venue decided.</summary>
public sealed class CancelEngineEndToEndTests
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TryCancel_100kFromFourThreadsMixedKnownAndUnknown_EachOutcomeMatchesTheVenue(bool tls)
    {
        const int perThread = 25_000;
        await using var venue = await VenueServer.StartAsync(new VenueOptions { UseTls = tls, MaxConcurrentStreams = 100 });
        var ca = tls ? WriteCa(venue) : null;
        var known = venue.Book.SeedGenerated(4 * perThread * 9 / 10, "BTC-PERP");
        var listener = new RecordingListener();
        var engine = await CancelEngine.StartAsync(Settings(venue, ca), Credentials(venue), listener);
        var expected = new Dictionary<long, (string OrderId, bool Known)>();
        var plans = Enumerable.Range(0, 4).Select(t => Enumerable.Range(0, perThread).Select(i =>
        {
            var n = (t * perThread) + i;
            var isKnown = n % 10 != 9;
            var orderId = isKnown ? known[n - (n / 10)] : "unknown" + n.ToString("D25", System.Globalization.CultureInfo.InvariantCulture);
            return (Tag: (long)n, OrderId: orderId, Known: isKnown);
        }).ToArray()).ToArray();
        foreach (var plan in plans.SelectMany(p => p))
        {
            expected[plan.Tag] = (plan.OrderId, plan.Known);
        }

        try
        {
            var producers = plans.Select(plan => Task.Factory.StartNew(() =>
            {
                foreach (var (tag, orderId, _) in plan)
                {
                    Assert.True(engine.TryCancel(orderId, "BTC-PERP", tag, TimeSpan.FromSeconds(10), out var refusal), refusal.ToString());
                }
            }, TaskCreationOptions.LongRunning)).ToArray();
            await Task.WhenAll(producers).WaitAsync(s_bound);
            await listener.WaitForAsync(4 * perThread, s_bound);
        }
        finally
        {
            await engine.StopAsync(TimeSpan.FromSeconds(5));
        }

        var failures = listener.Outcomes.Values.Where(o => o.Kind != "acked" && o.Kind != "rejected").GroupBy(o => (o.Kind, o.Failure, o.Text)).Select(g => $"{g.Key} x{g.Count()}");
        Assert.True(!failures.Any(), string.Join("; ", failures) + $" counters {engine.GetCounters()} venue {venue.Stats.Snapshot().Checks.Where(c => c.Value > 0).Select(c => c.Key + "=" + c.Value).Aggregate("", (a, b) => a + " " + b)}");
        Assert.Equal(4 * perThread, listener.Count);
        Assert.Equal(0, listener.DoubleReports);
        Assert.Equal(0, listener.WrongThreadCalls);
        foreach (var (tag, outcome) in listener.Outcomes)
        {
            var (orderId, isKnown) = expected[tag];
            Assert.Equal(orderId, outcome.OrderId);
            if (isKnown)
            {
                Assert.Equal("acked", outcome.Kind);
            }
            else
            {
                Assert.Equal(("rejected", 300006L, VenueReason.InvalidOrderId), (outcome.Kind, outcome.Code, outcome.Reason));
            }
        }

        var counters = engine.GetCounters();
        Assert.Equal(4 * perThread, counters.Intents);
        Assert.Equal(counters.Intents, counters.Acked + counters.Rejected + counters.Failed + counters.Expired);
        Assert.Equal(known.Count, counters.Acked);
        Assert.Equal(0, counters.IdMismatches);
        // Singly or inside an acked batch (a batch refused for one unknown order is sent again without it).
        Assert.Equal(known.Count, venue.Stats.Acked + venue.Stats.BatchOrders);
        Assert.Equal(0, venue.Stats.DuplicateRequestIds);
        Assert.Equal(counters.Requests, venue.Stats.CancelRequests + venue.Stats.BatchRequests);
        Assert.Equal(CancelState.Acked, engine.GetCancelState(known[0]));
    }

    internal static CancelEngineSettings Settings(VenueServer venue, string? ca = null, WaitStrategyKind wait = WaitStrategyKind.Yielding) => new()
    {
        BaseUrl = venue.BaseUri,
        AccountGroup = venue.Credentials.AccountGroup,
        CaCertificatePath = ca,
        RateLimitPerSecond = 0,
        WaitStrategy = wait,
        RingSize = 8192,
        OrderStateCapacity = 262_144,
    };

    internal static ApiCredentials Credentials(VenueServer venue) => new(venue.Credentials.ApiKey, venue.Credentials.ApiSecret);

    internal static string WriteCa(VenueServer venue)
    {
        var path = Path.Combine(Path.GetTempPath(), $"oms-test-ca-{Guid.NewGuid():N}.pem");
        venue.WriteCaCertificate(path);
        return path;
    }
}
