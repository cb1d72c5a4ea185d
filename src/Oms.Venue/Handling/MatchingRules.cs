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

    /// <summary>Applies a single cancel to the book: a fill first if the draw says so, then the cancel itself.</summary>
    public CancelResult Cancel(string orderId, string symbol, long nowMs)
    {
        FillIfDueBeforeCancel(orderId, symbol, nowMs);
        var result = Book.TryBeginCancel(orderId, symbol);
        if (result == CancelResult.Canceled)
        {
            if (cancelDelayMs == 0)
            {
                Complete(orderId, CancelPath.Single, nowMs);
            }
            else
            {
                _ = CompleteLaterAsync([orderId], CancelPath.Single);
            }
        }

        return result;
    }

    /// <summary>Fills the order now if its draw says it fills before a cancel arrives; the cancel that follows then meets a filled order.</summary>
    public void FillIfDueBeforeCancel(string orderId, string symbol, long nowMs)
    {
        if (FillOf(orderId) == FillTiming.BeforeCancel && Book.TryFillBeforeCancel(orderId, symbol, nowMs))
        {
            Stats.OnFilledBeforeCancel();
        }
    }

    /// <summary>Lets cancels the book has accepted (<see cref="OrderBook.TryBeginCancel"/>) take effect, as a single cancel's would.</summary>
    /// <remarks>Each order ends Canceled, or Filled when its draw says the fill wins after the Ack; after the cancel delay, together.</remarks>
    public void Settle(IReadOnlyList<string> acceptedOrderIds, CancelPath path, long nowMs)
    {
        if (acceptedOrderIds.Count == 0)
        {
            return;
        }

        if (cancelDelayMs > 0)
        {
            _ = CompleteLaterAsync(acceptedOrderIds, path);
            return;
        }

        foreach (var orderId in acceptedOrderIds)
        {
            Complete(orderId, path, nowMs);
        }
    }

    private async Task CompleteLaterAsync(IReadOnlyList<string> orderIds, CancelPath path)
    {
        try
        {
            await Task.Delay(cancelDelayMs, venue.Stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The venue is stopping: the exchange would still have finished the cancel, so the book ends final.
        }

        var nowMs = venue.NowMs();
        foreach (var orderId in orderIds)
        {
            Complete(orderId, path, nowMs);
        }
    }

    private void Complete(string orderId, CancelPath path, long nowMs)
    {
        var filled = FillOf(orderId) == FillTiming.AfterAck;
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
            Stats.OnOrderCanceled(path);
        }
    }
}
