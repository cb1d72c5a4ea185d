using Oms.Transport.Connections;

namespace Oms.Engine.Tests.Sequencing;

/// <summary>
/// The wait-strategy contract for a strategy that parks in a <see cref="SocketPoller"/>: the same promises as
/// <see cref="WaitStrategyContractTests"/>, run only where the poller works and skipped with the reason elsewhere.
/// </summary>
/// <remarks>Each test gets its own poller, disposed after it; a test class supplies the strategy over it.</remarks>
public abstract class PollerWaitStrategyContractTests : IDisposable
{
    private readonly SocketPoller? _poller = SocketPoller.IsSupported ? new SocketPoller() : null;
    private IWaitStrategyContract? _contract;

    private protected SocketPoller Poller => _poller ?? throw new InvalidOperationException("The skippable facts do not run here.");

    private IWaitStrategyContract Contract => _contract ??= CreateContract(Poller);

    [SocketPollerFact]
    public void WaitFor_AlreadyPublished_ReturnsHighestContiguousSequence() => Contract.WaitFor_AlreadyPublished_ReturnsHighestContiguousSequence();

    [SocketPollerFact]
    public void WaitFor_GapAfterRequested_ReturnsOnlyThePrefix() => Contract.WaitFor_GapAfterRequested_ReturnsOnlyThePrefix();

    [SocketPollerFact]
    public void WaitFor_PublishedWhileWaiting_ReturnsPublishedSequence() => Contract.WaitFor_PublishedWhileWaiting_ReturnsPublishedSequence();

    [SocketPollerFact]
    public void WaitFor_HaltedWhileWaiting_ReturnsHalted() => Contract.WaitFor_HaltedWhileWaiting_ReturnsHalted();

    [SocketPollerFact]
    public void WaitFor_HaltedBeforeWaiting_ReturnsHalted() => Contract.WaitFor_HaltedBeforeWaiting_ReturnsHalted();

    [SocketPollerFact]
    public void WaitFor_NothingPublished_TimesOutNoSoonerThanTimeout() => Contract.WaitFor_NothingPublished_TimesOutNoSoonerThanTimeout();

    [SocketPollerFact]
    public void Processor_NoEvents_CallsOnIdleRepeatedly() => Contract.Processor_NoEvents_CallsOnIdleRepeatedly();

    [SocketPollerFact]
    public void WaitFor_ConcurrentPublishers_ConsumerSeesEveryEventOnceInProducerOrder() => Contract.WaitFor_ConcurrentPublishers_ConsumerSeesEveryEventOnceInProducerOrder();

    public void Dispose()
    {
        _poller?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The contract for the strategy under test, parking in <paramref name="poller"/>.</summary>
    private protected abstract IWaitStrategyContract CreateContract(SocketPoller poller);
}
