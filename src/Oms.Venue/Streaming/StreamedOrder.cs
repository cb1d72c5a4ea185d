using Oms.Venue.Book;

namespace Oms.Venue.Streaming;

/// <summary>An order that reached a final status, numbered for the account's stream.</summary>
/// <param name="Order">The order as it ended.</param>
/// <param name="ExecId">The account's execution number (<c>execId</c>), increasing with every final status.</param>
internal readonly record struct StreamedOrder(OrderView Order, long ExecId);
