namespace Oms.Engine.Tests;

/// <summary>
/// Tick-to-wire split in two: the engine's own time, and the time a cancel waited for the venue's capacity, with the
/// cause counted once per cancel.
/// </summary>
public sealed class CancelEngineTickToWireSplitTests
{
    [Fact]
    public async Task NoWait_OwnTimeIsTheWholeTickToWire_AndNothingWaited()
    {
        // Arrange
        await using var fake = FakeEngine.Start();
        using var venue = new AutoResponder(fake.Sender);

        // Act
        fake.CancelOrders(5);
        var counters = await fake.WaitForOutcomesAndIdleAsync(5);

        // Assert
        var (total, own, waited) = Copy(fake.Engine);
        Assert.Equal(5, total.TotalCount);
        Assert.Equal(5, own.TotalCount);
        Assert.Equal(total.Min, own.Min);
        Assert.Equal(total.Max, own.Max);
        Assert.Equal(0, waited.TotalCount);
        Assert.Equal(0, counters.VenueWaits);
    }

    [Fact]
    public async Task RateLimiter_TheSecondWaitsForAToken_TheThirdQueuesBehindIt()
    {
        // Arrange: one token, ten a second: the first goes at once, the second waits about 100 ms for the next token,
        // and the third arrives while the second still waits.
        var settings = FakeEngine.DefaultSettings with { RateLimitPerSecond = 10, RateLimitBurst = 1 };
        await using var fake = FakeEngine.Start(settings);
        using var venue = new AutoResponder(fake.Sender);

        // Act
        fake.CancelOrders(3);
        var counters = await fake.WaitForOutcomesAndIdleAsync(3);

        // Assert
        var (total, own, waited) = Copy(fake.Engine);
        Assert.Equal(3, own.TotalCount);
        Assert.Equal(2, waited.TotalCount);
        Assert.Equal(1, counters.WaitedForRateLimit);
        Assert.Equal(1, counters.WaitedBehindQueue);
        Assert.Equal(2, counters.VenueWaits);

        // The limiter cannot hand out the second token before ~100 ms: a lower bound the limiter guarantees, not a
        // timing expectation. The wait is the venue's, so the largest tick-to-wire is mostly wait, not the engine's own.
        Assert.True(waited.Min >= TimeSpan.FromMilliseconds(50).Ticks * 100, $"Shortest wait {waited.Min} ns.");
        Assert.True(total.Max >= waited.Max, $"Tick-to-wire max {total.Max} ns below the longest wait {waited.Max} ns.");
    }

    [Fact]
    public async Task NoConnection_TheWaitIsCountedAsForAConnection()
    {
        // Arrange / Act: refused while "reconnecting", then the connection comes back.
        await using var fake = FakeEngine.Start();
        var counters = await CancelOneThroughARefusalAsync(fake, Http2SendResult.NoConnection);

        // Assert
        var (_, own, waited) = Copy(fake.Engine);
        Assert.Equal(1, counters.WaitedForConnection);
        Assert.Equal(1, counters.VenueWaits);
        Assert.Equal(1, own.TotalCount);
        Assert.Equal(1, waited.TotalCount);
    }

    [Fact]
    public async Task NoStream_TheWaitIsCountedAsForAStream()
    {
        // Arrange / Act: every stream taken, then one free.
        await using var fake = FakeEngine.Start();
        var counters = await CancelOneThroughARefusalAsync(fake, Http2SendResult.NoCapacity);

        // Assert
        Assert.Equal(1, counters.WaitedForStreams);
        Assert.Equal(1, counters.VenueWaits);
    }

    // One cancel that the transport refuses with refusal until the engine has tried it once, then answered.
    private static async Task<EngineCountersSnapshot> CancelOneThroughARefusalAsync(FakeEngine fake, Http2SendResult refusal)
    {
        fake.Sender.RefuseWith = refusal;
        fake.Cancel(FakeEngine.OrderId(1), tag: 1);
        Assert.True(SpinWait.SpinUntil(() => fake.Sender.Refused > 0, FakeEngine.Bound), "The engine never tried to send.");
        fake.Sender.RefuseWith = Http2SendResult.Sent;
        using var venue = new AutoResponder(fake.Sender);
        return await fake.WaitForOutcomesAndIdleAsync(1);
    }

    private static (LatencyHistogram Total, LatencyHistogram Own, LatencyHistogram Waited) Copy(CancelEngine engine)
    {
        var total = new LatencyHistogram();
        var roundTrip = new LatencyHistogram();
        var own = new LatencyHistogram();
        var waited = new LatencyHistogram();
        engine.CopyLatencies(total, roundTrip);
        engine.CopyTickToWireSplit(own, waited);
        return (total, own, waited);
    }
}
