namespace Oms.Venue.Stats;

/// <summary>A fault the venue injected, as counted in <see cref="VenueStats"/>.</summary>
public enum VenueFault
{
    /// <summary>A stream held open and never answered.</summary>
    NeverAnswered,

    /// <summary>HTTP 500 with a 510001 body.</summary>
    ServerError,

    /// <summary>HTTP 429 with an HTML body.</summary>
    TooManyRequests,

    /// <summary>HTTP 403 with an HTML body.</summary>
    Forbidden,

    /// <summary>An answer that echoed another request id.</summary>
    WrongId,

    /// <summary>An answer whose JSON was cut short.</summary>
    TruncatedJson,

    /// <summary>An HTTP 200 answer whose body was an HTML page instead of JSON.</summary>
    NonJsonBody,

    /// <summary>An HTTP 200 answer with an empty body.</summary>
    EmptyBody,

    /// <summary>A connection reset instead of an answer.</summary>
    ConnectionReset,

    /// <summary>A GOAWAY that closed a connection gracefully.</summary>
    GoAway,

    /// <summary>A 300013 batch refusal whose <c>info</c> also named an order that was not in the batch.</summary>
    BatchWrongInfo,
}
