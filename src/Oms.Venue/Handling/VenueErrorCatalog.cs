using Oms.Venue.Stats;

namespace Oms.Venue.Handling;

/// <summary>The exchange code and reason the venue answers for each failed check (facts sheet, "Error codes").</summary>
internal static class VenueErrorCatalog
{
    public const int InvalidHttpInput = 100001;
    public const int InvalidRequestData = 100004;
    public const int SymbolError = 100008;
    public const int InvalidTimestamp = 100011;
    public const int InvalidJsonFormat = 150001;
    public const int AuthenticationFailed = 200001;
    public const int InvalidOrderId = 300006;
    public const int ServerError = 510001;

    public static (int Code, string Reason) For(VenueCheck check) => check switch
    {
        VenueCheck.AccountGroup or VenueCheck.Method or VenueCheck.BodyTooLarge => (InvalidHttpInput, "INVALID_HTTP_INPUT"),
        VenueCheck.MissingApiKey or VenueCheck.UnknownApiKey or VenueCheck.BadSignature => (AuthenticationFailed, "AUTHENTICATION_FAILED"),
        VenueCheck.MalformedTimestamp or VenueCheck.StaleTimestamp or VenueCheck.StaleTime => (InvalidTimestamp, "INVALID_TIMESTAMP"),
        VenueCheck.InvalidJson => (InvalidJsonFormat, "INVALID_JSON_FORMAT"),
        VenueCheck.InvalidFields or VenueCheck.InvalidRequestId or VenueCheck.InvalidRespInst => (InvalidRequestData, "INVALID_REQUEST_DATA"),
        VenueCheck.EmptySymbol => (SymbolError, "SYMBOL_ERROR"),
        VenueCheck.MalformedOrderId or VenueCheck.UnknownOrder or VenueCheck.AlreadyCanceled => (InvalidOrderId, "INVALID_ORDER_ID"),
        _ => throw new ArgumentOutOfRangeException(nameof(check), check, "No exchange code for this check."),
    };

    /// <summary>
    /// True when the check is about the order, so the answer takes the contract's Err shape with <c>info.id</c>;
    /// other failures (authentication, bad JSON, bad path) answer the short shape without it, as the exchange does.
    /// </summary>
    public static bool IsOrderScoped(VenueCheck check) => check is VenueCheck.MalformedOrderId or VenueCheck.EmptySymbol
        or VenueCheck.StaleTime or VenueCheck.UnknownOrder or VenueCheck.AlreadyCanceled or VenueCheck.InvalidRespInst;
}
