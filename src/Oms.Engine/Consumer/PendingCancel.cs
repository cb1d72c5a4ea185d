namespace Oms.Engine.Consumer;

/// <summary>A cancel the consumer has taken from the ring and not yet decided: waiting to be sent, or to be sent again.</summary>
internal struct PendingCancel
{
    public OrderId OrderId;
    public int SymbolIndex;
    public long Tag;
    public long PublishTicks;

    /// <summary>When it first had to wait for the venue's capacity (0: it never waited before its first send).</summary>
    public long QueuedTicks;

    /// <summary>When the send that took it was attempted: with <see cref="QueuedTicks"/>, how long it waited.</summary>
    public long ReleasedTicks;
    public CancelEntryHandle State;

    /// <summary>Sends so far (0 until the first goes out).</summary>
    public int Attempt;

    /// <summary>True once a 100011 answer has been re-signed: the next one is final.</summary>
    public bool ReSigned;

    /// <summary>Stopwatch ticks before which it must not be sent (back-off).</summary>
    public long DueTicks;

    /// <summary>What ends it if the window or the attempts run out while it waits.</summary>
    public CancelFailureReason LastFailure;

    public readonly bool WasSent => Attempt > 0;

    /// <summary>The order id's bytes, over the struct's own storage: valid while <paramref name="cancel"/> is.</summary>
    public static ReadOnlySpan<byte> IdOf(in PendingCancel cancel) => cancel.OrderId.Span;
}
