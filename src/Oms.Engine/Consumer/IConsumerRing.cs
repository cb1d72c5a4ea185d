namespace Oms.Engine.Consumer;

/// <summary>The ring as the engine's other threads see it, whatever wait strategy specialises it.</summary>
internal interface IConsumerRing
{
    /// <summary>
    /// The ring size that makes a completion's claim always succeed: admitted intents (the gate's capacity), plus one
    /// completion per in-flight entry (each entry hands back once per send), plus the slot being handled, which is
    /// released only after its event has freed what it frees. Rounded up to a power of two.
    /// </summary>
    static int SizeFor(int admittedIntents, int inFlightEntries) =>
        (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(admittedIntents + inFlightEntries + 1));

    long Occupancy { get; }

    /// <summary>Publishes a strategy's intent; false when the ring stays full past <paramref name="timeout"/> (zero: do not wait).</summary>
    bool TryPublishIntent(in OrderId orderId, int symbolIndex, long tag, long publishTicks, TimeSpan timeout);

    /// <summary>
    /// Hands a transport outcome back to the consumer. Never refused: the ring holds every admitted intent, one
    /// completion for each in-flight entry and the slot being handled (<see cref="SizeFor"/>).
    /// </summary>
    void PublishCompletion(long token);

    /// <summary>Stream thread: publishes an order message without waiting; false when the ring has no room.</summary>
    bool TryPublishNote(in OrderId orderId, VenueOrderStatus status);

    /// <summary>
    /// Starts the consumer thread, handing every event to <paramref name="consumer"/>. Once halted, that same thread
    /// runs <paramref name="onHalted"/> before it ends, so the consumer's state never has two owners, however long a
    /// call into it takes to return. <paramref name="onStarted"/>, when given, runs on that thread before any event
    /// (see <c>BatchEventProcessor.Start</c>).
    /// </summary>
    void Start(CancelConsumer consumer, string threadName, Action onHalted, Action? onStarted = null);

    /// <summary>The consumer thread <see cref="Start"/> created; null before.</summary>
    Thread? ConsumerThread { get; }

    /// <summary>Halts the consumer thread and joins it; false when it has not ended within <paramref name="timeout"/>.</summary>
    bool Stop(TimeSpan timeout);

    /// <summary>After the halt: hands every event still in the ring to <paramref name="consumer"/> on the calling thread.</summary>
    void DrainRemaining(CancelConsumer consumer);
}
