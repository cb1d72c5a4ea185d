namespace Oms.Engine.Consumer;

/// <summary>Cancels waiting out a back-off before they are sent again; unordered, consumer thread only.</summary>
internal sealed class BackoffList(int capacity)
{
    private readonly PendingCancel[] _items = new PendingCancel[capacity];
    private int _count;

    public int Count => _count;

    /// <summary>The item at <paramref name="index"/> (0 to <see cref="Count"/> - 1); order is not kept across removals.</summary>
    public ref PendingCancel this[int index] => ref _items[index];

    /// <summary>Takes the item at <paramref name="index"/> out; the last item moves into its place.</summary>
    public PendingCancel RemoveAt(int index)
    {
        var item = _items[index];
        _items[index] = _items[--_count];
        _items[_count] = default;
        return item;
    }

    public bool TryAdd(in PendingCancel item)
    {
        if (_count == _items.Length)
        {
            return false;
        }

        _items[_count++] = item;
        return true;
    }

    /// <summary>Moves every item due at <paramref name="nowTicks"/> into <paramref name="ready"/> while it has room.</summary>
    public void MoveDue(long nowTicks, PendingQueue ready)
    {
        for (var i = 0; i < _count;)
        {
            if (_items[i].DueTicks <= nowTicks && ready.TryEnqueue(_items[i]))
            {
                _items[i] = _items[--_count];
                _items[_count] = default;
            }
            else
            {
                i++;
            }
        }
    }

    /// <summary>Removes every item, handing each to <paramref name="sink"/>.</summary>
    public void DrainTo(PendingQueue sink, Action<PendingCancel> overflow)
    {
        for (var i = 0; i < _count; i++)
        {
            if (!sink.TryEnqueue(_items[i]))
            {
                overflow(_items[i]);
            }

            _items[i] = default;
        }

        _count = 0;
    }
}
