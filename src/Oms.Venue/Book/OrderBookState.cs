namespace Oms.Venue.Book;

/// <summary>What the venue's book knows of an order id.</summary>
public enum OrderBookState
{
    /// <summary>Never seeded.</summary>
    Unknown,

    /// <summary>Open: a cancel would succeed. Also while an acknowledged cancel has not yet taken effect.</summary>
    Open,

    /// <summary>Canceled already: a cancel answers 300006.</summary>
    Canceled,

    /// <summary>Filled: a cancel answers 300006 "The order is already filled or canceled.".</summary>
    Filled,
}
