using System.Collections.Concurrent;

namespace Oms.Venue.Book;

/// <summary>The venue's orders: what a cancel can find, what it changes, and what a status query reports.</summary>
/// <remarks>
/// Thread-safe: seeded by the host from any thread, consulted and changed by Kestrel's request threads and the
/// timers that complete delayed cancels. Each order changes under its own lock, so a reader never sees a status
/// without the time and sequence number that went with it.
/// </remarks>
public sealed class OrderBook
{
    private readonly ConcurrentDictionary<string, BookEntry> _orders = new(StringComparer.Ordinal);
    private long _seqNum;

    /// <summary>How many orders are open (status New, a pending cancel included).</summary>
    public int OpenCount
    {
        get
        {
            var open = 0;
            foreach (var pair in _orders)
            {
                if (pair.Value.View(pair.Key).Status == OrderStatus.New)
                {
                    open++;
                }
            }

            return open;
        }
    }

    /// <summary>How many orders the book holds, open or not.</summary>
    public int Count => _orders.Count;

    /// <summary>Told once per order, with the order as it ended, when its status becomes final (Canceled or Filled).</summary>
    /// <remarks>
    /// Runs on the thread that changed the order (a request thread or a delayed-cancel timer), after the order's lock
    /// is released: an observer must only hand the view on, never block or wait.
    /// </remarks>
    internal event Action<OrderView>? FinalStatusReached;

    /// <summary>Adds an open order; false when the id is already in the book.</summary>
    public bool TrySeed(string orderId, string symbol)
    {
        ArgumentException.ThrowIfNullOrEmpty(orderId);
        ArgumentException.ThrowIfNullOrEmpty(symbol);
        return _orders.TryAdd(orderId, new BookEntry(symbol, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), NextSeqNum()));
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
    /// <remarks>An order whose cancel was acknowledged but has not yet taken effect is still <see cref="OrderBookState.Open"/>.</remarks>
    public OrderBookState GetState(string orderId)
    {
        if (!_orders.TryGetValue(orderId, out var entry))
        {
            return OrderBookState.Unknown;
        }

        return entry.View(orderId).Status switch
        {
            OrderStatus.Filled => OrderBookState.Filled,
            OrderStatus.Canceled => OrderBookState.Canceled,
            _ => OrderBookState.Open,
        };
    }

    /// <summary>The order as the book holds it now; false for an id the book does not know.</summary>
    public bool TryGetOrder(string orderId, out OrderView order)
    {
        if (_orders.TryGetValue(orderId, out var entry))
        {
            order = entry.View(orderId);
            return true;
        }

        order = default;
        return false;
    }

    /// <summary>Every order whose status is <see cref="OrderStatus.New"/>, in sequence-number order.</summary>
    public IReadOnlyList<OrderView> OpenOrders()
    {
        var open = new List<OrderView>();
        foreach (var pair in _orders)
        {
            var view = pair.Value.View(pair.Key);
            if (view.Status == OrderStatus.New)
            {
                open.Add(view);
            }
        }

        open.Sort(static (a, b) => a.SeqNum.CompareTo(b.SeqNum));
        return open;
    }

    /// <summary>
    /// The open orders (status New, no cancel pending) of one symbol, or of every symbol when <paramref name="symbol"/> is
    /// null, each with its symbol and the <see cref="Environment.TickCount64"/> of its last placement or cancel attempt.
    /// </summary>
    /// <remarks>The snapshot a cancel-all works through; an order may change between this and the cancel that follows.</remarks>
    internal List<(string OrderId, string Symbol, long TouchedAtTicks)> OpenOrdersOf(string? symbol)
    {
        var open = new List<(string OrderId, string Symbol, long TouchedAtTicks)>();
        foreach (var pair in _orders)
        {
            if ((symbol is null || string.Equals(pair.Value.Symbol, symbol, StringComparison.Ordinal)) && pair.Value.IsOpen(out var touchedAtTicks))
            {
                open.Add((pair.Key, pair.Value.Symbol, touchedAtTicks));
            }
        }

        return open;
    }

    /// <summary>Cancels an open order of the given symbol, at once.</summary>
    /// <returns><see cref="CancelResult.Canceled"/> when this call canceled it, otherwise why not.</returns>
    public CancelResult TryCancel(string orderId, string symbol)
    {
        var result = TryBeginCancel(orderId, symbol);
        if (result == CancelResult.Canceled)
        {
            TryCompleteCancel(orderId, filled: false, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }

        return result;
    }

    /// <summary>Accepts a cancel: the order stays New until <see cref="TryCompleteCancel"/>, and further cancels of it are refused.</summary>
    internal CancelResult TryBeginCancel(string orderId, string symbol)
    {
        if (!_orders.TryGetValue(orderId, out var entry) || !string.Equals(entry.Symbol, symbol, StringComparison.Ordinal))
        {
            return CancelResult.Unknown;
        }

        return entry.TryBeginCancel();
    }

    /// <summary>Takes back an accepted cancel that has not taken effect: the order is open again, as if the cancel never came.</summary>
    /// <remarks>For a batch refused as a whole after some of its cancels were accepted: nothing in a refused batch is cancelled.</remarks>
    /// <returns>False when the id is unknown or no cancel of it was pending.</returns>
    internal bool TryAbandonCancel(string orderId) => _orders.TryGetValue(orderId, out var entry) && entry.TryAbandonCancel();

    /// <summary>Ends an accepted cancel: the order becomes Canceled, or Filled when the fill won the race after the Ack.</summary>
    /// <returns>False when the id is unknown or no cancel of it was pending.</returns>
    internal bool TryCompleteCancel(string orderId, bool filled, long nowMs)
    {
        if (!_orders.TryGetValue(orderId, out var entry) || !entry.TryCompleteCancel(filled, nowMs, this))
        {
            return false;
        }

        Announce(orderId, entry);
        return true;
    }

    /// <summary>Fills an open order just before its cancel is looked at; a cancel then meets <see cref="CancelResult.AlreadyFilled"/>.</summary>
    /// <returns>True when this call filled it; false when the id is unknown under that symbol or the order is not New.</returns>
    internal bool TryFillBeforeCancel(string orderId, string symbol, long nowMs)
    {
        if (!_orders.TryGetValue(orderId, out var entry) || !string.Equals(entry.Symbol, symbol, StringComparison.Ordinal)
            || !entry.TryFillBeforeCancel(nowMs, this))
        {
            return false;
        }

        Announce(orderId, entry);
        return true;
    }

    private void Announce(string orderId, BookEntry entry)
    {
        // A final status never changes again, so the view read after the lock is the one this change made.
        FinalStatusReached?.Invoke(entry.View(orderId));
    }

    private long NextSeqNum() => Interlocked.Increment(ref _seqNum);

    private sealed class BookEntry(string symbol, long seededAtMs, long seqNum)
    {
        private readonly Lock _lock = new();
        private EntryState _state;
        private FillTiming _fill;
        private long _lastExecTimeMs = seededAtMs;
        private long _seqNum = seqNum;

        // When the order was placed or last met a cancel, on the monotonic tick clock: a cancel-all may spare orders
        // this recent (VenueFaults.CancelAllSurvivorShare). Ticks, not the venue's clock, because the book has none.
        private long _touchedAtTicks = Environment.TickCount64;

        private enum EntryState
        {
            New,
            CancelPending,
            Canceled,
            Filled,
        }

        public string Symbol { get; } = symbol;

        public OrderView View(string orderId)
        {
            lock (_lock)
            {
                var status = _state switch
                {
                    EntryState.Canceled => OrderStatus.Canceled,
                    EntryState.Filled => OrderStatus.Filled,
                    _ => OrderStatus.New,
                };
                return new OrderView(orderId, Symbol, status, _fill, _lastExecTimeMs, _seqNum);
            }
        }

        public bool IsOpen(out long touchedAtTicks)
        {
            lock (_lock)
            {
                touchedAtTicks = _touchedAtTicks;
                return _state == EntryState.New;
            }
        }

        // One winner among concurrent cancels of the same order: the others see it pending or final.
        public CancelResult TryBeginCancel()
        {
            lock (_lock)
            {
                _touchedAtTicks = Environment.TickCount64;
                switch (_state)
                {
                    case EntryState.New:
                        _state = EntryState.CancelPending;
                        return CancelResult.Canceled;
                    case EntryState.Filled:
                        return CancelResult.AlreadyFilled;
                    default:
                        return CancelResult.AlreadyCanceled;
                }
            }
        }

        public bool TryAbandonCancel()
        {
            lock (_lock)
            {
                if (_state != EntryState.CancelPending)
                {
                    return false;
                }

                _state = EntryState.New;
                _touchedAtTicks = Environment.TickCount64;
                return true;
            }
        }

        public bool TryCompleteCancel(bool filled, long nowMs, OrderBook book)
        {
            lock (_lock)
            {
                if (_state != EntryState.CancelPending)
                {
                    return false;
                }

                _state = filled ? EntryState.Filled : EntryState.Canceled;
                _fill = filled ? FillTiming.AfterAck : FillTiming.None;
                _lastExecTimeMs = nowMs;
                _seqNum = book.NextSeqNum();
                return true;
            }
        }

        public bool TryFillBeforeCancel(long nowMs, OrderBook book)
        {
            lock (_lock)
            {
                if (_state != EntryState.New)
                {
                    return false;
                }

                _state = EntryState.Filled;
                _fill = FillTiming.BeforeCancel;
                _lastExecTimeMs = nowMs;
                _seqNum = book.NextSeqNum();
                return true;
            }
        }
    }
}
