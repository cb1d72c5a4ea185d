namespace Oms.Venue.Book;

/// <summary>What one cancel did to the book.</summary>
public enum CancelResult
{
    /// <summary>The order was open and this cancel was accepted: it closes the order (at once, or after the venue's cancel delay).</summary>
    Canceled,

    /// <summary>No such order under that symbol.</summary>
    Unknown,

    /// <summary>The order had been canceled before, or a cancel of it is already pending.</summary>
    AlreadyCanceled,

    /// <summary>The order had filled.</summary>
    AlreadyFilled,
}
