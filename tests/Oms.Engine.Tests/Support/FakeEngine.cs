namespace Oms.Engine.Tests.Support;

/// <summary>An engine on a <see cref="FakeSender"/>, with a listener, stopped within a bound on dispose.</summary>
internal sealed class FakeEngine : IAsyncDisposable
{
    /// <summary>The API secret the fake engine signs with (its key is <c>key</c>).</summary>
    public const string Secret = "secret";

    /// <summary>
    /// The engine tests on a fake transport share this collection: one at a time, so their consumer and fake-venue
    /// threads do not crowd this two-core machine while the other test classes run beside them.
    /// </summary>
    public const string Collection = "Engine on a fake transport";

    /// <summary>A liveness bound, not a timing expectation.</summary>
    public static readonly TimeSpan Bound = FakeSender.Bound;

    private FakeEngine(CancelEngine engine, FakeSender sender, ICancelListener listener)
    {
        Engine = engine;
        Sender = sender;
        Listener = listener as RecordingListener ?? new RecordingListener();
    }

    public CancelEngine Engine { get; }

    public FakeSender Sender { get; }

    /// <summary>The listener, when the engine was started with a <see cref="RecordingListener"/> (a fresh unused one otherwise).</summary>
    public RecordingListener Listener { get; }

    /// <summary>Settings for an engine on a fake: nothing listens at the URL, no rate limit, no key-proof limit, short back-off, a blocking consumer (no CPU when idle).</summary>
    public static CancelEngineSettings DefaultSettings { get; } = new()
    {
        BaseUrl = new Uri("http://127.0.0.1:1"),
        AccountGroup = "7",
        RateLimitPerSecond = 0,
        WaitStrategy = WaitStrategyKind.Blocking,
        RingSize = 1024,
        OrderStateCapacity = 4096,
        RetryBackoff = TimeSpan.FromMilliseconds(5),

        // The fake's key is always good; the limit before the key is proven has tests of its own, which set it.
        InFlightUntilKeyProven = 0,

        // The fake answers cancels only; the fate tests turn confirmation on and answer the status queries themselves,
        // and the batch tests turn batching on and answer the batches.
        Confirmation = new() { Enabled = false },
        BatchCancel = BatchCancelMode.Off,
    };

    public static ApiCredentials Credentials => new("key", Secret);

    /// <summary>Starts an engine on a fake sender.</summary>
    /// <param name="settings">Settings; <see cref="DefaultSettings"/> when null.</param>
    /// <param name="listener">The listener; a new <see cref="RecordingListener"/> when null.</param>
    /// <param name="senderCapacity">The fake's unread-request capacity.</param>
    public static FakeEngine Start(CancelEngineSettings? settings = null, ICancelListener? listener = null, int senderCapacity = 4096)
    {
        listener ??= new RecordingListener();
        FakeSender? sender = null;
        var engine = CancelEngine.StartWith(settings ?? DefaultSettings, Credentials, listener, handler => sender = new FakeSender(handler, senderCapacity));
        return new FakeEngine(engine, sender!, listener);
    }

    /// <summary>Starts an engine on a fake sender with the default settings and makes its first intent (<see cref="CancelFirst"/>).</summary>
    /// <param name="request">The request the engine sent for the first intent.</param>
    public static FakeEngine StartWithFirstCancel(out FakeRequest request)
    {
        var fake = Start();
        request = fake.CancelFirst();
        return fake;
    }

    /// <summary>A v1-valid order id (32 letters and digits) that encodes <paramref name="n"/>.</summary>
    public static string OrderId(long n) => "a18c5e3b7f2U1234567890" + n.ToString("D10", CultureInfo.InvariantCulture);

    /// <summary>Accepts a cancel or fails the test with the refusal.</summary>
    public void Cancel(string orderId, long tag, string symbol = "BTC-PERP")
    {
        Assert.True(Engine.TryCancel(orderId, symbol, tag, out var refusal), $"TryCancel refused: {refusal}");
    }

    /// <summary>Cancels orders 0 to <paramref name="count"/> - 1, each tagged with its number.</summary>
    public void CancelOrders(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Cancel(OrderId(i), i);
        }
    }

    /// <summary>The first intent: cancels order 1 with tag 1 and returns the request the engine sent for it.</summary>
    public FakeRequest CancelFirst()
    {
        Cancel(OrderId(1), tag: 1);
        return Sender.WaitForRequest(0);
    }

    /// <summary><see cref="WaitForOutcomesAsync"/>, then <see cref="WaitIdleAsync"/>: the counters once all is decided.</summary>
    public async Task<EngineCountersSnapshot> WaitForOutcomesAndIdleAsync(int count)
    {
        await WaitForOutcomesAsync(count);
        return await WaitIdleAsync();
    }

    /// <summary>The outcome of <paramref name="tag"/>, then the counters once the engine is idle.</summary>
    public async Task<(RecordingListener.Recorded Outcome, EngineCountersSnapshot Counters)> WaitForTagAndIdleAsync(long tag)
    {
        var outcome = await Listener.WaitForTagAsync(tag, Bound);
        return (outcome, await WaitIdleAsync());
    }

    /// <summary>Waits until the listener holds <paramref name="count"/> outcomes, failing after <see cref="Bound"/>.</summary>
    public async Task WaitForOutcomesAsync(int count)
    {
        await Listener.WaitForAsync(count, Bound);
        Assert.True(Listener.Count >= count, $"{Listener.Count} of {count} outcomes within {Bound}; counters {Engine.GetCounters()}");
    }

    /// <summary>Waits until the engine's counters show nothing pending and nothing in flight.</summary>
    public async Task<EngineCountersSnapshot> WaitIdleAsync()
    {
        var deadline = DateTime.UtcNow + Bound;
        var counters = Engine.GetCounters();
        while ((counters.Pending != 0 || counters.InFlight != 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
            counters = Engine.GetCounters();
        }

        Assert.True(counters.Pending == 0 && counters.InFlight == 0, $"Not idle within {Bound}: {counters}");
        return counters;
    }

    /// <summary>Asserts the reconciliation rule: every intent is decided and counted once.</summary>
    public static void AssertReconciled(EngineCountersSnapshot counters)
    {
        Assert.Equal(counters.Intents, counters.Acked + counters.Rejected + counters.Failed + counters.Expired);
        Assert.Equal(0, counters.InFlight);
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.StopAsync(TimeSpan.FromSeconds(1)).WaitAsync(Bound);
        await Engine.DisposeAsync();
    }
}
