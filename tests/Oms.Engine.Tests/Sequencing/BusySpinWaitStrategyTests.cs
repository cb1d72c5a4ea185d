namespace Oms.Engine.Tests.Sequencing;

[Collection(TestThreads.Collection)]
public sealed class BusySpinWaitStrategyTests : WaitStrategyContractTests<BusySpinWaitStrategy>
{
    protected override BusySpinWaitStrategy CreateStrategy() => new();
}
