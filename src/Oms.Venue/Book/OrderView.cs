namespace Oms.Venue.Book;

/// <summary>One order as the book holds it at one moment.</summary>
/// <param name="OrderId">The exchange order id.</param>
/// <param name="Symbol">Its symbol.</param>
/// <param name="Status">Its status; <see cref="OrderStatus.New"/> while an acknowledged cancel is still pending.</param>
/// <param name="Fill">When it filled, if it did.</param>
/// <param name="LastExecTimeMs">Venue time of its last change (seeding, fill or cancel), Unix milliseconds.</param>
/// <param name="SeqNum">The book's sequence number of that change; it increases with every change in the book.</param>
public readonly record struct OrderView(string OrderId, string Symbol, OrderStatus Status, FillTiming Fill, long LastExecTimeMs, long SeqNum);
