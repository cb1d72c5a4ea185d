namespace Oms.Engine;

/// <summary>
/// What became of an order after its cancel's outcome, as the venue reports it: the second stage after
/// <see cref="ICancelListener.OnAcked"/> and the other outcomes (an Ack only means the venue received the cancel).
/// </summary>
/// <remarks>The numeric values are stored in the order-state table's word: do not renumber them.</remarks>
public enum OrderFate
{
    /// <summary>No fate yet and none awaited: the cancel is still in flight, or confirmation is off.</summary>
    None = 0,

    /// <summary>The cancel has its outcome; the engine is waiting for the venue to say what became of the order.</summary>
    Pending = 1,

    /// <summary>The venue says the order is canceled (possibly after partial fills).</summary>
    Canceled = 2,

    /// <summary>The venue says the order filled: the fill won the race with the cancel.</summary>
    Filled = 3,

    /// <summary>The venue says the order is still open: the cancel did not take.</summary>
    Open = 4,

    /// <summary>The venue knows no such order (or refused it when placed).</summary>
    NotFound = 5,

    /// <summary>No source settled it by the confirmation deadline: counted and reported, never guessed.</summary>
    Unconfirmed = 6,
}
