using Oms.Venue.Book;
using Oms.Venue.Stats;

namespace Oms.Venue.Handling;

/// <summary>The small matching engine behind the cancel endpoint: which orders fill, and when an accepted cancel takes effect.</summary>
/// <remarks>
/// Whether an order fills is drawn from the venue's seed and the order id alone, never the arrival order, so two
/// runs with the same seed and ids fill the same orders even when cancels race. Thread-safe.
/// </remarks>
internal sealed class MatchingRules(VenueServer venue, int seed, double fillBeforeCancelShare, double fillAfterAckShare, int cancelDelayMs)
{
    private const int SaltFill = 4;

    private readonly FaultDice _dice = new(seed);

    private OrderBook Book => venue.Book;

    private VenueStats Stats => venue.Stats;

    /// <summary>When the order fills if a cancel races it; one draw, split into two consecutive ranges.</summary>
    public FillTiming FillOf(string orderId)
    {
        if (fillBeforeCancelShare == 0 && fillAfterAckShare == 0)
        {
            return FillTiming.None;
        }

        var draw = _dice.Draw(FaultDice.KeyOf(orderId), SaltFill);
        if (draw < fillBeforeCancelShare)
        {
            return FillTiming.BeforeCancel;
        }

        return draw - fillBeforeCancelShare < fillAfterAckShare ? FillTiming.AfterAck : FillTiming.None;
    }

    /// <summary>Applies a cancel to the book: a fill first if the draw says so, then the cancel itself.</summary>
    public CancelResult Cancel(string orderId, string symbol, long nowMs)
    {
        var fill = FillOf(orderId);
        if (fill == FillTiming.BeforeCancel && Book.TryFillBeforeCancel(orderId, symbol, nowMs))
        {
            Stats.OnFilledBeforeCancel();
        }

        var result = Book.TryBeginCancel(orderId, symbol);
        if (result == CancelResult.Canceled)
        {
            var filled = fill == FillTiming.AfterAck;
            if (cancelDelayMs == 0)
            {
                Complete(orderId, filled, nowMs);
            }
            else
            {
                _ = CompleteLaterAsync(orderId, filled);
            }
        }

        return result;
    }

    private async Task CompleteLaterAsync(string orderId, bool filled)
    {
        try
        {
            await Task.Delay(cancelDelayMs, venue.Stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The venue is stopping: the exchange would still have finished the cancel, so the book ends final.
        }

        Complete(orderId, filled, venue.NowMs());
    }

    private void Complete(string orderId, bool filled, long nowMs)
    {
        if (!Book.TryCompleteCancel(orderId, filled, nowMs))
        {
            return;
        }

        if (filled)
        {
            Stats.OnFilledAfterAck();
        }
        else
        {
            Stats.OnOrderCanceled();
        }
    }
}
