namespace Oms.Engine.Tests.Consumer;

public sealed class JoinerListTests
{
    [Fact]
    public void TakeHead_AfterJoins_WalksEveryTagOfThatEntryOnly()
    {
        var joiners = new JoinerList(entries: 4, nodes: 8);
        joiners.TryAdd(1, 10);
        joiners.TryAdd(2, 20);
        joiners.TryAdd(1, 11);

        var first = Walk(joiners, 1);
        var second = Walk(joiners, 2);
        var again = Walk(joiners, 1);

        Assert.Equal([10L, 11L], first.Order());
        Assert.Equal([20L], second);
        Assert.Empty(again);
    }

    [Fact]
    public void TryAdd_AllNodesInUse_RefusedUntilAWalkReturnsThem()
    {
        var joiners = new JoinerList(entries: 2, nodes: 2);
        joiners.TryAdd(0, 1);
        joiners.TryAdd(0, 2);

        var whenFull = joiners.TryAdd(1, 3);
        _ = Walk(joiners, 0);
        var afterWalk = joiners.TryAdd(1, 3) && joiners.TryAdd(1, 4);

        Assert.False(whenFull);
        Assert.True(afterWalk);
        Assert.Equal([3L, 4L], Walk(joiners, 1).Order());
    }

    private static List<long> Walk(JoinerList joiners, int entry)
    {
        var tags = new List<long>();
        for (var node = joiners.TakeHead(entry); node >= 0; node = joiners.Next(node))
        {
            tags.Add(joiners.Tag(node));
        }

        return tags;
    }
}
