namespace Oms.Engine.Tests.Consumer;

/// <summary>The fault rules as a table: what each attempt result becomes.</summary>
public sealed class RetryRulesTests
{
    private const Http2StreamFailure NoFailure = default;

    // Public for xunit, so typed by what it enumerates: the element types are internal.
    public static IEnumerable<object?[]> Table => new TheoryData<string, bool, Http2StreamFailure, int, bool, CancelResponseKind, VenueErrorClass, bool, string>()
    {
        // case, has failure, failure, status, truncated, kind, error class, re-signed => "verdict reason delay [proves-key] [clock-skew]"
        { "stopped", true, Http2StreamFailure.Disposed, 0, false, default, default, false, "Fail Stopped None" },
        { "never processed", true, Http2StreamFailure.NotProcessed, 0, false, default, default, false, "Retry TransportExhausted None" },
        { "timeout", true, Http2StreamFailure.Timeout, 0, false, default, default, false, "Retry TransportExhausted Transport" },
        { "connection lost", true, Http2StreamFailure.ConnectionLost, 0, false, default, default, false, "Retry TransportExhausted Transport" },
        { "reset", true, Http2StreamFailure.Reset, 0, false, default, default, false, "Retry TransportExhausted Transport" },
        { "protocol error", true, Http2StreamFailure.ProtocolError, 0, false, default, default, false, "Retry TransportExhausted Transport" },
        { "429", false, NoFailure, 429, false, CancelResponseKind.NotJson, default, false, "Retry VenueUnavailable Venue" },
        { "403", false, NoFailure, 403, false, CancelResponseKind.NotJson, default, false, "Retry VenueUnavailable Venue" },
        { "503 cut at the limit", false, NoFailure, 503, true, default, default, false, "Retry VenueUnavailable Venue" },
        { "404", false, NoFailure, 404, false, CancelResponseKind.NotJson, default, false, "Fail BadResponse None" },
        { "an Ack cut at the limit", false, NoFailure, 200, true, CancelResponseKind.Ack, VenueErrorClass.Acked, false, "Fail BadResponse None" },
        { "Ack", false, NoFailure, 200, false, CancelResponseKind.Ack, VenueErrorClass.Acked, false, "Acked - None proves-key" },
        { "not JSON", false, NoFailure, 200, false, CancelResponseKind.NotJson, default, false, "Fail BadResponse None" },
        { "empty", false, NoFailure, 200, false, CancelResponseKind.Empty, default, false, "Fail BadResponse None" },
        { "200001", false, NoFailure, 200, false, CancelResponseKind.Err, VenueErrorClass.AuthenticationFailed, false, "Fail AuthenticationFailed None" },
        { "200015", false, NoFailure, 200, false, CancelResponseKind.Err, VenueErrorClass.PermissionDenied, false, "Fail PermissionDenied None proves-key" },
        { "100011 first", false, NoFailure, 200, false, CancelResponseKind.Err, VenueErrorClass.ReSign, false, "ReSign VenueUnavailable None clock-skew" },
        { "100011 again", false, NoFailure, 200, false, CancelResponseKind.Err, VenueErrorClass.ReSign, true, "Rejected - None clock-skew" },
        { "510001", false, NoFailure, 200, false, CancelResponseKind.Err, VenueErrorClass.RetryWithBackoff, false, "Retry VenueUnavailable Venue proves-key" },
        { "300006", false, NoFailure, 200, false, CancelResponseKind.Err, VenueErrorClass.Rejected, false, "Rejected - None proves-key" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    internal void Judge_AttemptResult_TheFaultRulesVerdict(
        string @case, bool hasFailure, Http2StreamFailure failure, int status, bool truncated, CancelResponseKind kind, VenueErrorClass errorClass, bool reSigned, string expected)
    {
        var verdict = RetryRules.Judge(new AttemptResult(hasFailure, failure, status, truncated, kind, errorClass, reSigned));

        Assert.True(expected == Describe(verdict), $"{@case}: expected {expected}, got {Describe(verdict)}");
    }

    // A verdict in the table's words; the reason only where it matters (a failure, or what a retry ends with).
    private static string Describe(Verdict verdict) =>
        $"{verdict.Kind} {(verdict.Kind is VerdictKind.Fail or VerdictKind.Retry or VerdictKind.ReSign ? verdict.Reason.ToString() : "-")} {verdict.Delay}"
        + (verdict.ProvesKey ? " proves-key" : "") + (verdict.ClockSkew ? " clock-skew" : "");
}
