namespace Oms.Engine.Venues.AscendEx;

/// <summary>
/// The client-side rate limits the engine uses unless settings say otherwise, from
/// <c>docs/venue-ascendex.md</c> ("Rate limits").
/// </summary>
/// <remarks>
/// AscendEX documents no REST request limit. Widely used clients throttle order endpoints to about 50 requests/s
/// per endpoint and 100/s overall (an older statement said 10/s). The WebSocket limits are documented: 8000 cancel
/// messages per minute before that message type is ignored for 15 minutes, 10000 before the session is killed and
/// the IP banned for 15 minutes. Staying under these keeps a strategy from getting its IP banned.
/// </remarks>
internal static class RateLimitDefaults
{
    /// <summary>Requests per second per REST endpoint (the cancel endpoint's default rate): 50.</summary>
    public const int RequestsPerSecondPerEndpoint = 50;

    /// <summary>
    /// Burst for the per-endpoint bucket: 10 requests, a fifth of a second at the default rate, so a strategy can
    /// pull a handful of quotes at once without ever exceeding 60 in any one second.
    /// </summary>
    public const int BurstPerEndpoint = 10;

    /// <summary>Requests per second across all REST endpoints of one account: 100.</summary>
    public const int RequestsPerSecondOverall = 100;
}
