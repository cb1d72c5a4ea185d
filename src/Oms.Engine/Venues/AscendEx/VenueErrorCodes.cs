namespace Oms.Engine.Venues.AscendEx;

/// <summary>
/// The AscendEX codes a cancel can meet (<c>docs/venue-ascendex.md</c>), their reasons, and what the
/// engine does with each.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class VenueErrorCodes
{
    /// <summary>0: the cancel was acknowledged.</summary>
    public const long Success = 0;

    /// <summary>100001 <c>INVALID_HTTP_INPUT</c>: a request bug, never retried blindly.</summary>
    public const long InvalidHttpInput = 100001;

    /// <summary>100004 <c>INVALID_REQUEST_DATA</c>: a request bug.</summary>
    public const long InvalidRequestData = 100004;

    /// <summary>100008 <c>SYMBOL_ERROR</c>.</summary>
    public const long SymbolError = 100008;

    /// <summary>100011 <c>INVALID_TIMESTAMP</c>: clock skew or a stale request.</summary>
    public const long InvalidTimestamp = 100011;

    /// <summary>100014: risk-limit violation, too many requests.</summary>
    public const long TooManyRequests = 100014;

    /// <summary>150001 <c>INVALID_JSON_FORMAT</c>: a request bug.</summary>
    public const long InvalidJsonFormat = 150001;

    /// <summary>200001 <c>AUTHENTICATION_FAILED</c>.</summary>
    public const long AuthenticationFailed = 200001;

    /// <summary>200015 <c>PERMISSION_DENIED</c>: the key lacks the Trade permission.</summary>
    public const long PermissionDenied = 200015;

    /// <summary>300006 <c>INVALID_ORDER_ID</c>: unknown, malformed, or already final.</summary>
    public const long InvalidOrderId = 300006;

    /// <summary>510001 <c>SERVER_ERROR</c>.</summary>
    public const long ServerError = 510001;

    /// <summary>What the engine does with a code.</summary>
    /// <param name="code">The response's <c>code</c>.</param>
    /// <returns>The table's class; <see cref="VenueErrorClass.Rejected"/> for any non-zero code the table does not list.</returns>
    public static VenueErrorClass Classify(long code) =>
        TryClassify(code, out VenueErrorClass errorClass) ? errorClass : VenueErrorClass.Rejected;

    /// <summary>What the engine does with a code, if the table lists it.</summary>
    /// <param name="code">The response's <c>code</c>.</param>
    /// <param name="errorClass">The class, or <see cref="VenueErrorClass.Undetermined"/> when the code is not listed.</param>
    /// <returns><see langword="true"/> if the code is in the table (0 included).</returns>
    public static bool TryClassify(long code, out VenueErrorClass errorClass)
    {
        errorClass = code switch
        {
            Success => VenueErrorClass.Acked,
            InvalidOrderId or InvalidHttpInput or InvalidRequestData or SymbolError or InvalidJsonFormat => VenueErrorClass.Rejected,
            InvalidTimestamp => VenueErrorClass.ReSign,
            AuthenticationFailed => VenueErrorClass.AuthenticationFailed,
            PermissionDenied => VenueErrorClass.PermissionDenied,
            ServerError or TooManyRequests => VenueErrorClass.RetryWithBackoff,
            _ => VenueErrorClass.Undetermined,
        };
        return errorClass != VenueErrorClass.Undetermined;
    }

    /// <summary>What the engine does with a reason, for errors whose code is missing or not in the table.</summary>
    /// <param name="reason">The parsed reason.</param>
    /// <returns>The class of the reason's code; <see cref="VenueErrorClass.Rejected"/> for <see cref="VenueReason.Other"/> and <see cref="VenueReason.None"/>.</returns>
    public static VenueErrorClass Classify(VenueReason reason) => reason switch
    {
        VenueReason.InvalidTimestamp => VenueErrorClass.ReSign,
        VenueReason.AuthenticationFailed => VenueErrorClass.AuthenticationFailed,
        VenueReason.PermissionDenied => VenueErrorClass.PermissionDenied,
        VenueReason.ServerError or VenueReason.TooManyRequests => VenueErrorClass.RetryWithBackoff,
        _ => VenueErrorClass.Rejected,
    };

    /// <summary>The reason the table gives a code.</summary>
    /// <param name="code">The response's <c>code</c>.</param>
    /// <returns>The reason; <see cref="VenueReason.None"/> for 0 and <see cref="VenueReason.Other"/> for codes not in the table.</returns>
    public static VenueReason ReasonOf(long code) => code switch
    {
        Success => VenueReason.None,
        InvalidOrderId => VenueReason.InvalidOrderId,
        InvalidHttpInput => VenueReason.InvalidHttpInput,
        InvalidRequestData => VenueReason.InvalidRequestData,
        SymbolError => VenueReason.SymbolError,
        InvalidTimestamp => VenueReason.InvalidTimestamp,
        InvalidJsonFormat => VenueReason.InvalidJsonFormat,
        AuthenticationFailed => VenueReason.AuthenticationFailed,
        PermissionDenied => VenueReason.PermissionDenied,
        ServerError => VenueReason.ServerError,
        TooManyRequests => VenueReason.TooManyRequests,
        _ => VenueReason.Other,
    };

    /// <summary>The code the table gives a reason, for a venue (such as the simulator) that must answer with one.</summary>
    /// <param name="reason">A reason other than <see cref="VenueReason.None"/> and <see cref="VenueReason.Other"/>.</param>
    /// <returns>The code.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reason"/> has no code.</exception>
    public static long CodeOf(VenueReason reason) => reason switch
    {
        VenueReason.InvalidOrderId => InvalidOrderId,
        VenueReason.InvalidHttpInput => InvalidHttpInput,
        VenueReason.InvalidRequestData => InvalidRequestData,
        VenueReason.SymbolError => SymbolError,
        VenueReason.InvalidTimestamp => InvalidTimestamp,
        VenueReason.InvalidJsonFormat => InvalidJsonFormat,
        VenueReason.AuthenticationFailed => AuthenticationFailed,
        VenueReason.PermissionDenied => PermissionDenied,
        VenueReason.ServerError => ServerError,
        VenueReason.TooManyRequests => TooManyRequests,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "This reason has no venue code."),
    };

    /// <summary>The venue's <c>reason</c> text for a reason, as it appears in error bodies.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>
    /// The text, e.g. <c>INVALID_ORDER_ID</c>; <see langword="null"/> for <see cref="VenueReason.None"/>,
    /// <see cref="VenueReason.Other"/> and <see cref="VenueReason.TooManyRequests"/>, whose text the public material does not give.
    /// </returns>
    public static string? ReasonText(VenueReason reason) => reason switch
    {
        VenueReason.InvalidOrderId => "INVALID_ORDER_ID",
        VenueReason.InvalidHttpInput => "INVALID_HTTP_INPUT",
        VenueReason.InvalidRequestData => "INVALID_REQUEST_DATA",
        VenueReason.SymbolError => "SYMBOL_ERROR",
        VenueReason.InvalidTimestamp => "INVALID_TIMESTAMP",
        VenueReason.InvalidJsonFormat => "INVALID_JSON_FORMAT",
        VenueReason.AuthenticationFailed => "AUTHENTICATION_FAILED",
        VenueReason.PermissionDenied => "PERMISSION_DENIED",
        VenueReason.ServerError => "SERVER_ERROR",
        _ => null,
    };

    /// <summary>The reason named by a <c>reason</c> text.</summary>
    /// <param name="utf8Text">The text's UTF-8 bytes, unescaped.</param>
    /// <returns>The reason, or <see cref="VenueReason.Other"/> for text the table does not know (matching is case-sensitive, as the venue writes it).</returns>
    public static VenueReason ReasonFromText(ReadOnlySpan<byte> utf8Text)
    {
        for (VenueReason reason = VenueReason.InvalidOrderId; reason < VenueReason.Other; reason++)
        {
            ReadOnlySpan<byte> text = ReasonTextUtf8(reason);
            if (!text.IsEmpty && utf8Text.SequenceEqual(text))
            {
                return reason;
            }
        }

        return VenueReason.Other;
    }

    /// <summary>The UTF-8 reason text the parser compares against; empty for reasons without a documented text.</summary>
    internal static ReadOnlySpan<byte> ReasonTextUtf8(VenueReason reason) => reason switch
    {
        VenueReason.InvalidOrderId => "INVALID_ORDER_ID"u8,
        VenueReason.InvalidHttpInput => "INVALID_HTTP_INPUT"u8,
        VenueReason.InvalidRequestData => "INVALID_REQUEST_DATA"u8,
        VenueReason.SymbolError => "SYMBOL_ERROR"u8,
        VenueReason.InvalidTimestamp => "INVALID_TIMESTAMP"u8,
        VenueReason.InvalidJsonFormat => "INVALID_JSON_FORMAT"u8,
        VenueReason.AuthenticationFailed => "AUTHENTICATION_FAILED"u8,
        VenueReason.PermissionDenied => "PERMISSION_DENIED"u8,
        VenueReason.ServerError => "SERVER_ERROR"u8,
        _ => [],
    };
}
