using Oms.Engine.Diagnostics;

namespace Oms.Engine.Tests.Consumer;

/// <summary>
/// A <see cref="CancelConsumer"/> on its own, driven through its entry points from the test's thread: intents and
/// completions are handed to <see cref="CancelConsumer.OnEvent"/> as the ring would, requests go to a
/// <see cref="FakeSender"/>, and the completions its <see cref="CompletionSink"/> publishes wait in a
/// queue until <see cref="DeliverCompletions"/>.
/// </summary>
internal sealed class ConsumerHarness : IDisposable
{
    private readonly HandBackRing _ring = new();
    private readonly SymbolTable _symbols = new(16);

    public ConsumerHarness(CancelEngineSettings? settings = null)
    {
        settings ??= FakeEngine.DefaultSettings;
        var inFlight = InFlightEntry.NewTable(64);
        Sender = new FakeSender(new CompletionSink(inFlight, new CancelResponseParser(settings.Profile), _ring));
        Counters = new EngineCounters(() => 0, () => 0);
        States = new CancelStateTable(1024, 0);
        Notes = new StreamNotes(_ring, new AdmissionGate(64), Counters);
        Consumer = new CancelConsumer(
            settings,
            FakeEngine.Credentials,
            Listener,
            Counters,
            _symbols,
            new AdmissionGate(1024),
            States,
            inFlight,
            Sender,
            Notes);
    }

    /// <summary>The consumer's counters.</summary>
    public EngineCounters Counters { get; }

    /// <summary>The order-state table the consumer writes.</summary>
    public CancelStateTable States { get; }

    /// <summary>The order stream's way in: what a test tells it reaches the consumer with the next delivery.</summary>
    public StreamNotes Notes { get; }

    /// <summary>The status queries sent so far (requests whose path carries <c>/status?orderId=</c>).</summary>
    public IReadOnlyList<FakeRequest> StatusRequests => [.. Sender.Requests.Where(r => r.Path.Contains("/status?orderId=", StringComparison.Ordinal))];

    public CancelConsumer Consumer { get; }

    public FakeSender Sender { get; }

    public RecordingListener Listener { get; } = new();

    /// <summary>Completions the sink handed back and the consumer has not seen yet.</summary>
    public int PendingCompletions => _ring.Completions.Count;

    /// <summary>One intent in a batch of its own.</summary>
    public void Intent(string orderId, long tag, string symbol = "BTC-PERP")
    {
        Assert.True(_symbols.TryGetOrAdd(symbol, out var symbolIndex));
        var e = new CancelEvent
        {
            Kind = CancelEventKind.Intent,
            OrderId = OrderId.FromAscii(Encoding.ASCII.GetBytes(orderId)),
            SymbolIndex = symbolIndex,
            Tag = tag,
            PublishTicks = System.Diagnostics.Stopwatch.GetTimestamp(),
        };
        Batch(ref e);
    }

    /// <summary>Every completion handed back so far, in one batch.</summary>
    public void DeliverCompletions()
    {
        while (_ring.Completions.TryDequeue(out var token))
        {
            var e = new CancelEvent { Kind = CancelEventKind.Completion, Token = token };
            Consumer.OnEvent(ref e);
        }

        while (_ring.StreamNotes.TryDequeue(out var note))
        {
            var e = note;
            Consumer.OnEvent(ref e);
        }

        Consumer.EndOfBatch();
    }

    /// <summary>Idles the consumer, as the ring does when nothing arrives, until <paramref name="condition"/> holds.</summary>
    public bool IdleUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + FakeSender.Bound;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(1);
            Consumer.OnIdle();
        }

        return condition();
    }

    public void Dispose() => Consumer.Dispose();

    private void Batch(ref CancelEvent e)
    {
        Consumer.OnEvent(ref e);
        Consumer.EndOfBatch();
    }

    /// <summary>The ring as the completion sink sees it: completions are queued for the test to deliver.</summary>
    private sealed class HandBackRing : IConsumerRing
    {
        public ConcurrentQueue<long> Completions { get; } = new();

        public long Occupancy => Completions.Count;

        public Thread? ConsumerThread => null;

        public void PublishCompletion(long token) => Completions.Enqueue(token);

        public ConcurrentQueue<CancelEvent> StreamNotes { get; } = new();

        public bool TryPublishNote(in OrderId orderId, VenueOrderStatus status)
        {
            StreamNotes.Enqueue(new CancelEvent { Kind = CancelEventKind.StreamStatus, OrderId = orderId, Tag = (long)status });
            return true;
        }

        public bool TryPublishIntent(in OrderId orderId, int symbolIndex, long tag, long publishTicks, TimeSpan timeout) =>
            throw new NotSupportedException("The harness hands intents to the consumer itself.");

        public void Start(CancelConsumer consumer, string threadName, Action onHalted, Action? onStarted = null) => throw new NotSupportedException();

        public bool Stop(TimeSpan timeout) => throw new NotSupportedException();

        public void DrainRemaining(CancelConsumer consumer) => throw new NotSupportedException();
    }
}
