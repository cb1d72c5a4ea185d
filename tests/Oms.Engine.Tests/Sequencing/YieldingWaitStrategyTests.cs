namespace Oms.Engine.Tests.Sequencing;

[Collection(TestThreads.Collection)]
public sealed class YieldingWaitStrategyTests : WaitStrategyContractTests<YieldingWaitStrategy>
{
    protected override YieldingWaitStrategy CreateStrategy() => new();
}
