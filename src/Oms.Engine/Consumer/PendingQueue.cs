namespace Oms.Engine.Consumer;

/// <summary>A pre-allocated FIFO of pending cancels; consumer thread only.</summary>
internal sealed class PendingQueue(int capacity)
{
    private readonly PendingCancel[] _items = new PendingCancel[capacity];
    private int _head;
    private int _count;

    public int Count => _count;

    public bool IsFull => _count == _items.Length;

    public bool TryEnqueue(in PendingCancel item)
    {
        if (_count == _items.Length)
        {
            return false;
        }

        _items[(_head + _count) % _items.Length] = item;
        _count++;
        return true;
    }

    public ref PendingCancel Peek() => ref _items[_head];

    public void Dequeue()
    {
        _items[_head] = default;
        _head = (_head + 1) % _items.Length;
        _count--;
    }
}
