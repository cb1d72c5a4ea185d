namespace Oms.Engine.Tests.Consumer;

public sealed class BackoffListTests
{
    [Fact]
    public void MoveDue_MixedDueTimes_MovesOnlyTheDueOnes()
    {
        var list = new BackoffList(4);
        var ready = new PendingQueue(4);
        list.TryAdd(new PendingCancel { Tag = 1, DueTicks = 100 });
        list.TryAdd(new PendingCancel { Tag = 2, DueTicks = 300 });
        list.TryAdd(new PendingCancel { Tag = 3, DueTicks = 200 });

        list.MoveDue(200, ready);

        Assert.Equal(1, list.Count);
        Assert.Equal(2, ready.Count);
        Assert.Equal([1L, 3L], Drain(ready).Order());
        list.MoveDue(300, ready);
        Assert.Equal(0, list.Count);
        Assert.Equal([2L], Drain(ready));
    }

    [Fact]
    public void MoveDue_ReadyQueueFull_KeepsTheRestForLater()
    {
        var list = new BackoffList(4);
        var ready = new PendingQueue(1);
        list.TryAdd(new PendingCancel { Tag = 1, DueTicks = 1 });
        list.TryAdd(new PendingCancel { Tag = 2, DueTicks = 1 });

        list.MoveDue(10, ready);

        Assert.Equal((1, 1), (list.Count, ready.Count));
    }

    [Fact]
    public void TryAdd_PastCapacity_Refused()
    {
        var list = new BackoffList(1);

        Assert.True(list.TryAdd(new PendingCancel { Tag = 1 }));
        Assert.False(list.TryAdd(new PendingCancel { Tag = 2 }));
    }

    [Fact]
    public void DrainTo_SinkTooSmall_OverflowGetsTheRestAndTheListEmpties()
    {
        var list = new BackoffList(3);
        var sink = new PendingQueue(1);
        var overflow = new List<long>();
        for (var i = 1; i <= 3; i++)
        {
            list.TryAdd(new PendingCancel { Tag = i, DueTicks = long.MaxValue });
        }

        list.DrainTo(sink, item => overflow.Add(item.Tag));

        Assert.Equal(0, list.Count);
        Assert.Equal(1, sink.Count);
        Assert.Equal(2, overflow.Count);
        Assert.Equal([1L, 2L, 3L], overflow.Append(sink.Peek().Tag).Order());
    }

    private static List<long> Drain(PendingQueue queue)
    {
        var tags = new List<long>();
        while (queue.Count > 0)
        {
            tags.Add(queue.Peek().Tag);
            queue.Dequeue();
        }

        return tags;
    }
}
