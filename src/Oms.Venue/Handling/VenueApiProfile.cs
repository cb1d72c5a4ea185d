namespace Oms.Venue.Handling;

/// <summary>The two cancel endpoints the venue serves and what differs between them.</summary>
internal sealed class VenueApiProfile
{
    /// <summary>The contract: <c>DELETE /{group}/api/pro/v1/futures/order</c>, prehash <c>order</c>.</summary>
    public static readonly VenueApiProfile V1 = new("v1", "/api/pro/v1/futures/order", "order");

    /// <summary>The current API: <c>DELETE /{group}/api/pro/v2/futures/order</c>, prehash <c>v2/futures/order</c>.</summary>
    public static readonly VenueApiProfile V2 = new("v2", "/api/pro/v2/futures/order", "v2/futures/order");

    private VenueApiProfile(string name, string pathSuffix, string prehash)
    {
        Name = name;
        PathSuffix = pathSuffix;
        Prehash = prehash;
    }

    public string Name { get; }

    /// <summary>The path after <c>/{group}</c>.</summary>
    public string PathSuffix { get; }

    /// <summary>What follows <c>&lt;timestamp&gt;+</c> in the signed message.</summary>
    public string Prehash { get; }

    public bool IsV2 => ReferenceEquals(this, V2);
}
