namespace Oms.Engine.Tests.Orders;

/// <summary>The incremental sweep: bounded slices that, lap after lap, reclaim every expired entry and nothing else.</summary>
public sealed class CancelStateTableSweepSliceTests
{
    private const long Retention = 1_000;

    [Fact]
    public void SweepSlice_SlicesAddingUpToOneLap_RecycleEveryExpiredEntryAndKeepTheRest()
    {
        // Arrange: 600 entries in 2,048 slots; 0 mod 4 still in flight, 1 mod 4 final within retention, the rest expired.
        var table = new CancelStateTable(1024, Retention);
        const int entries = 600;
        var handles = new CancelEntryHandle[entries];
        for (int n = 0; n < entries; n++)
        {
            Assert.True(table.TryBegin(TestOrderIds.Bytes(n), 0, out handles[n], out _));
            switch (n % 4)
            {
                case 0:
                    break;
                case 1:
                    CancelTableScenarios.Finish(table, handles[n], CancelState.Acked, 500);
                    break;
                default:
                    CancelTableScenarios.Finish(table, handles[n], n % 2 == 0 ? CancelState.Rejected : CancelState.Expired, 100);
                    break;
            }
        }

        int expired = Enumerable.Range(0, entries).Count(n => n % 4 >= 2);
        const int budget = 64;
        int slices = (table.SlotCount + budget - 1) / budget;

        // Act
        int firstSlice = table.SweepSlice(1_200, budget);
        int total = firstSlice;
        for (int i = 1; i < slices; i++)
        {
            total += table.SweepSlice(1_200, budget);
        }

        // Assert: one slice reclaims only its part; the lap reclaims exactly the expired ones.
        Assert.InRange(firstSlice, 0, expired / 4);
        Assert.Equal(expired, total);
        Assert.Equal(entries - expired, table.Count);
        for (int n = 0; n < entries; n++)
        {
            CancelState expected = (n % 4) switch { 0 => CancelState.Queued, 1 => CancelState.Acked, _ => CancelState.None };
            Assert.Equal(expected, table.GetState(TestOrderIds.Bytes(n)));
        }
    }

    [Fact]
    public void SweepSlice_EveryEntryExpired_LapLeavesNoTombstone()
    {
        // Arrange
        var table = new CancelStateTable(256, Retention);
        for (int n = 0; n < 256; n++)
        {
            table.TryBegin(TestOrderIds.Bytes(n), 0, out CancelEntryHandle handle, out _);
            CancelTableScenarios.Finish(table, handle, CancelState.Acked, 0);
        }

        // Act: slices of 7 slots, one lap in all.
        int recycled = 0;
        for (int covered = 0; covered < table.SlotCount; covered += 7)
        {
            recycled += table.SweepSlice(Retention, 7);
        }

        // Assert
        Assert.Equal(256, recycled);
        Assert.Equal(0, table.Count);
        Assert.Equal(0, table.UsedSlotCount);
    }

    [Fact]
    public void SweepSlice_ClusterGrowingOverTheCursorBetweenSlices_StillCoversEverySlot()
    {
        // Arrange: 40 ids with one home form one cluster; every other one is expired.
        var table = new CancelStateTable(128, Retention);
        byte[][] colliding = CancelTableScenarios.CollidingIds(table, 80);
        var handles = new CancelEntryHandle[40];
        for (int i = 0; i < 40; i++)
        {
            table.TryBegin(colliding[i], 0, out handles[i], out _);
            if (i % 2 == 1)
            {
                CancelTableScenarios.Finish(table, handles[i], CancelState.Acked, 0);
            }
        }

        // Act: between slices, more ids with the same home fill the cluster's tombstones and lengthen it, over the
        // empty slot where the last slice left its cursor.
        int added = 0;
        for (int covered = 0; covered < table.SlotCount; covered += 3)
        {
            table.SweepSlice(Retention, 3);
            if (added < 40)
            {
                Assert.True(table.TryBegin(colliding[40 + added++], Retention, out _, out _));
            }
        }

        // Assert: every expired entry went (swept, or reused in place by a new id); every live entry is still found.
        Assert.Equal(20, table.RecycledCount);
        for (int i = 0; i < 80; i++)
        {
            Assert.Equal(i < 40 && i % 2 == 1 ? CancelState.None : CancelState.Queued, table.GetState(colliding[i]));
        }

        Assert.Equal(20 + 40, table.Count);
    }

    [Fact]
    public void SweepSlice_BudgetBeyondTheTable_MakesOneLapOnly()
    {
        // Arrange
        var table = new CancelStateTable(16, Retention);
        table.TryBegin(TestOrderIds.Bytes(1), 0, out CancelEntryHandle handle, out _);
        CancelTableScenarios.Finish(table, handle, CancelState.Acked, 0);

        // Act
        int recycled = table.SweepSlice(Retention, int.MaxValue);

        // Assert
        Assert.Equal(1, recycled);
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void SweepSlice_BudgetBelowOne_Throws()
    {
        var table = new CancelStateTable(16, Retention);

        Assert.Throws<ArgumentOutOfRangeException>(() => table.SweepSlice(0, 0));
    }
}
