namespace Oms.Venue.Streaming;

/// <summary>The two private order streams the venue serves and what differs between them.</summary>
/// <param name="Name">The profile's name, <c>v1</c> or <c>v2</c>.</param>
/// <param name="PathSuffix">The path after <c>/{group}</c>.</param>
/// <param name="Prehash">What follows <c>&lt;timestamp&gt;+</c> in the upgrade's signature.</param>
/// <param name="OrderChannel">The channel a client subscribes to for its futures orders.</param>
/// <param name="FlatOrders">True when order messages carry the order's fields at the top level (v2), not under <c>data</c> (v1).</param>
internal sealed record StreamProfile(string Name, string PathSuffix, string Prehash, string OrderChannel, bool FlatOrders)
{
    /// <summary><c>/{group}/api/pro/v1/stream</c>, prehash <c>stream</c>, channel <c>order:futures</c> (facts sheet, "After the Ack").</summary>
    public static readonly StreamProfile V1 = new("v1", "/api/pro/v1/stream", "stream", "order:futures", FlatOrders: false);

    /// <summary><c>/{group}/api/pro/v2/stream</c>, prehash <c>v2/stream</c>, channel <c>futures-order</c> (facts sheet, "The current API").</summary>
    public static readonly StreamProfile V2 = new("v2", "/api/pro/v2/stream", "v2/stream", "futures-order", FlatOrders: true);
}
