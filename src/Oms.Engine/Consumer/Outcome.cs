namespace Oms.Engine.Consumer;

/// <summary>How a cancel ended; the message and detail bytes live in the in-flight entry that carried the answer.</summary>
internal readonly record struct Outcome(CancelState State, long Code, VenueReason Reason, CancelFailureReason FailureReason)
{
    public static Outcome Acked => new(CancelState.Acked, 0, VenueReason.None, default);

    public static Outcome Expired => new(CancelState.Expired, 0, VenueReason.None, default);

    public static Outcome Rejected(long code, VenueReason reason) => new(CancelState.Rejected, code, reason, default);

    public static Outcome Failed(CancelFailureReason reason) => new(CancelState.Failed, 0, VenueReason.None, reason);
}
