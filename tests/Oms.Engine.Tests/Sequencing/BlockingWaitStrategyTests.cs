using Oms.Engine.Sequencing;

namespace Oms.Engine.Tests.Sequencing;

[Collection(TestThreads.Collection)]
public sealed class BlockingWaitStrategyTests : WaitStrategyContractTests<BlockingWaitStrategy>
{
    protected override BlockingWaitStrategy CreateStrategy() => new();
}
