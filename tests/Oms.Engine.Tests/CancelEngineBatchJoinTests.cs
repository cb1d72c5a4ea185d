namespace Oms.Engine.Tests;

/// <summary>
/// Intents published while the consumer handles the end of a batch ride that batch's flush: a burst from a strategy
/// leaves in one write, not its first cancel in a write of its own and the rest in the next.
/// </summary>
[Collection(FakeEngine.Collection)]
public sealed class CancelEngineBatchJoinTests
{
    [Fact]
    public async Task TryCancel_MorePublishedWhileTheBatchsLastIntentIsSent_OneFlushForAll()
    {
        await using var fake = FakeEngine.Start();

        // While the consumer sends the first cancel (the last of its batch), three more are published.
        fake.Sender.AfterSend = index =>
        {
            if (index == 0)
            {
                for (var i = 1; i <= 3; i++)
                {
                    fake.Cancel(FakeEngine.OrderId(i), i);
                }
            }
        };
        fake.Cancel(FakeEngine.OrderId(0), 0);
        var requests = Enumerable.Range(0, 4).Select(fake.Sender.WaitForRequest).ToArray();
        await WaitForFlushesAsync(fake, 1);

        // The batch's end waited for the joiners: one flush carried all four.
        Assert.Equal(1, fake.Sender.Flushes);
        fake.Sender.AckAll(requests);

        await fake.WaitForOutcomesAsync(4);
        Assert.Equal(4, fake.Engine.GetCounters().Acked);
    }

    [Fact]
    public async Task TryCancel_JoinersKeepComing_FlushedAtLeastEverySixtyFourEvents()
    {
        // Each send publishes the next cancel, so there is always more waiting: the join limit must still flush.
        const int total = 200;
        await using var fake = FakeEngine.Start(FakeEngine.DefaultSettings with { RingSize = 512, OrderStateCapacity = 1024 });
        fake.Sender.AfterSend = index =>
        {
            if (index + 1 < total)
            {
                fake.Cancel(FakeEngine.OrderId(index + 1), index + 1);
            }
        };
        fake.Cancel(FakeEngine.OrderId(0), 0);
        _ = fake.Sender.WaitForRequest(total - 1);
        await WaitForFlushesAsync(fake, total / 64);

        Assert.InRange(fake.Sender.Flushes, total / 64, total);
    }

    private static async Task WaitForFlushesAsync(FakeEngine fake, long atLeast)
    {
        var deadline = DateTime.UtcNow + FakeEngine.Bound;
        while (fake.Sender.Flushes < atLeast && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        // A moment more, so a second flush (the defect this guards against) would be counted too.
        await Task.Delay(50);
    }
}
