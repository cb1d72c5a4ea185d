namespace Oms.Venue.Stats;

/// <summary>Why the venue refused a cancel request: one value per check of the contract and the facts sheet.</summary>
public enum VenueCheck
{
    /// <summary>The first path segment is not the account's group. Answered 100001 INVALID_HTTP_INPUT.</summary>
    AccountGroup,

    /// <summary>The method is not DELETE. Answered 100001 INVALID_HTTP_INPUT.</summary>
    Method,

    /// <summary>No <c>x-auth-key</c> header. Answered 200001 AUTHENTICATION_FAILED.</summary>
    MissingApiKey,

    /// <summary><c>x-auth-key</c> is not the account's key. Answered 200001 AUTHENTICATION_FAILED.</summary>
    UnknownApiKey,

    /// <summary><c>x-auth-timestamp</c> is missing or not 13 digits. Answered 100011 INVALID_TIMESTAMP.</summary>
    MalformedTimestamp,

    /// <summary><c>x-auth-timestamp</c> is more than 30 s from the venue's clock. Answered 100011 INVALID_TIMESTAMP.</summary>
    StaleTimestamp,

    /// <summary><c>x-auth-signature</c> is missing or does not match. Answered 200001 AUTHENTICATION_FAILED.</summary>
    BadSignature,

    /// <summary>The body is too long. Answered 100001 INVALID_HTTP_INPUT.</summary>
    BodyTooLarge,

    /// <summary>The body is not a JSON object. Answered 150001 INVALID_JSON_FORMAT.</summary>
    InvalidJson,

    /// <summary>A field is missing, repeated, of the wrong type, or not one the profile allows. Answered 100004 INVALID_REQUEST_DATA.</summary>
    InvalidFields,

    /// <summary><c>id</c> is not what the profile allows (v1: 32 letters and digits). Answered 100004 INVALID_REQUEST_DATA.</summary>
    InvalidRequestId,

    /// <summary><c>orderId</c> has the wrong length (v1: 32). Answered 300006 INVALID_ORDER_ID.</summary>
    MalformedOrderId,

    /// <summary><c>symbol</c> is empty. Answered 100008 SYMBOL_ERROR.</summary>
    EmptySymbol,

    /// <summary><c>time</c> is more than 30 s from the venue's clock. Answered 100011 INVALID_TIMESTAMP.</summary>
    StaleTime,

    /// <summary><c>respInst</c> (v2) is not ACK, ACCEPT or DONE. Answered 100004 INVALID_REQUEST_DATA.</summary>
    InvalidRespInst,

    /// <summary>The order is not in the book (or under another symbol). Answered 300006 INVALID_ORDER_ID.</summary>
    UnknownOrder,

    /// <summary>The order was canceled already. Answered 300006 INVALID_ORDER_ID.</summary>
    AlreadyCanceled,

    /// <summary>The order had filled (before its cancel arrived, or after an earlier Ack). Answered 300006 INVALID_ORDER_ID, "The order is already filled or canceled.".</summary>
    AlreadyFilled,
}
