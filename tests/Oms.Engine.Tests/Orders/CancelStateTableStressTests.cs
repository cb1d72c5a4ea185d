using Oms.Engine.Orders;
using Oms.Engine.Tests.Sequencing;

namespace Oms.Engine.Tests.Orders;

/// <summary>
/// Several threads on one table with deterministic end states: every legal move made exactly once, and readers
/// that never see one order's state under another order's id.
/// </summary>
[Collection(TestThreads.Collection)]
public class CancelStateTableStressTests
{
    [Fact]
    public void TryTransition_FourThreadsRacingTheSameMoves_EachMoveHappensOnce()
    {
        // Arrange
        const int threads = 4;
        const int orders = 8_192;
        const int rounds = 3;
        var table = new CancelStateTable(orders, 0);
        byte[][] ids = TestOrderIds.ManyBytes(orders);
        var handles = new CancelEntryHandle[orders];
        long sentWins = 0;
        long ackedWins = 0;

        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < orders; i++)
            {
                Assert.True(table.TryBegin(ids[i], round, out handles[i], out bool alreadyInFlight));
                Assert.False(alreadyInFlight);
            }

            // Act: every thread tries both moves on every order; half the threads walk the orders backwards so the
            // races happen all along the table, not only at its start.
            using var start = new ManualResetEventSlim(false);
            var wins = new long[threads, 2];
            TestThreads.TestThread[] racers =
            [
                .. Enumerable.Range(0, threads).Select(t => TestThreads.StartNew($"cancel-racer-{t}", () =>
                {
                    start.Wait(TestThreads.Bound);
                    for (int k = 0; k < orders; k++)
                    {
                        int i = t % 2 == 0 ? k : orders - 1 - k;
                        if (table.TryTransition(handles[i], CancelState.Queued, CancelState.Sent, round))
                        {
                            wins[t, 0]++;
                        }

                        if (table.TryTransition(handles[i], CancelState.Sent, CancelState.Acked, round))
                        {
                            wins[t, 1]++;
                        }
                    }
                })),
            ];
            start.Set();
            foreach (TestThreads.TestThread racer in racers)
            {
                TestThreads.Join(racer);
            }

            // Assert
            long roundSent = Enumerable.Range(0, threads).Sum(t => wins[t, 0]);
            long roundAcked = Enumerable.Range(0, threads).Sum(t => wins[t, 1]);
            Assert.Equal(orders, roundSent);
            Assert.Equal(orders, roundAcked);
            Assert.All(ids, id => Assert.Equal(CancelState.Acked, table.GetState(id)));
            sentWins += roundSent;
            ackedWins += roundAcked;
        }

        Assert.Equal((long)orders * rounds, sentWins);
        Assert.Equal((long)orders * rounds, ackedWins);
        Assert.Equal(orders, table.Count);
    }

    [Fact]
    public void TryTransition_ThreadsRacingToDifferentOutcomes_ExactlyOneWinsAndItsOutcomeSticks()
    {
        // Arrange
        const int orders = 8_192;
        CancelState[] outcomes = [CancelState.Acked, CancelState.Rejected, CancelState.Failed];
        var table = new CancelStateTable(orders, 0);
        byte[][] ids = TestOrderIds.ManyBytes(orders);
        var handles = new CancelEntryHandle[orders];
        for (int i = 0; i < orders; i++)
        {
            table.TryBegin(ids[i], 0, out handles[i], out _);
            table.TryTransition(handles[i], CancelState.Queued, CancelState.Sent, 0);
        }

        var won = new bool[outcomes.Length, orders];
        using var start = new ManualResetEventSlim(false);

        // Act
        TestThreads.TestThread[] racers =
        [
            .. Enumerable.Range(0, outcomes.Length).Select(t => TestThreads.StartNew($"outcome-racer-{t}", () =>
            {
                start.Wait(TestThreads.Bound);
                for (int i = 0; i < orders; i++)
                {
                    won[t, i] = table.TryTransition(handles[i], CancelState.Sent, outcomes[t], 1);
                }
            })),
        ];
        start.Set();
        foreach (TestThreads.TestThread racer in racers)
        {
            TestThreads.Join(racer);
        }

        // Assert
        for (int i = 0; i < orders; i++)
        {
            int[] winners = [.. Enumerable.Range(0, outcomes.Length).Where(t => won[t, i])];
            Assert.Single(winners);
            Assert.Equal(outcomes[winners[0]], table.GetState(ids[i]));
        }
    }

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

                    table.TryTransition(handles[i], CancelState.Queued, CancelState.Sent, now);
                    Volatile.Write(ref begunCount, i + 1);
                }

                int done = i - window;
                if (done >= 0)
                {
                    table.TryTransition(handles[done], CancelState.Sent, outcomes[done % outcomes.Length], now);
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
