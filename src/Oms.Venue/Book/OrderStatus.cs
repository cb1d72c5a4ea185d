namespace Oms.Venue.Book;

/// <summary>An order's status as the venue reports it (<c>status</c> in the order status answer).</summary>
public enum OrderStatus
{
    /// <summary>Open: still resting, including while an acknowledged cancel has not yet taken effect.</summary>
    New,

    /// <summary>Filled: the fill won the race against the cancel.</summary>
    Filled,

    /// <summary>Canceled: a cancel took effect.</summary>
    Canceled,
}
