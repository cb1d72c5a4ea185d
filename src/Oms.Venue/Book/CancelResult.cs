namespace Oms.Venue.Book;

/// <summary>What one cancel did to the book.</summary>
public enum CancelResult
{
    /// <summary>The order was open and this cancel closed it.</summary>
    Canceled,

    /// <summary>No such order under that symbol.</summary>
    Unknown,

    /// <summary>The order had been canceled before.</summary>
    AlreadyCanceled,
}
