namespace Oms.Engine.Consumer;

/// <summary>
/// The tags of intents that joined a cancel already under way for the same order, kept per order-state entry as
/// singly linked lists over pre-allocated nodes. Consumer thread only.
/// </summary>
internal sealed class JoinerList
{
    private readonly int[] _headByEntry;
    private readonly long[] _tags;
    private readonly int[] _next;
    private int _free;

    public JoinerList(int entries, int nodes)
    {
        _headByEntry = new int[entries];
        Array.Fill(_headByEntry, -1);
        _tags = new long[nodes];
        _next = new int[nodes];
        for (var i = 0; i < nodes; i++)
        {
            _next[i] = i + 1 < nodes ? i + 1 : -1;
        }

        _free = 0;
    }

    /// <summary>Adds a joiner to an entry's list; false when every node is in use.</summary>
    public bool TryAdd(int entry, long tag)
    {
        var node = _free;
        if (node < 0)
        {
            return false;
        }

        _free = _next[node];
        _tags[node] = tag;
        _next[node] = _headByEntry[entry];
        _headByEntry[entry] = node;
        return true;
    }

    /// <summary>Takes an entry's list: the first node, to walk with <see cref="Next"/>, and releases nothing yet.</summary>
    public int TakeHead(int entry)
    {
        var head = _headByEntry[entry];
        _headByEntry[entry] = -1;
        return head;
    }

    public long Tag(int node) => _tags[node];

    /// <summary>The node after <paramref name="node"/>, which is returned to the free list.</summary>
    /// <summary>The node after <paramref name="node"/> in a taken list, leaving the list as it is (for counting it first).</summary>
    public int Peek(int node) => _next[node];

    public int Next(int node)
    {
        var next = _next[node];
        _next[node] = _free;
        _free = node;
        return next;
    }
}
