namespace Oms.Engine.Sequencing;

/// <summary>
/// Receives a wait strategy as a type argument: how a strategy named in settings (a runtime value) becomes the
/// compile-time <c>TWait</c> of a sequencer and processor. See <see cref="WaitStrategyFactory.Create{TResult}(WaitStrategyKind, TimeSpan, IWaitStrategyVisitor{TResult})"/>.
/// </summary>
/// <typeparam name="TResult">What the visitor builds, typically the started engine.</typeparam>
internal interface IWaitStrategyVisitor<out TResult>
{
    /// <summary>Builds whatever needs the strategy, with the strategy's type known to the JIT.</summary>
    /// <typeparam name="TWait">The strategy's type.</typeparam>
    /// <param name="waitStrategy">A ready-to-use strategy (the blocking one with its parking place).</param>
    /// <returns>What the visitor built.</returns>
    TResult Visit<TWait>(TWait waitStrategy)
        where TWait : struct, IWaitStrategy;
}
