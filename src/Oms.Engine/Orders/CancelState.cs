namespace Oms.Engine.Orders;

/// <summary>Where the cancel of one order stands, as recorded in the <see cref="CancelStateTable"/>.</summary>
/// <remarks>
/// <para>
/// The legal moves are <see cref="Queued"/> to <see cref="Sent"/>, <see cref="Expired"/> or <see cref="Failed"/>,
/// and <see cref="Sent"/> to <see cref="Acked"/>, <see cref="Rejected"/>, <see cref="Failed"/> or back to
/// <see cref="Queued"/> (the outcome is unknown and the cancel waits to be sent again with a new request id).
/// The four final states never move again; a new intent for the same order starts a new episode through
/// <see cref="CancelStateTable.TryBegin"/>.
/// </para>
/// <para>The numeric values are stored in the table's state word: do not renumber them.</para>
/// </remarks>
public enum CancelState
{
    /// <summary>The table knows nothing of this order: never seen, or its entry was recycled.</summary>
    None = 0,

    /// <summary>The consumer took the intent and the request is waiting to be written (or written again).</summary>
    Queued = 1,

    /// <summary>The request was handed to a connection; no answer has been matched to it yet.</summary>
    Sent = 2,

    /// <summary>Final: the venue answered code 0. It received the cancel; the order's own fate comes later.</summary>
    Acked = 3,

    /// <summary>Final: the venue answered a non-zero code that is about the order (for example 300006).</summary>
    Rejected = 4,

    /// <summary>Final: the engine could not get an answer (transport exhausted, authentication failed, stopped).</summary>
    Failed = 5,

    /// <summary>Final: never sent, because the intent was older than the venue's 30 s window.</summary>
    Expired = 6,
}
