using Oms.Transport.Connections;

namespace Oms.Engine.Tests.Sequencing;

/// <summary>The wait-strategy contract for the default strategy when its park is the socket poller (the engine's ReadOnConsumer).</summary>
[Collection(TestThreads.Collection)]
public sealed class SpinThenParkWaitStrategyInPollerTests : PollerWaitStrategyContractTests
{
    private protected override IWaitStrategyContract CreateContract(SocketPoller poller) =>
        new WaitStrategyContract<SpinThenParkWaitStrategy>(() => new(CancelEngineSettings.DefaultWaitSpin, new BlockingWaitStrategy(poller)));
}
