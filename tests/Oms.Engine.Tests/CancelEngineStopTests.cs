namespace Oms.Engine.Tests;

/// <summary>Stopping: every accepted intent still gets exactly one outcome, within a bound, and late answers change nothing.</summary>
[Collection(FakeEngine.Collection)]
public sealed class CancelEngineStopTests
{
    [Fact]
    public async Task StopAsync_RequestsInFlightPastTheDrain_EachFailedStoppedOnceOnTheConsumerThread()
    {
        var fake = FakeEngine.Start();
        await using (fake)
        {
            fake.CancelOrders(5);

            var requests = Enumerable.Range(0, 5).Select(fake.Sender.WaitForRequest).ToArray();

            await fake.Engine.StopAsync(TimeSpan.FromMilliseconds(100)).WaitAsync(FakeEngine.Bound);
            var counters = fake.Engine.GetCounters();

            Assert.Equal(5, fake.Listener.Count);
            Assert.All(fake.Listener.Outcomes.Values, o => Assert.Equal(("failed", CancelFailureReason.Stopped), (o.Kind, o.Failure)));
            Assert.Equal(0, fake.Listener.DoubleReports);
            Assert.Equal(0, fake.Listener.WrongThreadCalls);
            Assert.Equal(CancelState.Failed, fake.Engine.GetCancelState(FakeEngine.OrderId(0)));
            FakeEngine.AssertReconciled(counters);

            // The transport answers after all: nothing changes, nothing throws.
            foreach (var request in requests)
            {
                fake.Sender.Ack(request);
                fake.Sender.Fail(request, Http2StreamFailure.Disposed);
            }

            await Task.Delay(20);
            Assert.Equal(5, fake.Listener.Calls);
            Assert.Equal(counters, fake.Engine.GetCounters());
            Assert.Equal(CancelState.Failed, fake.Engine.GetCancelState(FakeEngine.OrderId(0)));
        }
    }

    [Fact]
    public async Task StopAsync_InFlightAnsweredDuringTheDrain_KeepsTheVenuesOutcome()
    {
        var fake = FakeEngine.Start();
        await using (fake)
        {
            fake.Cancel(FakeEngine.OrderId(1), 1);
            fake.Cancel(FakeEngine.OrderId(2), 2);
            var first = fake.Sender.WaitForRequest(0);
            var second = fake.Sender.WaitForRequest(1);

            var stopping = fake.Engine.StopAsync(TimeSpan.FromSeconds(10));
            var refusedWhileStopping = !fake.Engine.TryCancel(FakeEngine.OrderId(3), "BTC-PERP", 3, out var refusal);
            fake.Sender.Ack(first);
            fake.Sender.Respond(second, 200, FakeAnswers.OrderErr(second, 300006, "INVALID_ORDER_ID", "gone"));
            await stopping.WaitAsync(FakeEngine.Bound);

            Assert.True(refusedWhileStopping);
            Assert.Equal(CancelRefusal.EngineStopped, refusal);
            Assert.Equal("acked", fake.Listener.Outcomes[1].Kind);
            Assert.Equal("rejected", fake.Listener.Outcomes[2].Kind);
            Assert.Equal(2, fake.Listener.Count);
            FakeEngine.AssertReconciled(fake.Engine.GetCounters());
        }
    }

    [Fact]
    public async Task StopAsync_IntentsWaitingForTheTransportOrABackoff_FailedStopped()
    {
        var fake = FakeEngine.Start(FakeEngine.DefaultSettings with { RetryBackoff = TimeSpan.FromSeconds(5) });
        await using (fake)
        {
            fake.Cancel(FakeEngine.OrderId(0), 0);
            fake.Sender.Respond(fake.Sender.WaitForRequest(0), 503, "");
            await CancelEngineOutcomeTests.WaitUntilAsync(() => fake.Engine.GetCounters().InFlight == 0, "the 503 to be taken");
            fake.Sender.RefuseWith = Http2SendResult.NoCapacity;
            for (var i = 1; i < 4; i++)
            {
                fake.Cancel(FakeEngine.OrderId(i), i);
            }

            await CancelEngineOutcomeTests.WaitUntilAsync(() => fake.Engine.GetCounters().RingOccupancy == 0, "the intents to leave the ring");
            await fake.Engine.StopAsync(TimeSpan.FromMilliseconds(50)).WaitAsync(FakeEngine.Bound);

            Assert.Equal(4, fake.Listener.Count);
            Assert.All(fake.Listener.Outcomes.Values, o => Assert.Equal(("failed", CancelFailureReason.Stopped), (o.Kind, o.Failure)));
            Assert.Equal(CancelState.Failed, fake.Engine.GetCancelState(FakeEngine.OrderId(0)));
            Assert.Equal(CancelState.Failed, fake.Engine.GetCancelState(FakeEngine.OrderId(3)));
            Assert.Equal(1, fake.Sender.RequestCount);
            FakeEngine.AssertReconciled(fake.Engine.GetCounters());
        }
    }

    [Fact]
    public async Task StopAsync_Twice_SecondReturnsAndNothingChanges()
    {
        var fake = FakeEngine.Start();
        await using (fake)
        {
            fake.Cancel(FakeEngine.OrderId(1), 1);
            fake.Sender.Ack(fake.Sender.WaitForRequest(0));
            await fake.Listener.WaitForTagAsync(1, FakeEngine.Bound);

            await fake.Engine.StopAsync(TimeSpan.FromSeconds(1)).WaitAsync(FakeEngine.Bound);
            await fake.Engine.StopAsync(TimeSpan.FromSeconds(1)).WaitAsync(FakeEngine.Bound);

            Assert.False(fake.Engine.IsRunning);
            Assert.Equal(1, fake.Listener.Calls);
        }
    }

    [Fact]
    public async Task StopAsync_WhileStrategiesPublish_EveryAcceptedIntentGetsExactlyOneOutcomeOnTheConsumerThread()
    {
        // A race, so several rounds: a strategy that passed the running check just before the stop must still either
        // be refused or have its intent decided, never strand it in a halted ring.
        for (var round = 0; round < 16; round++)
        {
            var fake = FakeEngine.Start(FakeEngine.DefaultSettings with { OrderStateCapacity = 65_536 }, senderCapacity: 65_536);
            await using (fake)
            {
                using var venue = new AutoResponder(fake.Sender);
                var accepted = new ConcurrentBag<long>();
                using var go = new ManualResetEventSlim();
                var producers = Enumerable.Range(0, 4).Select(p => Task.Factory.StartNew(
                    () =>
                    {
                        go.Wait();
                        for (var i = 0; i < 20_000; i++)
                        {
                            var tag = (p * 100_000L) + i;
                            if (fake.Engine.TryCancel(FakeEngine.OrderId(tag), "BTC-PERP", tag, out var refusal))
                            {
                                accepted.Add(tag);
                            }
                            else if (refusal == CancelRefusal.EngineStopped)
                            {
                                return;
                            }
                        }
                    },
                    CancellationToken.None,
                    TaskCreationOptions.LongRunning,
                    TaskScheduler.Default)).ToArray();

                go.Set();
                await Task.Delay(5);
                await fake.Engine.StopAsync(TimeSpan.FromMilliseconds(1)).WaitAsync(FakeEngine.Bound);
                await Task.WhenAll(producers).WaitAsync(FakeEngine.Bound);

                var missing = accepted.Where(tag => !fake.Listener.Outcomes.ContainsKey(tag)).Take(5).ToArray();
                Assert.True(missing.Length == 0, $"Round {round}: accepted without an outcome: {string.Join(", ", missing)} ({fake.Engine.GetCounters()}).");
                Assert.Equal(accepted.Count, fake.Listener.Count);
                Assert.Equal(0, fake.Listener.DoubleReports);
                Assert.True(fake.Listener.WrongThreadCalls == 0, $"Round {round}: {fake.Listener.WrongThreadCalls} listener calls off the consumer thread.");
                FakeEngine.AssertReconciled(fake.Engine.GetCounters());
            }
        }
    }
}
