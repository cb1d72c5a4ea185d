namespace Oms.Venue.Book;

/// <summary>What the venue's book knows of an order id.</summary>
public enum OrderBookState
{
    /// <summary>Never seeded.</summary>
    Unknown,

    /// <summary>Open: a cancel would succeed.</summary>
    Open,

    /// <summary>Canceled already: a cancel answers 300006.</summary>
    Canceled,
}
