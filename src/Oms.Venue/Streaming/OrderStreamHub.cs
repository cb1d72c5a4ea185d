using Oms.Venue.Book;

namespace Oms.Venue.Streaming;

/// <summary>Hands every final order status from the book to the account's stream sessions.</summary>
/// <remarks>
/// The book calls <see cref="OnFinalStatus"/> on the thread that cancelled or filled the order, a request thread or a
/// delayed-cancel timer; it costs one interlocked increment and a non-blocking offer per session, so the cancel
/// path never waits for a client. Sessions come and go under a lock; the publishing side reads a copy-on-write array.
/// </remarks>
internal sealed class OrderStreamHub : IDisposable
{
    private readonly OrderBook _book;
    private readonly Lock _lock = new();
    private StreamSession[] _sessions = [];
    private long _execId;

    public OrderStreamHub(OrderBook book)
    {
        _book = book;
        book.FinalStatusReached += OnFinalStatus;
    }

    public void Add(StreamSession session)
    {
        lock (_lock)
        {
            Volatile.Write(ref _sessions, [.. _sessions, session]);
        }
    }

    public void Remove(StreamSession session)
    {
        lock (_lock)
        {
            Volatile.Write(ref _sessions, Array.FindAll(_sessions, other => !ReferenceEquals(other, session)));
        }
    }

    // The venue serves one account, so one execId sequence; it advances even with nobody listening, as the exchange's does.
    private void OnFinalStatus(OrderView order)
    {
        var streamed = new StreamedOrder(order, Interlocked.Increment(ref _execId));
        foreach (var session in Volatile.Read(ref _sessions))
        {
            session.Offer(streamed);
        }
    }

    /// <summary>Stops listening to the book, which may outlive this venue and serve a restarted one.</summary>
    public void Dispose() => _book.FinalStatusReached -= OnFinalStatus;
}
