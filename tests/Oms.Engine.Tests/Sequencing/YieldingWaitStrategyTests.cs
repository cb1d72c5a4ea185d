namespace Oms.Engine.Tests.Sequencing;

[Collection(TestThreads.Collection)]
public sealed class YieldingWaitStrategyTests : WaitStrategyContractTests
{
    private protected override IWaitStrategyContract Contract { get; } = new WaitStrategyContract<YieldingWaitStrategy>(() => new());
}
