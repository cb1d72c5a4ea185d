namespace Oms.Engine.Tests.Orders;

/// <summary>Steps shared by the table tests: finishing a cancel, and ids that collide on their home slot.</summary>
internal static class CancelTableScenarios
{
    /// <summary>Moves a queued cancel to <paramref name="final"/> by the legal path (via Sent, except Expired).</summary>
    public static void Finish(CancelStateTable table, CancelEntryHandle handle, CancelState final, long now)
    {
        if (final == CancelState.Expired)
        {
            Assert.True(table.Transition(handle, CancelState.Expired, now));
            return;
        }

        Assert.True(table.Transition(handle, CancelState.Sent, now));
        Assert.True(table.Transition(handle, final, now));
    }

    /// <summary>Ids whose hash puts them in the same home slot of <paramref name="table"/>.</summary>
    public static byte[][] CollidingIds(CancelStateTable table, int count)
    {
        uint mask = (uint)table.SlotCount - 1;
        uint home = OrderIdKey.FromBytes(TestOrderIds.Bytes(0)).Hash & mask;
        return
        [
            .. Enumerable.Range(0, 100_000)
                .Select(TestOrderIds.Bytes)
                .Where(id => (OrderIdKey.FromBytes(id).Hash & mask) == home)
                .Take(count),
        ];
    }
}
