namespace Oms.Venue.Handling;

/// <summary>One order of a refused batch, as its <c>info</c> entry names it.</summary>
/// <param name="Code">The code a single cancel of it would have met, e.g. 300006.</param>
/// <param name="Reason">That code's reason, e.g. <c>INVALID_ORDER_ID</c>.</param>
/// <param name="Message">Why, e.g. "The order is already filled or canceled.".</param>
/// <param name="Id">The order's request id as sent.</param>
/// <param name="OrderId">The order id as sent.</param>
internal readonly record struct BatchOrderFailure(int Code, string Reason, string Message, string? Id, string? OrderId);
