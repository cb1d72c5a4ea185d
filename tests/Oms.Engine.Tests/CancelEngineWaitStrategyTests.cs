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
}
