namespace Oms.Venue.Handling;

/// <summary>The two cancel endpoints the venue serves and what differs between them.</summary>
/// <param name="Name">The profile's name, <c>v1</c> or <c>v2</c>.</param>
/// <param name="PathSuffix">The path after <c>/{group}</c>.</param>
/// <param name="Prehash">What follows <c>&lt;timestamp&gt;+</c> in the signed message.</param>
/// <param name="RequestIdLength">The lengths the body's <c>id</c> may have.</param>
/// <param name="OrderIdLength">The lengths the body's <c>orderId</c> may have.</param>
internal sealed record VenueApiProfile(string Name, string PathSuffix, string Prehash, (int Min, int Max) RequestIdLength, (int Min, int Max) OrderIdLength)
{
    /// <summary>The contract: <c>DELETE /{group}/api/pro/v1/futures/order</c>, prehash <c>order</c>, ids of exactly 32 characters.</summary>
    public static readonly VenueApiProfile V1 = new("v1", "/api/pro/v1/futures/order", "order", (32, 32), (32, 32));

    /// <summary>The current API: <c>DELETE /{group}/api/pro/v2/futures/order</c>, prehash <c>v2/futures/order</c>, request ids of 9 to 32 characters.</summary>
    public static readonly VenueApiProfile V2 = new("v2", "/api/pro/v2/futures/order", "v2/futures/order", (9, 32), (1, 32));

    public bool IsV2 => ReferenceEquals(this, V2);
}
