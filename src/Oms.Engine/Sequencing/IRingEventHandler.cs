namespace Oms.Engine.Sequencing;

/// <summary>
/// The consumer's logic, called by <see cref="BatchEventProcessor{T, THandler, TWait}"/> on its one thread.
/// </summary>
/// <typeparam name="T">The ring's event type.</typeparam>
/// <remarks>
/// <para>
/// Implement it on a struct (it is a struct-constrained type parameter, so the calls are direct and can be
/// inlined); keep shared state in a class the struct refers to. All methods run on the consumer thread, one at
/// a time, so the handler needs no locking for state only it touches.
/// </para>
/// <para>
/// An exception thrown from any method goes to the processor's error callback, and processing continues with
/// the next event; it never reaches a producer.
/// </para>
/// </remarks>
internal interface IRingEventHandler<T>
    where T : struct
{
    /// <summary>Called before the first event of a batch: the events published since the last batch.</summary>
    /// <param name="batchSize">How many events the batch holds, at least 1.</param>
    void OnBatchStart(long batchSize);

    /// <summary>Handles one event, in sequence order.</summary>
    /// <param name="data">The slot, read (or reset) in place; it may be reused as soon as this returns.</param>
    /// <param name="sequence">The event's sequence number.</param>
    /// <param name="endOfBatch">
    /// <see langword="true"/> on the last event published so far: the moment to flush whatever the batch
    /// accumulated (one socket write per batch, not per event).
    /// </param>
    void OnEvent(ref T data, long sequence, bool endOfBatch);

    /// <summary>
    /// Called when nothing was published for the processor's idle timeout: periodic work such as request
    /// timeouts. Under steady load it is not called; check the clock at end of batch for that case.
    /// </summary>
    void OnIdle();
}
