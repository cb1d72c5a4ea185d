namespace Oms.Engine.Sequencing;

/// <summary>
/// How the consumer waits for the producers: spin, yield, sleep or park. The choice trades latency against
/// CPU: see <see cref="WaitStrategyKind"/>.
/// </summary>
/// <remarks>
/// <para>
/// Implementations are structs and are used as struct-constrained type parameters
/// (<see cref="MultiProducerSequencer{TWait}"/>, <see cref="BatchEventProcessor{T, THandler, TWait}"/>), so the
/// JIT compiles one consumer loop per strategy with the wait inlined, and the producers' signal disappears for
/// the strategies that never park. An interface-typed field would cost an interface call per publish and per
/// wait and hide the empty signal from the JIT. <see cref="WaitStrategyFactory"/> turns a strategy named in
/// settings into the matching type argument.
/// </para>
/// <para>
/// Copies of a strategy must behave as one: a strategy with shared state (the blocking one) holds it by
/// reference.
/// </para>
/// </remarks>
internal interface IWaitStrategy
{
    /// <summary>
    /// Waits until <paramref name="sequence"/> is published and returns the end of the contiguous published run
    /// from it; or returns a <see cref="WaitResult"/> sentinel when halted or idle for <paramref name="timeout"/>.
    /// </summary>
    /// <param name="sequence">The next sequence the consumer wants.</param>
    /// <param name="barrier">The producers' publication state and the consumer's halt flag.</param>
    /// <param name="timeout">
    /// How long to wait with nothing published before returning <see cref="WaitResult.TimedOut"/>:
    /// zero, positive, or <see cref="Timeout.InfiniteTimeSpan"/>.
    /// </param>
    /// <returns>
    /// A sequence &gt;= <paramref name="sequence"/>; or <see cref="WaitResult.Halted"/>, or
    /// <see cref="WaitResult.TimedOut"/>.
    /// </returns>
    /// <remarks>
    /// Consumer thread only. When data is already published the call returns it without checking the halt flag
    /// or the clock; the processor checks the halt flag once per batch.
    /// </remarks>
    long WaitFor(long sequence, SequenceBarrier barrier, TimeSpan timeout);

    /// <summary>Wakes a consumer parked in <see cref="WaitFor"/>; called by producers after every publish.</summary>
    /// <remarks>Any thread. Must be cheap when nobody is parked: it is on every producer's path.</remarks>
    void SignalAllWhenBlocking();
}
