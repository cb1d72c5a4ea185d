namespace Oms.Engine.Tests.Sequencing;

[Collection(TestThreads.Collection)]
public sealed class BusySpinWaitStrategyTests : WaitStrategyContractTests
{
    private protected override IWaitStrategyContract Contract { get; } = new WaitStrategyContract<BusySpinWaitStrategy>(() => new());
}
