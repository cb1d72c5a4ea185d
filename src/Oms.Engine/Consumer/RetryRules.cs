namespace Oms.Engine.Consumer;

/// <summary>
/// The fault rules as one pure function: given what came back for an attempt, what becomes of the cancel. The
/// consumer applies the verdict (state, counters, listener, queues); nothing here has side effects, so the rules are
/// tested as a table (README, "Faults and what they get").
/// </summary>
internal static class RetryRules
{
    /// <summary>Judges one attempt's result.</summary>
    public static Verdict Judge(in AttemptResult result)
    {
        if (result.HasFailure)
        {
            return result.Failure switch
            {
                Http2StreamFailure.Disposed => Verdict.Fail(CancelFailureReason.Stopped),

                // Lost in transport: the outcome is unknown and a second cancel is harmless, so it goes again with a new
                // id; a stream the server promised it never processed goes again at once.
                Http2StreamFailure.NotProcessed => Verdict.Retry(CancelFailureReason.TransportExhausted, RetryDelay.None),
                _ => Verdict.Retry(CancelFailureReason.TransportExhausted, RetryDelay.Transport),
            };
        }

        var status = result.HttpStatus;
        if (status == 429 || status == 403 || status >= 500)
        {
            return Verdict.Retry(CancelFailureReason.VenueUnavailable, RetryDelay.Venue);
        }

        if (status != 200 || result.Truncated)
        {
            // Another status, or a body cut at the transport's limit (a prefix must never pass for an answer).
            return Verdict.Fail(CancelFailureReason.BadResponse);
        }

        // A stale timestamp (100011) may be judged before the signature, so it proves nothing about the key.
        var provesKey = result.Kind == CancelResponseKind.Ack
            || (result.Kind == CancelResponseKind.Err && result.ErrorClass is not (VenueErrorClass.AuthenticationFailed or VenueErrorClass.ReSign));
        var verdict = result.Kind switch
        {
            CancelResponseKind.Ack => Verdict.Acked,
            CancelResponseKind.Err => JudgeError(result),

            // Not JSON, truncated, empty or of an unknown shape: the venue may or may not have acted on it.
            _ => Verdict.Fail(CancelFailureReason.BadResponse),
        };
        return verdict with { ProvesKey = provesKey };
    }

    private static Verdict JudgeError(in AttemptResult result) => result.ErrorClass switch
    {
        // Do not hammer the venue with a key it refuses: the consumer stops sending and fails everything waiting.
        VenueErrorClass.AuthenticationFailed => Verdict.Fail(CancelFailureReason.AuthenticationFailed),
        VenueErrorClass.PermissionDenied => Verdict.Fail(CancelFailureReason.PermissionDenied),

        // 100011: re-signed with a fresh timestamp once (the same attempt, not a retry), then the venue's word stands.
        VenueErrorClass.ReSign => result.AlreadyReSigned ? Verdict.Rejected with { ClockSkew = true } : Verdict.ReSign,
        VenueErrorClass.RetryWithBackoff => Verdict.Retry(CancelFailureReason.VenueUnavailable, RetryDelay.Venue),
        _ => Verdict.Rejected,
    };
}

/// <summary>What came back for one attempt, as the rules need it.</summary>
/// <param name="HasFailure">No answer: <paramref name="Failure"/> says why.</param>
/// <param name="Failure">The transport's reason, when <paramref name="HasFailure"/>.</param>
/// <param name="HttpStatus">The answer's <c>:status</c>.</param>
/// <param name="Truncated">The body was cut at the transport's limit.</param>
/// <param name="Kind">The body's shape as the parser read it.</param>
/// <param name="ErrorClass">For an Err, the class of its code.</param>
/// <param name="AlreadyReSigned">The cancel was re-signed once already after a 100011.</param>
internal readonly record struct AttemptResult(
    bool HasFailure, Http2StreamFailure Failure, int HttpStatus, bool Truncated, CancelResponseKind Kind, VenueErrorClass ErrorClass, bool AlreadyReSigned);

/// <summary>What becomes of a cancel after an attempt.</summary>
internal enum VerdictKind
{
    /// <summary>The venue acknowledged it.</summary>
    Acked,

    /// <summary>The venue refused it with its code and reason.</summary>
    Rejected,

    /// <summary>It fails with <see cref="Verdict.Reason"/>.</summary>
    Fail,

    /// <summary>It goes again with a new request id after <see cref="Verdict.Delay"/>, within the window and the attempts.</summary>
    Retry,

    /// <summary>It goes again at once, re-signed with a fresh timestamp (100011).</summary>
    ReSign,
}

/// <summary>How long a retry waits.</summary>
internal enum RetryDelay
{
    /// <summary>At once.</summary>
    None,

    /// <summary>A quarter of the retry back-off: a transport loss.</summary>
    Transport,

    /// <summary>The doubling back-off, or the answer's <c>retry-after</c> when longer: a venue that asked for time.</summary>
    Venue,
}

/// <summary>The rules' verdict on one attempt.</summary>
/// <param name="Kind">What becomes of the cancel.</param>
/// <param name="Reason">The failure reason: the outcome's for <see cref="VerdictKind.Fail"/>, the one a retry ends with if it runs out.</param>
/// <param name="Delay">How long a retry waits.</param>
/// <param name="ProvesKey">The answer proves the credentials (any Ack, any error but 200001 and 100011).</param>
/// <param name="ClockSkew">The answer was a 100011: the consumer reports the skew from its <c>date</c> header.</param>
internal readonly record struct Verdict(VerdictKind Kind, CancelFailureReason Reason, RetryDelay Delay, bool ProvesKey, bool ClockSkew)
{
    public static Verdict Acked => new(VerdictKind.Acked, default, RetryDelay.None, false, false);

    public static Verdict Rejected => new(VerdictKind.Rejected, default, RetryDelay.None, false, false);

    public static Verdict ReSign => new(VerdictKind.ReSign, CancelFailureReason.VenueUnavailable, RetryDelay.None, false, true);

    public static Verdict Fail(CancelFailureReason reason) => new(VerdictKind.Fail, reason, RetryDelay.None, false, false);

    public static Verdict Retry(CancelFailureReason reason, RetryDelay delay) => new(VerdictKind.Retry, reason, delay, false, false);
}
