namespace Oms.Engine.Venues;

/// <summary>
/// The venue's <c>reason</c> for an error, for the reasons a cancel can meet (<c>docs/venue-ascendex.md</c>).
/// </summary>
/// <remarks>
/// The parser takes the reason from the <c>reason</c> text when it is one of these; otherwise from the
/// <c>code</c> (<see cref="AscendEx.VenueErrorCodes.ReasonOf"/>), which is how <see cref="TooManyRequests"/> is
/// recognised: its reason text is not documented.
/// </remarks>
public enum VenueReason
{
    /// <summary>No reason: an Ack, or a body that carried no error.</summary>
    None = 0,

    /// <summary><c>INVALID_ORDER_ID</c> (300006): unknown, malformed, or already filled or canceled. Ambiguous by design.</summary>
    InvalidOrderId,

    /// <summary><c>INVALID_HTTP_INPUT</c> (100001): a request bug.</summary>
    InvalidHttpInput,

    /// <summary><c>INVALID_REQUEST_DATA</c> (100004): a request bug.</summary>
    InvalidRequestData,

    /// <summary><c>SYMBOL_ERROR</c> (100008).</summary>
    SymbolError,

    /// <summary><c>INVALID_TIMESTAMP</c> (100011): clock skew or a stale request.</summary>
    InvalidTimestamp,

    /// <summary><c>INVALID_JSON_FORMAT</c> (150001): a request bug.</summary>
    InvalidJsonFormat,

    /// <summary><c>AUTHENTICATION_FAILED</c> (200001): wrong key, secret or signing.</summary>
    AuthenticationFailed,

    /// <summary><c>PERMISSION_DENIED</c> (200015): the key lacks the Trade permission.</summary>
    PermissionDenied,

    /// <summary><c>SERVER_ERROR</c> (510001).</summary>
    ServerError,

    /// <summary>Code 100014, a risk-limit violation: too many requests.</summary>
    TooManyRequests,

    /// <summary>A reason and code this table does not know; the raw text is in the caller's scratch.</summary>
    Other,
}
