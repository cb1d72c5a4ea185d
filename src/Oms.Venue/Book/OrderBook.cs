using System.Collections.Concurrent;

namespace Oms.Venue.Book;

/// <summary>The venue's open orders: what a cancel can find, and what it changes.</summary>
/// <remarks>Thread-safe: seeded by the host from any thread, consulted and changed by Kestrel's request threads.</remarks>
public sealed class OrderBook
{
    private readonly ConcurrentDictionary<string, BookEntry> _orders = new(StringComparer.Ordinal);

    /// <summary>How many orders are open.</summary>
    public int OpenCount
    {
        get
        {
            var open = 0;
            foreach (var pair in _orders)
            {
                if (pair.Value.IsOpen)
                {
                    open++;
                }
            }

            return open;
        }
    }

    /// <summary>How many orders the book holds, open or canceled.</summary>
    public int Count => _orders.Count;

    /// <summary>Adds an open order; false when the id is already in the book.</summary>
    public bool TrySeed(string orderId, string symbol)
    {
        ArgumentException.ThrowIfNullOrEmpty(orderId);
        ArgumentException.ThrowIfNullOrEmpty(symbol);
        return _orders.TryAdd(orderId, new BookEntry(symbol));
    }

    /// <summary>Adds <paramref name="count"/> open orders with generated exchange-shaped ids and returns them.</summary>
    public IReadOnlyList<string> SeedGenerated(int count, string symbol, OrderIdFactory? ids = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ids ??= new OrderIdFactory();
        var seeded = new List<string>(count);
        while (seeded.Count < count)
        {
            var orderId = ids.Next();
            if (TrySeed(orderId, symbol))
            {
                seeded.Add(orderId);
            }
        }

        return seeded;
    }

    /// <summary>What the book says about an order id, without changing anything.</summary>
    public OrderBookState GetState(string orderId) =>
        _orders.TryGetValue(orderId, out var entry) ? (entry.IsOpen ? OrderBookState.Open : OrderBookState.Canceled) : OrderBookState.Unknown;

    /// <summary>Cancels an open order of the given symbol.</summary>
    /// <returns><see cref="CancelResult.Canceled"/> when this call canceled it, otherwise why not.</returns>
    public CancelResult TryCancel(string orderId, string symbol)
    {
        if (!_orders.TryGetValue(orderId, out var entry) || !string.Equals(entry.Symbol, symbol, StringComparison.Ordinal))
        {
            return CancelResult.Unknown;
        }

        return entry.TryCancel() ? CancelResult.Canceled : CancelResult.AlreadyCanceled;
    }

    private sealed class BookEntry(string symbol)
    {
        private int _canceled;

        public string Symbol { get; } = symbol;

        public bool IsOpen => Volatile.Read(ref _canceled) == 0;

        // One winner among concurrent cancels of the same order: the others see it canceled.
        public bool TryCancel() => Interlocked.Exchange(ref _canceled, 1) == 0;
    }
}
