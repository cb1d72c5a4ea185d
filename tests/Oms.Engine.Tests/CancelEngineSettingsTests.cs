namespace Oms.Engine.Tests;

/// <summary>The order-state defaults and their sizing rule, and the sweep that keeps the table within them.</summary>
[Collection(FakeEngine.Collection)]
public sealed class CancelEngineSettingsTests
{
    private static readonly CancelEngineSettings s_defaults = new() { BaseUrl = new Uri("http://127.0.0.1:1"), AccountGroup = "7" };

    [Fact]
    public void Defaults_OrderStateRetention_JustOverTheVenueWindow()
    {
        Assert.Equal(TimeSpan.FromSeconds(35), s_defaults.OrderStateRetention);
        Assert.True(s_defaults.OrderStateRetention > CancelEngineSettings.VenueWindow);
    }

    [Fact]
    public void Defaults_OrderStateCapacity_SustainsTheDefaultLimiterAndRingWithRoom()
    {
        // The sizing rule of OrderStateCapacity: (limiter + intents expiring unsent) x (window + retention + sweep lap).
        var expiry = CancelEngineSettings.VenueWindow - s_defaults.ExpiryMargin;
        var perSecond = s_defaults.RateLimitPerSecond + (s_defaults.RingSize / expiry.TotalSeconds);
        var lifetime = CancelEngineSettings.VenueWindow + s_defaults.OrderStateRetention + TimeSpan.FromSeconds(1);
        var needed = perSecond * lifetime.TotalSeconds;

        Assert.Equal(262_144, s_defaults.OrderStateCapacity);
        Assert.True(s_defaults.OrderStateCapacity >= 1.5 * needed, $"{s_defaults.OrderStateCapacity} entries for {needed:N0} needed.");
        Assert.True(s_defaults.OrderStateCapacity / lifetime.TotalSeconds >= 3_900, "The default should sustain thousands of cancels per second.");
    }

    [Fact]
    public void Validate_OrderStateCapacityBeyondTheTableMaximum_Throws()
    {
        var settings = s_defaults with { OrderStateCapacity = CancelStateTable.MaxCapacity + 1 };

        var error = Assert.Throws<ArgumentOutOfRangeException>(settings.Validate);

        Assert.Equal(nameof(CancelEngineSettings.OrderStateCapacity), error.ParamName);
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(50, 100)]
    [InlineData(400, 400)]
    [InlineData(35_000, 1_000)]
    public void SweepLap_Retention_ClampedBetweenATenthAndOneSecond(int retentionMs, int lapMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(lapMs), SweepPacer.Lap(TimeSpan.FromMilliseconds(retentionMs)));
    }

    [Fact]
    public async Task Consumer_FinalEntriesPastRetention_SweptWithoutAnyNewIntent()
    {
        // Arrange: nothing is retained, so only the consumer's own sweep can bring the count down (TryBegin's lazy
        // reuse needs new intents, and none come).
        await using var fake = FakeEngine.Start(FakeEngine.DefaultSettings with { OrderStateRetention = TimeSpan.Zero });
        using (new AutoResponder(fake.Sender))
        {
            fake.CancelOrders(100);

            await fake.WaitForOutcomesAsync(100);
        }

        // Act
        await CancelEngineOutcomeTests.WaitUntilAsync(() => fake.Engine.OrderStates.Count == 0, "the sweep to reclaim every entry");

        // Assert
        Assert.Equal(0, fake.Engine.GetCounters().OrderStates);
        Assert.Equal(100, fake.Engine.OrderStates.RecycledCount);
        Assert.Equal(100, fake.Listener.CountOf("acked"));
    }
}
