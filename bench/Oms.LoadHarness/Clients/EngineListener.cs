using System.Text;
using Oms.Engine;
using Oms.Engine.Venues;
using Oms.Engine.Venues.AscendEx;
using Oms.LoadHarness.Load;

namespace Oms.LoadHarness.Clients;

/// <summary>Hands the engine's outcomes to the recorder, checking that each names the order its tag was issued for.</summary>
/// <remarks>
/// Runs on the engine's consumer thread, behind the <see cref="Oms.Load.TallyListener"/> that <c>oms load</c> runs
/// with, so the engine's figures here include the same listener work: no allocation except to describe a failure.
/// </remarks>
internal sealed class EngineListener(PhaseRecorder recorder) : ICancelListener
{
    /// <summary>The code the venue answers for an order canceled before (300006 INVALID_ORDER_ID).</summary>
    public const long AlreadyCanceledCode = 300006;

    public void OnAcked(long tag, ReadOnlySpan<byte> orderId) =>
        recorder.Complete(tag, OutcomeKind.Acked, Matches(tag, orderId));

    public void OnRejected(long tag, ReadOnlySpan<byte> orderId, long code, VenueReason reason, ReadOnlySpan<byte> message)
    {
        bool expected = code == AlreadyCanceledCode;
        if (!expected)
        {
            recorder.NoteProblem($"rejected {code} {reason}: {Encoding.UTF8.GetString(message)}");
        }

        recorder.Complete(tag, OutcomeKind.Rejected, Matches(tag, orderId), rejectionExpected: expected);
    }

    public void OnFailed(long tag, ReadOnlySpan<byte> orderId, CancelFailureReason reason, ReadOnlySpan<byte> detail)
    {
        recorder.NoteProblem($"failed {reason}: {Encoding.UTF8.GetString(detail)}");
        recorder.Complete(tag, OutcomeKind.Failed, Matches(tag, orderId));
    }

    public void OnExpired(long tag, ReadOnlySpan<byte> orderId) =>
        recorder.Complete(tag, OutcomeKind.Expired, Matches(tag, orderId));

    private bool Matches(long tag, ReadOnlySpan<byte> orderId) =>
        (ulong)tag < (ulong)recorder.Capacity && Ascii.Equals(orderId, recorder.Orders.OrderOf((int)tag));
}
