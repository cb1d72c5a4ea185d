namespace Oms.Engine.Tests.Orders;

/// <summary>Retention, lazy reuse, sweeping and tombstones: memory stays bounded and no probe chain breaks.</summary>
public class CancelStateTableRecyclingTests
{
    private const long Retention = 1_000;

    [Fact]
    public void TryBegin_FullOfRetainedFinals_RefusesUntilRetentionThenRecycles()
    {
        // Arrange: four orders acked at tick 100, retained for 1000 ticks.
        var table = new CancelStateTable(4, Retention);
        for (int n = 0; n < 4; n++)
        {
            table.TryBegin(TestOrderIds.Bytes(n), 10, out CancelEntryHandle handle, out _);
            CancelTableScenarios.Finish(table, handle, CancelState.Acked, 100);
        }

        // Act
        bool early = table.TryBegin(TestOrderIds.Bytes(10), 100 + Retention - 1, out _, out _);
        bool onTime = table.TryBegin(TestOrderIds.Bytes(10), 100 + Retention, out _, out bool alreadyInFlight);

        // Assert
        Assert.False(early);
        Assert.Equal(1, table.RefusalCount);
        Assert.True(onTime);
        Assert.False(alreadyInFlight);
        Assert.Equal(CancelState.Queued, table.GetState(TestOrderIds.Bytes(10)));
        Assert.True(table.RecycledCount >= 1);
        Assert.True(table.Count <= 4);
    }

    [Fact]
    public void Sweep_FinalEntriesPastRetention_AreRecycledOthersKept()
    {
        // Arrange: 0 and 1 final at tick 100, 2 final at tick 600, 3 sent at tick 0, 4 queued at tick 0.
        var table = new CancelStateTable(16, Retention);
        var handles = new CancelEntryHandle[5];
        for (int n = 0; n < 5; n++)
        {
            table.TryBegin(TestOrderIds.Bytes(n), 0, out handles[n], out _);
        }

        CancelTableScenarios.Finish(table, handles[0], CancelState.Acked, 100);
        CancelTableScenarios.Finish(table, handles[1], CancelState.Expired, 100);
        CancelTableScenarios.Finish(table, handles[2], CancelState.Rejected, 600);
        table.Transition(handles[3], CancelState.Sent, 0);

        // Act
        int none = table.Sweep(1_099);
        int first = table.Sweep(1_100);
        int second = table.Sweep(10_000);

        // Assert: nothing before retention; in-flight entries are never recycled, however old.
        Assert.Equal((0, 2, 1), (none, first, second));
        Assert.Equal(CancelState.None, table.GetState(TestOrderIds.Bytes(0)));
        Assert.Equal(CancelState.None, table.GetState(TestOrderIds.Bytes(1)));
        Assert.Equal(CancelState.None, table.GetState(TestOrderIds.Bytes(2)));
        Assert.Equal(CancelState.Sent, table.GetState(TestOrderIds.Bytes(3)));
        Assert.Equal(CancelState.Queued, table.GetState(TestOrderIds.Bytes(4)));
        Assert.Equal(2, table.Count);
        Assert.Equal(3, table.RecycledCount);
        Assert.Equal(CancelState.None, table.GetState(handles[0]));
    }

    [Fact]
    public void Sweep_ZeroRetention_RecyclesFinalEntriesAtOnce()
    {
        // Arrange
        var table = new CancelStateTable(16, 0);
        table.TryBegin(TestOrderIds.Bytes(1), 50, out CancelEntryHandle handle, out _);
        CancelTableScenarios.Finish(table, handle, CancelState.Failed, 50);

        // Act
        int recycled = table.Sweep(50);

        // Assert
        Assert.Equal(1, recycled);
        Assert.Equal(0, table.Count);
        Assert.Equal(0, table.UsedSlotCount);
    }

    [Fact]
    public void TryBegin_ExpiredFinalOnProbePath_IsReusedLazily()
    {
        // Arrange: three ids with the same home slot, so they sit one after the other.
        var table = new CancelStateTable(8, Retention);
        byte[][] ids = CancelTableScenarios.CollidingIds(table, 4);
        var handles = new CancelEntryHandle[3];
        for (int i = 0; i < 3; i++)
        {
            table.TryBegin(ids[i], 0, out handles[i], out _);
        }

        CancelTableScenarios.Finish(table, handles[1], CancelState.Acked, 10);

        // Act
        table.TryBegin(ids[3], 10 + Retention, out CancelEntryHandle reused, out _);

        // Assert: the expired middle entry's slot was reused, and the chain behind it is intact.
        Assert.Equal(handles[1].Index, reused.Index);
        Assert.Equal(CancelState.None, table.GetState(ids[1]));
        Assert.Equal(CancelState.Queued, table.GetState(ids[2]));
        Assert.Equal(CancelState.Queued, table.GetState(ids[3]));
        Assert.Equal(1, table.RecycledCount);
        Assert.Equal(3, table.Count);
    }

    [Fact]
    public void TryBegin_FinalWithinRetentionOnProbePath_IsNotReused()
    {
        // Arrange
        var table = new CancelStateTable(8, Retention);
        byte[][] ids = CancelTableScenarios.CollidingIds(table, 3);
        table.TryBegin(ids[0], 0, out CancelEntryHandle first, out _);
        CancelTableScenarios.Finish(table, first, CancelState.Acked, 10);

        // Act
        table.TryBegin(ids[1], 10 + Retention - 1, out CancelEntryHandle second, out _);

        // Assert
        Assert.NotEqual(first.Index, second.Index);
        Assert.Equal(CancelState.Acked, table.GetState(ids[0]));
        Assert.Equal(0, table.RecycledCount);
    }

    [Fact]
    public void Sweep_TombstonesBeforeALiveEntry_AreKeptSoItStaysFindable()
    {
        // Arrange
        var table = new CancelStateTable(8, Retention);
        byte[][] ids = CancelTableScenarios.CollidingIds(table, 3);
        var handles = new CancelEntryHandle[3];
        for (int i = 0; i < 3; i++)
        {
            table.TryBegin(ids[i], 0, out handles[i], out _);
        }

        CancelTableScenarios.Finish(table, handles[0], CancelState.Acked, 0);
        CancelTableScenarios.Finish(table, handles[1], CancelState.Rejected, 0);

        // Act
        int recycled = table.Sweep(Retention);

        // Assert: both tombstones stay on the third entry's probe path.
        Assert.Equal(2, recycled);
        Assert.Equal(3, table.UsedSlotCount);
        Assert.Equal(CancelState.Queued, table.GetState(ids[2]));
        Assert.Equal(CancelState.None, table.GetState(ids[0]));
    }

    [Fact]
    public void Sweep_LastEntryOfAChainRecycled_EmptiesTheWholeChain()
    {
        // Arrange
        var table = new CancelStateTable(8, Retention);
        byte[][] ids = CancelTableScenarios.CollidingIds(table, 3);
        var handles = new CancelEntryHandle[3];
        for (int i = 0; i < 3; i++)
        {
            table.TryBegin(ids[i], 0, out handles[i], out _);
        }

        CancelTableScenarios.Finish(table, handles[0], CancelState.Acked, 0);
        CancelTableScenarios.Finish(table, handles[1], CancelState.Rejected, 0);
        table.Sweep(Retention);
        CancelTableScenarios.Finish(table, handles[2], CancelState.Failed, Retention);

        // Act
        int recycled = table.Sweep(2 * Retention);

        // Assert
        Assert.Equal(1, recycled);
        Assert.Equal(0, table.UsedSlotCount);
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void TryBegin_IdWhoseEntryWasSwept_StartsAgainAsNew()
    {
        // Arrange
        var table = new CancelStateTable(8, Retention);
        byte[][] ids = CancelTableScenarios.CollidingIds(table, 2);
        table.TryBegin(ids[0], 0, out CancelEntryHandle first, out _);
        table.TryBegin(ids[1], 0, out _, out _);
        CancelTableScenarios.Finish(table, first, CancelState.Acked, 0);
        table.Sweep(Retention);

        // Act
        bool begun = table.TryBegin(ids[0], Retention, out CancelEntryHandle again, out bool alreadyInFlight);

        // Assert
        Assert.True(begun);
        Assert.False(alreadyInFlight);
        Assert.True(again.Generation > first.Generation || again.Index != first.Index);
        Assert.Equal(CancelState.Queued, table.GetState(ids[0]));
        Assert.Equal(CancelState.None, table.GetState(first));
        Assert.Equal(2, table.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Table_RandomOperationsAgainstAModel_NeverLosesAnEntry(int seed)
    {
        // Arrange: a small table and four times as many ids, so chains, tombstones, reuse and refusals all occur.
        const int capacity = 16;
        const int idCount = 64;
        const long retention = 50;
        var table = new CancelStateTable(capacity, retention);
        var model = new ModelEntry[idCount];
        var handles = new CancelEntryHandle[idCount];
        var random = new Random(seed);
        long now = 0;
        byte[][] ids = TestOrderIds.ManyBytes(idCount);
        CancelState[] fromQueued = [CancelState.Sent, CancelState.Sent, CancelState.Sent, CancelState.Expired, CancelState.Failed];
        CancelState[] fromSent = [CancelState.Acked, CancelState.Rejected, CancelState.Failed, CancelState.Queued];

        for (int step = 0; step < 40_000; step++)
        {
            // Act
            now += random.Next(3);
            int n = random.Next(idCount);
            byte[] id = ids[n];
            switch (random.Next(6))
            {
                case 0:
                case 1:
                    int held = model.Count(e => e.State.IsInFlight() || (e.State.IsFinal() && now - e.ChangedTicks < retention));
                    bool begun = table.TryBegin(id, now, out CancelEntryHandle handle, out bool alreadyInFlight);
                    if (!begun)
                    {
                        // Assert: a refusal only when every entry is in flight or still retained.
                        Assert.False(model[n].State.IsInFlight());
                        Assert.Equal(capacity, held);
                        break;
                    }

                    Assert.Equal(model[n].State.IsInFlight(), alreadyInFlight);
                    if (!alreadyInFlight)
                    {
                        model[n] = new ModelEntry(CancelState.Queued, now);
                        handles[n] = handle;
                    }

                    Assert.Equal(handles[n], handle);
                    break;
                case 2:
                case 3:
                    CancelState from = model[n].State;
                    CancelState[] choices = from == CancelState.Queued ? fromQueued : fromSent;
                    CancelState to = choices[random.Next(choices.Length)];
                    if (from.IsInFlight())
                    {
                        Assert.True(table.Transition(handles[n], to, now));
                        model[n] = new ModelEntry(to, now);
                    }

                    break;
                case 4:
                    if (random.Next(20) == 0)
                    {
                        table.Sweep(now);
                    }
                    else if (random.Next(4) == 0)
                    {
                        table.SweepSlice(now, 1 + random.Next(12));
                    }

                    break;
                default:
                    break;
            }

            // Assert: every id answers what the model allows.
            for (int k = 0; k < idCount; k++)
            {
                CancelState actual = table.GetState(ids[k]);
                ModelEntry expected = model[k];
                bool mayBeRecycled = expected.State.IsFinal() && now - expected.ChangedTicks >= retention;
                Assert.True(
                    actual == expected.State || (mayBeRecycled && actual == CancelState.None),
                    $"step {step}: id {k} reads {actual}, model says {expected.State} since {expected.ChangedTicks} (now {now}).");
            }

            Assert.InRange(table.Count, 0, capacity);
            Assert.InRange(table.UsedSlotCount, table.Count, table.SlotCount - 1);
        }
    }

    private readonly record struct ModelEntry(CancelState State, long ChangedTicks);
}
