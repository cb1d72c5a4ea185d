namespace Oms.Engine.Tests.Consumer;

public sealed class PendingQueueTests
{
    [Fact]
    public void TryEnqueue_PastCapacity_RefusedAndOrderKeptAcrossWrapAround()
    {
        var queue = new PendingQueue(3);
        var taken = new List<long>();

        for (var round = 0; round < 4; round++)
        {
            Assert.True(queue.TryEnqueue(new PendingCancel { Tag = (round * 10) + 1 }));
            Assert.True(queue.TryEnqueue(new PendingCancel { Tag = (round * 10) + 2 }));
            Assert.True(queue.TryEnqueue(new PendingCancel { Tag = (round * 10) + 3 }));
            Assert.True(queue.IsFull);
            Assert.False(queue.TryEnqueue(new PendingCancel { Tag = 99 }));
            taken.Add(queue.Peek().Tag);
            queue.Dequeue();
            taken.Add(queue.Peek().Tag);
            queue.Dequeue();
            taken.Add(queue.Peek().Tag);
            queue.Dequeue();
        }

        Assert.Equal(0, queue.Count);
        Assert.Equal([1L, 2, 3, 11, 12, 13, 21, 22, 23, 31, 32, 33], taken);
    }

    [Fact]
    public void Peek_ByReference_ChangesTheQueuedItem()
    {
        var queue = new PendingQueue(2);
        queue.TryEnqueue(new PendingCancel { Tag = 1 });

        queue.Peek().Attempt = 5;

        Assert.Equal(5, queue.Peek().Attempt);
    }
}
