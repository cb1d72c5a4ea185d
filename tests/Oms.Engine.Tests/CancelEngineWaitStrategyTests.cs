namespace Oms.Engine.Tests;

/// <summary>The engine under each wait strategy; busy-spin briefly, since it takes a core of this two-core machine.</summary>
[Collection(FakeEngine.Collection)]
public sealed class CancelEngineWaitStrategyTests
{
    [Theory]
    [InlineData(WaitStrategyKind.BusySpin)]
    [InlineData(WaitStrategyKind.Sleeping)]
    [InlineData(WaitStrategyKind.Blocking)]
    [InlineData(WaitStrategyKind.Yielding)]
    [InlineData(WaitStrategyKind.SpinThenPark)]
    public async Task TryCancel_UnderEachWaitStrategy_EveryIntentAckedOnceAndTheEngineStops(WaitStrategyKind wait)
    {
        var fake = FakeEngine.Start(FakeEngine.DefaultSettings with { WaitStrategy = wait });
        await using (fake)
        {
            using (new AutoResponder(fake.Sender))
            {
                fake.CancelOrders(200);

                await fake.WaitForOutcomesAsync(200);
            }

            await fake.Engine.StopAsync(TimeSpan.FromSeconds(1)).WaitAsync(FakeEngine.Bound);

            Assert.Equal(200, fake.Listener.CountOf("acked"));
            Assert.Equal(0, fake.Listener.DoubleReports);
            Assert.Equal(0, fake.Listener.WrongThreadCalls);
            Assert.False(fake.Engine.IsRunning);
            FakeEngine.AssertReconciled(fake.Engine.GetCounters());
        }
    }

    [Fact]
    public async Task IdleTick_PromptOnlyWhileSomethingWaitsOnAClock()
    {
        // Arrange: one token, ten a second, so the second cancel waits for the limiter.
        var fake = FakeEngine.Start(FakeEngine.DefaultSettings with { RateLimitPerSecond = 10, RateLimitBurst = 1 });
        await using (fake)
        {
            using var venue = new AutoResponder(fake.Sender);

            // Act / Assert: idle at start, the consumer asks for no prompt tick.
            Assert.True(SpinWait.SpinUntil(() => !fake.Engine.ConsumerNeedsPromptIdle, FakeEngine.Bound), "An idle engine kept asking for prompt ticks.");

            // The second cancel waits for a token: prompt ticks until it has gone and been answered.
            fake.CancelOrders(2);
            Assert.True(SpinWait.SpinUntil(() => fake.Engine.GetCounters().WaitedForRateLimit == 1 && fake.Engine.ConsumerNeedsPromptIdle, FakeEngine.Bound), "The consumer did not ask for prompt ticks while a cancel waited for the limiter.");
            await fake.WaitForOutcomesAndIdleAsync(2);
            Assert.True(SpinWait.SpinUntil(() => !fake.Engine.ConsumerNeedsPromptIdle, FakeEngine.Bound), "The consumer kept asking for prompt ticks once nothing waited.");
        }
    }
}
