namespace Oms.Engine.Orders;

/// <summary>Classifies <see cref="CancelState"/> values the way the engine and its counters need them.</summary>
public static class CancelStateExtensions
{
    /// <summary>Whether a cancel in this state is waiting for the wire or for an answer.</summary>
    /// <param name="state">The state to classify.</param>
    /// <returns><see langword="true"/> for <see cref="CancelState.Queued"/> and <see cref="CancelState.Sent"/>.</returns>
    public static bool IsInFlight(this CancelState state) => state is CancelState.Queued or CancelState.Sent;

    /// <summary>Whether this state is one of the four terminal outcomes.</summary>
    /// <param name="state">The state to classify.</param>
    /// <returns>
    /// <see langword="true"/> for <see cref="CancelState.Acked"/>, <see cref="CancelState.Rejected"/>,
    /// <see cref="CancelState.Failed"/> and <see cref="CancelState.Expired"/>.
    /// </returns>
    public static bool IsFinal(this CancelState state) => state is >= CancelState.Acked and <= CancelState.Expired;

    /// <summary>Whether a cancel may move from <paramref name="from"/> to <paramref name="to"/> in one step.</summary>
    /// <param name="from">The state the cancel is in.</param>
    /// <param name="to">The state it would move to.</param>
    /// <returns>
    /// <see langword="true"/> for Queued to Sent, Expired or Failed, and for Sent to Acked, Rejected, Failed or
    /// Queued; <see langword="false"/> for everything else, including any move out of a final state.
    /// </returns>
    internal static bool CanMoveTo(this CancelState from, CancelState to)
    {
        // One bit per (from, to) pair, bit index from * 8 + to: the whole transition table in one constant.
        const ulong legalMoves =
            (1UL << ((int)CancelState.Queued * 8 + (int)CancelState.Sent))
            | (1UL << ((int)CancelState.Queued * 8 + (int)CancelState.Expired))
            | (1UL << ((int)CancelState.Queued * 8 + (int)CancelState.Failed))
            | (1UL << ((int)CancelState.Sent * 8 + (int)CancelState.Acked))
            | (1UL << ((int)CancelState.Sent * 8 + (int)CancelState.Rejected))
            | (1UL << ((int)CancelState.Sent * 8 + (int)CancelState.Failed))
            | (1UL << ((int)CancelState.Sent * 8 + (int)CancelState.Queued));
        uint f = (uint)from;
        uint t = (uint)to;
        return f < 8 && t < 8 && ((legalMoves >> (int)((f * 8) + t)) & 1) != 0;
    }
}
