namespace Oms.Engine.Tests.Support;

/// <summary>
/// The invariants every run against the venue must keep, whatever the venue did wrong: checked after the run, once the
/// engine has been stopped (within a bound).
/// </summary>
/// <remarks>
/// Create it before the run (it watches for unobserved task exceptions from then on), then call
/// <see cref="StopAndVerifyAsync"/>. The checks:
/// <list type="bullet">
/// <item><description>the engine stops within the drain time plus a bound;</description></item>
/// <item><description>every accepted intent has exactly one outcome, and nothing else has one; every call on the consumer thread;</description></item>
/// <item><description>the engine's counters equal the listener's tallies (per kind and per reason) and reconcile with the intents;</description></item>
/// <item><description>the venue saw no request id twice;</description></item>
/// <item><description>every order the engine reports Acked is canceled in the venue's book, and the venue's Ack count relates to
/// the engine's as the run says (<see cref="AckRelation"/>);</description></item>
/// <item><description>the venue saw no more streams than the engine sent requests (exactly as many when the run says so);</description></item>
/// <item><description>no task exception went unobserved;</description></item>
/// <item><description>nothing outlives the engine: once it is disposed, the venue sees all its connections closed and
/// none of the threads it started (its <c>oms-consumer</c>, its connections' <c>oms-h2-reader</c>s) is alive, within
/// <see cref="LeakBound"/>. The threads are this engine's own handles, so tests running beside it cannot disturb the check.</description></item>
/// </list>
/// </remarks>
internal sealed class InvariantChecker : IDisposable
{
    /// <summary>How long a disposed engine's connections and threads may take to go away.</summary>
    public static readonly TimeSpan LeakBound = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<AggregateException> _unobserved = new();

    public InvariantChecker()
    {
        // Finalize what earlier tests left behind first, so that their unobserved exceptions are not blamed on this run.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        TaskScheduler.UnobservedTaskException += OnUnobserved;
    }

    /// <summary>How the venue's Ack count must relate to the orders the engine reports Acked.</summary>
    public enum AckRelation
    {
        /// <summary>Equal: the engine read every answer the venue gave.</summary>
        Exact,

        /// <summary>At least: some answers were lost (reset, timeout, cut) after the venue canceled the order.</summary>
        AtLeast,
    }

    /// <summary>How the venue's stream count must relate to the engine's requests.</summary>
    public enum StreamRelation
    {
        /// <summary>Equal: every request reached the venue.</summary>
        Exact,

        /// <summary>At most: some requests died with their connection before the venue saw them.</summary>
        AtMost,
    }

    /// <summary>Stops the run's engine and checks every invariant; returns the final counters for the test's own checks.</summary>
    /// <param name="run">The run.</param>
    /// <param name="acks">How the venue's Acks relate to the engine's.</param>
    /// <param name="streams">How the venue's streams relate to the engine's requests.</param>
    /// <param name="drain">The drain time given to <c>StopAsync</c>.</param>
    public async Task<EngineCountersSnapshot> StopAndVerifyAsync(VenueRun run, AckRelation acks, StreamRelation streams, TimeSpan? drain = null)
    {
        var drainTime = drain ?? TimeSpan.FromSeconds(2);
        await run.Engine.StopAsync(drainTime).WaitAsync(drainTime + FakeEngine.Bound);
        Assert.False(run.Engine.IsRunning);

        var listener = run.Listener;
        var orderIds = run.OrderIds;
        var counters = run.Engine.GetCounters();
        var context = $"counters {counters}; outcomes {listener.Summary()}";

        // Exactly one outcome per accepted intent, on the consumer thread, and none for anything else.
        Assert.True(listener.DoubleReports == 0, $"{listener.DoubleReports} second outcomes; {context}");
        Assert.True(listener.WrongThreadCalls == 0, $"{listener.WrongThreadCalls} calls off the consumer thread; {context}");
        var missing = orderIds.Keys.Where(tag => !listener.Outcomes.ContainsKey(tag)).Take(5).ToArray();
        Assert.True(missing.Length == 0, $"No outcome for tags {string.Join(", ", missing)}; {context}");
        Assert.Equal(orderIds.Count, listener.Count);
        Assert.All(listener.Outcomes, pair => Assert.Equal(orderIds[pair.Key], pair.Value.OrderId));

        // The counters tell the listener's story.
        Assert.Equal(orderIds.Count, counters.Intents);
        Assert.Equal(counters.Intents, counters.Acked + counters.Rejected + counters.Failed + counters.Expired);
        Assert.Equal(0, counters.InFlight);
        Assert.Equal(listener.CountOf("acked"), counters.Acked);
        Assert.Equal(listener.CountOf("rejected"), counters.Rejected);
        Assert.Equal(listener.CountOf("failed"), counters.Failed);
        Assert.Equal(listener.CountOf("expired"), counters.Expired);
        foreach (var reason in Enum.GetValues<CancelFailureReason>())
        {
            Assert.True(listener.CountOf(reason) == run.Engine.GetFailedCount(reason), $"Failed {reason}: listener {listener.CountOf(reason)}, engine {run.Engine.GetFailedCount(reason)}");
        }

        foreach (var reason in Enum.GetValues<VenueReason>())
        {
            Assert.True(listener.CountOf(reason) == run.Engine.GetRejectedCount(reason), $"Rejected {reason}: listener {listener.CountOf(reason)}, engine {run.Engine.GetRejectedCount(reason)}");
        }

        // The venue's view: no id reused, every engine Ack a real cancel, no stream the engine did not send.
        var venue = run.Venue.Stats;
        Assert.Equal(0, venue.DuplicateRequestIds);
        var ackedOrders = listener.Outcomes.Values.Where(o => o.Kind == "acked").Select(o => o.OrderId).Distinct(StringComparer.Ordinal).ToArray();
        Assert.All(ackedOrders, orderId => Assert.Equal(OrderBookState.Canceled, run.Venue.Book.GetState(orderId)));
        if (acks == AckRelation.Exact)
        {
            Assert.True(venue.Acked == ackedOrders.Length, $"Venue acked {venue.Acked}, engine acked {ackedOrders.Length} orders; {context}");
        }
        else
        {
            Assert.True(venue.Acked >= ackedOrders.Length, $"Venue acked {venue.Acked}, fewer than the {ackedOrders.Length} orders the engine reports acked; {context}");
        }

        if (streams == StreamRelation.Exact)
        {
            Assert.True(venue.Streams == counters.Requests, $"Venue saw {venue.Streams} streams, engine sent {counters.Requests}; {context}");
        }
        else
        {
            Assert.True(venue.Streams <= counters.Requests, $"Venue saw {venue.Streams} streams, more than the {counters.Requests} the engine sent; {context}");
        }

        await run.Engine.DisposeAsync().AsTask().WaitAsync(FakeEngine.Bound);
        var leaks = await FindLeaksAsync(run.Engine, run.Venue, LeakBound);
        Assert.True(leaks is null, $"{leaks}; {context}");

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.True(_unobserved.IsEmpty, "Unobserved task exceptions: " + string.Join(" | ", _unobserved.Select(e => e.ToString())));
        return counters;
    }

    /// <summary>
    /// Waits up to <paramref name="bound"/> for the venue to see no connection open and for every thread the engine
    /// started to have ended; says what is left when that does not happen, null when it does.
    /// </summary>
    /// <remarks>
    /// The threads are the engine's own handles (its consumer, and every reader its client started that had not ended when
    /// the client last looked), not a process-wide census, so tests running beside this one cannot disturb the check.
    /// </remarks>
    public static async Task<string?> FindLeaksAsync(CancelEngine engine, VenueServer venue, TimeSpan bound)
    {
        var consumer = engine.ConsumerThread;
        var client = engine.Client;
        Assert.NotNull(consumer);
        Assert.NotNull(client);
        Assert.Equal("oms-consumer", consumer.Name);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            // Read again each time: a reconnect the client had under way as it was disposed may start one more reader.
            var readers = client.ReaderThreads;
            Assert.NotEmpty(readers);
            Assert.All(readers, reader => Assert.Equal("oms-h2-reader", reader.Name));
            var alive = readers.Prepend(consumer).Where(thread => thread.IsAlive).ToArray();
            var open = venue.Stats.ConnectionsOpen;
            if (alive.Length == 0 && open == 0)
            {
                return null;
            }

            if (clock.Elapsed >= bound)
            {
                return $"after {bound.TotalSeconds:0.#} s the venue still had {open} connections open and {alive.Length} of the engine's threads were alive "
                    + $"({string.Join(", ", alive.Select(thread => thread.Name))})";
            }

            await Task.Delay(20);
        }
    }

    public void Dispose() => TaskScheduler.UnobservedTaskException -= OnUnobserved;

    private void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e) => _unobserved.Enqueue(e.Exception);
}
