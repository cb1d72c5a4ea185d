namespace Oms.Engine.Confirmation;

/// <summary>The ends and length of one list of an <see cref="IndexLists"/>.</summary>
internal struct IndexList
{
    public int Head;
    public int Tail;
    public int Count;

    public static IndexList Empty => new() { Head = -1, Tail = -1 };
}

/// <summary>
/// Doubly linked lists of indexes into a table the caller owns, each index in at most one list at a time: append,
/// remove from anywhere and take the head, each in constant time, with every link allocated up front.
/// </summary>
/// <remarks>
/// A list appended in the order its members become due (a constant delay after an event that happens in time order)
/// stays sorted by due time, so its head is always the next one due. One thread only.
/// </remarks>
internal sealed class IndexLists
{
    private readonly int[] _previous;
    private readonly int[] _next;

    public IndexLists(int capacity)
    {
        _previous = new int[capacity];
        _next = new int[capacity];
    }

    public void Append(ref IndexList list, int index)
    {
        _previous[index] = list.Tail;
        _next[index] = -1;
        if (list.Tail >= 0)
        {
            _next[list.Tail] = index;
        }
        else
        {
            list.Head = index;
        }

        list.Tail = index;
        list.Count++;
    }

    public void Remove(ref IndexList list, int index)
    {
        var previous = _previous[index];
        var next = _next[index];
        if (previous >= 0)
        {
            _next[previous] = next;
        }
        else
        {
            list.Head = next;
        }

        if (next >= 0)
        {
            _previous[next] = previous;
        }
        else
        {
            list.Tail = previous;
        }

        list.Count--;
    }

    /// <summary>The member after <paramref name="index"/>, or -1.</summary>
    public int Next(int index) => _next[index];
}
