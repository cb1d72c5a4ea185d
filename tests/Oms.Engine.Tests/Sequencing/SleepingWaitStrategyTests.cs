namespace Oms.Engine.Tests.Sequencing;

[Collection(TestThreads.Collection)]
public sealed class SleepingWaitStrategyTests : WaitStrategyContractTests
{
    private protected override IWaitStrategyContract Contract { get; } = new WaitStrategyContract<SleepingWaitStrategy>(() => new());
}
