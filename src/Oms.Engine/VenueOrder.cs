namespace Oms.Engine;

/// <summary>One order as the venue reports it (open orders, order status).</summary>
/// <param name="OrderId">The venue's order id.</param>
/// <param name="Symbol">The order's symbol.</param>
/// <param name="Status">The venue's word for its status (<c>New</c>, <c>PartiallyFilled</c>, <c>Filled</c>, <c>Canceled</c>, ...).</param>
public readonly record struct VenueOrder(string OrderId, string Symbol, string Status);
