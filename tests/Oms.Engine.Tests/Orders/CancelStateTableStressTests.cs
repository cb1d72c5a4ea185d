namespace Oms.Engine.Tests.Orders;

/// <summary>Readers on other threads while the one writer churns the table: they never see one order's state under another's id.</summary>
[Collection(TestThreads.Collection)]
public class CancelStateTableStressTests
{
    [Fact]
    public void GetState_ReadersRacingAChurningConsumer_NeverSeeAnotherOrdersState()
    {
        // Arrange: a small table that the consumer cycles 200,000 orders through, 64 in flight at a time, so slots
        // are reused (and their ids rewritten) constantly while a reader looks ids up.
        const int orders = 200_000;
        const int window = 64;
        var table = new CancelStateTable(256, 16);
        long begunCount = 0;
        long completedCount = 0;
        int readerChecks = 0;
        bool consumerDone = false;
        CancelState[] outcomes = [CancelState.Acked, CancelState.Rejected, CancelState.Failed];
        string[] texts = [.. Enumerable.Range(0, orders).Select(TestOrderIds.Text)];
        byte[][] ids = [.. texts.Select(t => System.Text.Encoding.ASCII.GetBytes(t))];

        // Act
        TestThreads.TestThread consumer = TestThreads.StartNew("churn-consumer", () =>
        {
            var handles = new CancelEntryHandle[orders];
            long now = 0;
            try
            {
                ChurnOrders(handles, ref now);
            }
            finally
            {
                Volatile.Write(ref consumerDone, true);
            }
        });

        void ChurnOrders(CancelEntryHandle[] handles, ref long now)
        {
            for (int i = 0; i < orders + window; i++)
            {
                now++;
                if (i < orders)
                {
                    if (!table.TryBegin(ids[i], now, out handles[i], out _))
                    {
                        throw new InvalidOperationException($"Refused order {i} with {table.Count} entries.");
                    }

                    table.Transition(handles[i], CancelState.Sent, now);
                    Volatile.Write(ref begunCount, i + 1);
                }

                int done = i - window;
                if (done >= 0)
                {
                    table.Transition(handles[done], outcomes[done % outcomes.Length], now);
                    Volatile.Write(ref completedCount, done + 1);
                }

                if (i % 1_000 == 0)
                {
                    table.Sweep(now);
                }
            }
        }

        TestThreads.TestThread reader = TestThreads.StartNew("churn-reader", () =>
        {
            var random = new Random(7);
            while (!Volatile.Read(ref consumerDone) || readerChecks < 10_000)
            {
                long completed = Volatile.Read(ref completedCount);
                long begun = Volatile.Read(ref begunCount);
                if (begun == 0)
                {
                    continue;
                }

                // Half the lookups are for ids about to be begun, whose slots are being rewritten right now (a
                // reader that trusted a word read before the id settled would report the old order's outcome);
                // the rest are for recent ids, in flight or finished.
                int j = random.Next(2) == 0
                    ? (int)Math.Min(orders - 1, begun + random.Next(4))
                    : (int)Math.Max(0, begun - 1 - random.Next(window * 4));
                CancelState state = (j & 1) == 0 ? table.GetState(ids[j]) : table.GetState(texts[j].AsSpan());
                CancelState own = outcomes[j % outcomes.Length];
                if (j >= begun)
                {
                    // Not begun when the lookup started: absent, or just begun, or (rarely) already finished.
                    bool finishedSince = j < Volatile.Read(ref completedCount);
                    Assert.True(
                        state is CancelState.None or CancelState.Queued or CancelState.Sent || (finishedSince && state == own),
                        $"order {j} (not yet begun) read {state}");
                }
                else if (j < completed)
                {
                    // Finished before the lookup began: its own outcome, or forgotten.
                    Assert.True(state == own || state == CancelState.None, $"order {j} (finished) read {state}");
                }
                else
                {
                    // In flight when the lookup began: never missing unless it finished and was recycled meanwhile.
                    bool finishedSince = j < Volatile.Read(ref completedCount);
                    Assert.True(
                        state == CancelState.Sent || state == own || (finishedSince && state == CancelState.None),
                        $"order {j} (in flight) read {state}");
                }

                readerChecks++;
            }
        });

        TestThreads.Join(consumer);
        TestThreads.Join(reader);

        // Assert
        Assert.Equal(0, table.RefusalCount);
        Assert.True(table.RecycledCount > orders / 2, $"only {table.RecycledCount} entries were recycled");
        Assert.True(readerChecks >= 10_000);
    }
}
