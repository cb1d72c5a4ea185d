using Oms.Venue.Stats;

namespace Oms.Venue.Handling;

/// <summary>The exchange code and reason the venue answers for each failed check (facts sheet, "Error codes").</summary>
internal static class VenueErrorCatalog
{
    public static (int Code, string Reason) For(VenueCheck check) => check switch
    {
        VenueCheck.AccountGroup or VenueCheck.Method or VenueCheck.BodyTooLarge => (100001, "INVALID_HTTP_INPUT"),
        VenueCheck.MissingApiKey or VenueCheck.UnknownApiKey or VenueCheck.BadSignature => (200001, "AUTHENTICATION_FAILED"),
        VenueCheck.MalformedTimestamp or VenueCheck.StaleTimestamp or VenueCheck.StaleTime => (100011, "INVALID_TIMESTAMP"),
        VenueCheck.InvalidJson => (150001, "INVALID_JSON_FORMAT"),
        VenueCheck.InvalidFields or VenueCheck.InvalidRequestId or VenueCheck.InvalidRespInst => (100004, "INVALID_REQUEST_DATA"),
        VenueCheck.EmptySymbol => (100008, "SYMBOL_ERROR"),
        VenueCheck.MalformedOrderId or VenueCheck.UnknownOrder or VenueCheck.AlreadyCanceled or VenueCheck.AlreadyFilled => (300006, "INVALID_ORDER_ID"),
        _ => throw new ArgumentOutOfRangeException(nameof(check), check, "No exchange code for this check."),
    };

    /// <summary>
    /// True when the check is about the order, so the answer takes the contract's Err shape with <c>info.id</c>;
    /// other failures (authentication, bad JSON, bad path) answer the short shape without it, as the exchange does.
    /// </summary>
    public static bool IsOrderScoped(VenueCheck check) => check is VenueCheck.MalformedOrderId or VenueCheck.EmptySymbol
        or VenueCheck.StaleTime or VenueCheck.UnknownOrder or VenueCheck.AlreadyCanceled or VenueCheck.AlreadyFilled or VenueCheck.InvalidRespInst;
}
