namespace Oms.Engine.Venues;

/// <summary>What a cancel response body turned out to be.</summary>
internal enum CancelResponseKind
{
    /// <summary>Not parsed: the value of a default <see cref="CancelResponse"/>, never returned by the parser.</summary>
    None = 0,

    /// <summary>The venue acknowledged the cancel (<c>code</c> 0 and the profile's success shape). It received the cancel; the outcome comes later.</summary>
    Ack,

    /// <summary>The venue answered with an error: a non-zero <c>code</c> or <c>"status":"Err"</c>.</summary>
    Err,

    /// <summary>The body is empty or only JSON whitespace.</summary>
    Empty,

    /// <summary>The body does not start with a JSON object or array: an HTML error page (the CDN's 429), plain text, a bare JSON scalar.</summary>
    NotJson,

    /// <summary>The body starts as JSON but ends before its top-level value closes.</summary>
    Truncated,

    /// <summary>The body starts as JSON but is invalid, nests too deep, or has bytes after the top-level value.</summary>
    Malformed,

    /// <summary>Valid JSON that is neither the profile's success shape nor an error: no <c>code</c>, or <c>code</c> 0 without the success fields.</summary>
    UnknownShape,
}
