namespace Oms.Engine.Tests.Sequencing;

[Collection(TestThreads.Collection)]
public sealed class SleepingWaitStrategyTests : WaitStrategyContractTests<SleepingWaitStrategy>
{
    protected override SleepingWaitStrategy CreateStrategy() => new();
}
