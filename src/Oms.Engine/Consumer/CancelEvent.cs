namespace Oms.Engine.Consumer;

/// <summary>One ring slot: a cancel intent from a strategy, or a completion from a connection reader.</summary>
/// <remarks>Pre-allocated in the ring and overwritten in place; producers fill every field they use before publishing.</remarks>
internal struct CancelEvent
{
    public CancelEventKind Kind;
    public int SymbolIndex;
    public long Tag;

    /// <summary>Stopwatch ticks when the strategy published the intent: the start of tick-to-wire and of the 30 s window.</summary>
    public long PublishTicks;

    /// <summary>For a completion: the in-flight request's token.</summary>
    public long Token;

    public OrderId OrderId;
}
