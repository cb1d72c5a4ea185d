using System.Runtime.CompilerServices;

namespace Oms.Engine.Tests.Orders;

public class CancelStateTableTests
{
    private const long Retention = 1_000;

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(CancelStateTable.MaxCapacity + 1)]
    public void Constructor_CapacityOutOfRange_Throws(int capacity)
    {
        // Arrange / Act
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new CancelStateTable(capacity, Retention));

        // Assert
        Assert.Equal("capacity", exception.ParamName);
    }

    [Fact]
    public void Constructor_NegativeRetention_Throws()
    {
        // Arrange / Act
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new CancelStateTable(16, -1));

        // Assert
        Assert.Equal("retentionTicks", exception.ParamName);
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(1000, 2048)]
    [InlineData(65_536, 131_072)]
    public void Constructor_Capacity_SlotsArePowerOfTwoAtLeastTwice(int capacity, int expectedSlots)
    {
        // Arrange / Act
        var table = new CancelStateTable(capacity, Retention);

        // Assert
        Assert.Equal(capacity, table.Capacity);
        Assert.Equal(expectedSlots, table.SlotCount);
        Assert.Equal(Retention, table.RetentionTicks);
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void Slot_Layout_IsOneCacheLineWithFixedOffsets()
    {
        // Arrange
        var slot = default(CancelEntry);

        // Act / Assert
        Assert.Equal(64, Unsafe.SizeOf<CancelEntry>());
        Assert.Equal(40, Unsafe.SizeOf<OrderIdKey>());
        Assert.Equal(0, (int)Unsafe.ByteOffset(ref Unsafe.As<CancelEntry, byte>(ref slot), ref Unsafe.As<long, byte>(ref slot.Word)));
        Assert.Equal(8, (int)Unsafe.ByteOffset(ref Unsafe.As<CancelEntry, byte>(ref slot), ref Unsafe.As<long, byte>(ref slot.ChangedTicks)));
        Assert.Equal(16, (int)Unsafe.ByteOffset(ref Unsafe.As<CancelEntry, byte>(ref slot), ref Unsafe.As<int, byte>(ref slot.Version)));
        Assert.Equal(24, (int)Unsafe.ByteOffset(ref Unsafe.As<CancelEntry, byte>(ref slot), ref Unsafe.As<OrderIdKey, byte>(ref slot.Key)));
    }

    [Fact]
    public void TryBegin_NewOrder_IsQueuedAndCounted()
    {
        // Arrange
        var table = new CancelStateTable(16, Retention);
        byte[] id = TestOrderIds.Bytes(1);

        // Act
        bool begun = table.TryBegin(id, 10, out CancelEntryHandle handle, out bool alreadyInFlight);

        // Assert
        Assert.True(begun);
        Assert.False(alreadyInFlight);
        Assert.True(handle.IsValid);
        Assert.Equal(CancelState.Queued, table.GetState(id));
        Assert.Equal(CancelState.Queued, table.GetState(handle));
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void Transition_LegalPath_EachStepIsVisible()
    {
        // Arrange
        var (table, id, handle) = BeganAt10(2);

        // Act / Assert
        Assert.True(table.Transition(handle, CancelState.Sent, 11));
        Assert.Equal(CancelState.Sent, table.GetState(id));
        Assert.True(table.Transition(handle, CancelState.Queued, 12));
        Assert.Equal(CancelState.Queued, table.GetState(id));
        Assert.True(table.Transition(handle, CancelState.Sent, 13));
        Assert.True(table.Transition(handle, CancelState.Rejected, 14));
        Assert.Equal(CancelState.Rejected, table.GetState(id));
        Assert.Equal(CancelState.Rejected, table.GetState(handle));
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void Transition_HandleOfAnEndedEpisode_ReturnsFalseAndLeavesTheNewEpisodeAlone()
    {
        // Arrange: a late answer to the first episode arrives after the order was begun again.
        var table = new CancelStateTable(16, 0);
        byte[] id = TestOrderIds.Bytes(3);
        table.TryBegin(id, 10, out CancelEntryHandle first, out _);
        CancelTableScenarios.Finish(table, first, CancelState.Failed, 11);
        table.TryBegin(id, 12, out CancelEntryHandle second, out _);
        Assert.True(table.Transition(second, CancelState.Sent, 13));

        // Act
        bool moved = table.Transition(first, CancelState.Acked, 14);

        // Assert
        Assert.False(moved);
        Assert.Equal(CancelState.Sent, table.GetState(id));
        Assert.Equal(CancelState.None, table.GetState(first));
    }

    [Theory]
    [InlineData(CancelState.Queued, CancelState.Acked)]
    [InlineData(CancelState.Queued, CancelState.Queued)]
    [InlineData(CancelState.Acked, CancelState.Sent)]
    [InlineData(CancelState.Sent, CancelState.Expired)]
    [InlineData(CancelState.Failed, CancelState.Queued)]
    public void Transition_IllegalMoveFromTheCurrentState_ThrowsAndKeepsState(CancelState current, CancelState to)
    {
        // Arrange
        var (table, id, handle) = BeganAt10(4);
        if (current is CancelState.Sent or CancelState.Acked)
        {
            Assert.True(table.Transition(handle, CancelState.Sent, 10));
        }

        if (current is CancelState.Acked or CancelState.Failed)
        {
            Assert.True(table.Transition(handle, current, 10));
        }

        // Act / Assert
        Assert.Throws<ArgumentException>(() => table.Transition(handle, to, 11));
        Assert.Equal(current, table.GetState(id));
    }

    [Fact]
    public void Transition_DefaultOrForeignHandle_ReturnsFalse()
    {
        // Arrange
        var small = new CancelStateTable(1, Retention);
        var large = new CancelStateTable(1024, Retention);
        small.TryBegin(TestOrderIds.Bytes(5), 10, out _, out _);
        CancelEntryHandle foreign = default;
        for (int n = 0; !foreign.IsValid || foreign.Index < small.SlotCount; n++)
        {
            large.TryBegin(TestOrderIds.Bytes(100 + n), 10, out foreign, out _);
        }

        // Act / Assert
        Assert.False(small.Transition(default, CancelState.Sent, 11));
        Assert.False(small.Transition(foreign, CancelState.Sent, 11));
        Assert.Equal(CancelState.None, small.GetState(default(CancelEntryHandle)));
        Assert.Equal(CancelState.None, small.GetState(foreign));
    }

    [Theory]
    [InlineData(CancelState.Queued)]
    [InlineData(CancelState.Sent)]
    public void TryBegin_CancelInFlight_ReportsAlreadyInFlightWithTheSameHandle(CancelState inFlight)
    {
        // Arrange
        var (table, id, first) = BeganAt10(6);
        if (inFlight == CancelState.Sent)
        {
            table.Transition(first, CancelState.Sent, 11);
        }

        // Act
        bool begun = table.TryBegin(id, 12, out CancelEntryHandle second, out bool alreadyInFlight);

        // Assert
        Assert.True(begun);
        Assert.True(alreadyInFlight);
        Assert.Equal(first, second);
        Assert.Equal(inFlight, table.GetState(id));
        Assert.Equal(1, table.Count);
    }

    [Theory]
    [InlineData(CancelState.Acked)]
    [InlineData(CancelState.Rejected)]
    [InlineData(CancelState.Failed)]
    [InlineData(CancelState.Expired)]
    public void TryBegin_AfterFinalState_StartsANewEpisodeInPlace(CancelState final)
    {
        // Arrange
        var (table, id, first) = BeganAt10(7);
        CancelTableScenarios.Finish(table, first, final, 11);

        // Act
        bool begun = table.TryBegin(id, 12, out CancelEntryHandle second, out bool alreadyInFlight);

        // Assert: same slot, new generation; the old handle can no longer touch or read the entry.
        Assert.True(begun);
        Assert.False(alreadyInFlight);
        Assert.NotEqual(first, second);
        Assert.Equal(first.Index, second.Index);
        Assert.Equal(first.Generation + 1, second.Generation);
        Assert.Equal(CancelState.Queued, table.GetState(id));
        Assert.Equal(CancelState.None, table.GetState(first));
        Assert.False(table.Transition(first, CancelState.Sent, 13));
        Assert.True(table.Transition(second, CancelState.Sent, 13));
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void TryBegin_31And32ByteIds_AreDistinctEntries()
    {
        // Arrange
        var table = new CancelStateTable(16, Retention);
        byte[] longId = TestOrderIds.Bytes(8);
        byte[] olderId = TestOrderIds.OlderBytes(8);
        byte[] prefix = longId[..31];

        // Act
        table.TryBegin(longId, 10, out CancelEntryHandle longHandle, out _);
        table.TryBegin(olderId, 10, out CancelEntryHandle olderHandle, out bool olderInFlight);
        table.Transition(longHandle, CancelState.Sent, 11);

        // Assert
        Assert.Equal(32, longId.Length);
        Assert.Equal(31, olderId.Length);
        Assert.False(olderInFlight);
        Assert.NotEqual(longHandle.Index, olderHandle.Index);
        Assert.Equal(CancelState.Sent, table.GetState(longId));
        Assert.Equal(CancelState.Queued, table.GetState(olderId));
        Assert.Equal(CancelState.None, table.GetState(prefix));
        Assert.Equal(2, table.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(33)]
    [InlineData(64)]
    public void TryBegin_IdLengthOutOfRange_Throws(int length)
    {
        // Arrange
        var table = new CancelStateTable(16, Retention);
        byte[] id = new byte[length];
        id.AsSpan().Fill((byte)'a');

        // Act
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => table.TryBegin(id, 10, out _, out _));

        // Assert
        Assert.Equal("orderId", exception.ParamName);
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void GetState_AsciiCharSpan_EqualsByteLookup()
    {
        // Arrange
        var table = new CancelStateTable(64, Retention);
        for (int n = 0; n < 40; n++)
        {
            byte[] id = n % 2 == 0 ? TestOrderIds.Bytes(n) : TestOrderIds.OlderBytes(n);
            table.TryBegin(id, 10, out CancelEntryHandle handle, out _);
            if (n % 3 != 0)
            {
                table.Transition(handle, CancelState.Sent, 11);
            }

            if (n % 5 == 0)
            {
                Assert.True(table.Transition(handle, CancelState.Failed, 12));
            }
        }

        // Act / Assert: every stored id, and some that were never stored, answer alike.
        for (int n = 0; n < 60; n++)
        {
            string text = n % 2 == 0 ? TestOrderIds.Text(n) : TestOrderIds.OlderText(n);
            CancelState byBytes = table.GetState(Encoding.ASCII.GetBytes(text));
            Assert.Equal(byBytes, table.GetState(text.AsSpan()));
            Assert.Equal(n < 40, byBytes != CancelState.None);
        }
    }

    [Fact]
    public void GetState_IdsThatCannotBeStored_ReturnNone()
    {
        // Arrange
        var table = new CancelStateTable(16, Retention);
        table.TryBegin(TestOrderIds.Bytes(9), 10, out _, out _);
        string nonAscii = string.Concat(TestOrderIds.Text(9).AsSpan(0, 31), "é");

        // Act / Assert
        Assert.Equal(CancelState.None, table.GetState(ReadOnlySpan<char>.Empty));
        Assert.Equal(CancelState.None, table.GetState(ReadOnlySpan<byte>.Empty));
        Assert.Equal(CancelState.None, table.GetState((TestOrderIds.Text(9) + "x").AsSpan()));
        Assert.Equal(CancelState.None, table.GetState(Encoding.ASCII.GetBytes(TestOrderIds.Text(9) + "x")));
        Assert.Equal(CancelState.None, table.GetState(nonAscii.AsSpan()));
        Assert.Equal(CancelState.Queued, table.GetState(TestOrderIds.Text(9).AsSpan()));
    }

    [Fact]
    public void TryBegin_TableFullOfCancelsInFlight_RefusesAndCounts()
    {
        // Arrange
        var table = new CancelStateTable(4, Retention);
        for (int n = 0; n < 4; n++)
        {
            Assert.True(table.TryBegin(TestOrderIds.Bytes(n), 10, out _, out _));
        }

        // Act
        bool begun = table.TryBegin(TestOrderIds.Bytes(4), 5_000, out CancelEntryHandle handle, out bool alreadyInFlight);
        bool joined = table.TryBegin(TestOrderIds.Bytes(2), 5_000, out _, out bool joinedInFlight);

        // Assert: the refusal is counted and harms nothing; joining a cancel in flight still works when full.
        Assert.False(begun);
        Assert.False(alreadyInFlight);
        Assert.False(handle.IsValid);
        Assert.Equal(1, table.RefusalCount);
        Assert.Equal(4, table.Count);
        Assert.Equal(CancelState.None, table.GetState(TestOrderIds.Bytes(4)));
        Assert.True(joined);
        Assert.True(joinedInFlight);
        Assert.All(Enumerable.Range(0, 4), n => Assert.Equal(CancelState.Queued, table.GetState(TestOrderIds.Bytes(n))));
    }

    [Fact]
    public void HotPaths_AfterWarmUp_DoNotAllocate()
    {
        // Arrange
        var table = new CancelStateTable(1024, 100);
        byte[][] ids = TestOrderIds.ManyBytes(256);
        string[] texts = [.. Enumerable.Range(0, 256).Select(TestOrderIds.Text)];
        long now = 0;
        for (int round = 0; round < 20; round++)
        {
            RunCycle(table, ids, texts, ref now);
        }

        // Act
        long allocated = AllocationMeter.LeastAllocatedBytes(() =>
        {
            for (int round = 0; round < 20; round++)
            {
                RunCycle(table, ids, texts, ref now);
            }
        });

        // Assert
        Assert.Equal(0, allocated);
        Assert.Equal(0, table.RefusalCount);

        static void RunCycle(CancelStateTable table, byte[][] ids, string[] texts, ref long now)
        {
            for (int i = 0; i < ids.Length; i++)
            {
                now++;
                table.TryBegin(ids[i], now, out CancelEntryHandle handle, out _);
                table.TryBegin(ids[i], now, out _, out _);
                table.Transition(handle, CancelState.Sent, now);
                table.GetState(texts[i].AsSpan());
                table.Transition(handle, CancelState.Acked, now);
                table.GetState(ids[i]);
                table.GetState(handle);
            }

            now += 1_000;
            table.Sweep(now);
        }
    }

    /// <summary>A table of 16 with order <paramref name="n"/>'s cancel begun at time 10: the table, the id and the entry's handle.</summary>
    private static (CancelStateTable Table, byte[] Id, CancelEntryHandle Handle) BeganAt10(int n)
    {
        var table = new CancelStateTable(16, Retention);
        byte[] id = TestOrderIds.Bytes(n);
        table.TryBegin(id, 10, out CancelEntryHandle handle, out _);
        return (table, id, handle);
    }
}
