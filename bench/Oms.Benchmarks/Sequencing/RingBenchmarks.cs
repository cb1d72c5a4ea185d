using BenchmarkDotNet.Attributes;
using Oms.Benchmarks.Support;
using Oms.Engine.Sequencing;

namespace Oms.Benchmarks.Sequencing;

/// <summary>
/// Publish to consume through our ring, one and three producers to one consumer, for each wait strategy, against
/// a bounded <see cref="System.Threading.Channels.Channel{T}"/> of the same size. The time per operation is the
/// time per event; events per second is its inverse.
/// </summary>
[MemoryDiagnoser]
public class RingBenchmarks
{
    /// <summary>Events per invocation: divisible by 1 and 3, large enough to dwarf the round's hand-offs.</summary>
    public const int EventsPerInvoke = 3 << 18;

    /// <summary>The ring's (and the channel's) capacity: the engine's default ring size.</summary>
    public const int BufferSize = 16_384;

    private IThroughputRun? _run;
    private long _expected;

    /// <summary>Producer threads: 1 or 3.</summary>
    [Params(1, 3)]
    public int Producers { get; set; }

    /// <summary>Starts the ring with the busy-spin strategy.</summary>
    [GlobalSetup(Target = nameof(BusySpin))]
    public void SetupBusySpin() => Start(WaitStrategyKind.BusySpin);

    /// <summary>Starts the ring with the yielding strategy.</summary>
    [GlobalSetup(Target = nameof(Yielding))]
    public void SetupYielding() => Start(WaitStrategyKind.Yielding);

    /// <summary>Starts the ring with the sleeping strategy.</summary>
    [GlobalSetup(Target = nameof(Sleeping))]
    public void SetupSleeping() => Start(WaitStrategyKind.Sleeping);

    /// <summary>Starts the ring with the blocking strategy.</summary>
    [GlobalSetup(Target = nameof(Blocking))]
    public void SetupBlocking() => Start(WaitStrategyKind.Blocking);

    /// <summary>Starts the channel.</summary>
    [GlobalSetup(Target = nameof(BoundedChannel))]
    public void SetupChannel() => Start(new ChannelRun(BufferSize, Producers));

    /// <summary>Stops the consumer and producer threads.</summary>
    [GlobalCleanup]
    public void Cleanup() => _run?.Dispose();

    /// <summary>Ring, busy-spin consumer.</summary>
    /// <returns>The checksum of the values consumed.</returns>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public long BusySpin() => RunChecked();

    /// <summary>Ring, yielding consumer.</summary>
    /// <returns>The checksum of the values consumed.</returns>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public long Yielding() => RunChecked();

    /// <summary>Ring, sleeping consumer.</summary>
    /// <returns>The checksum of the values consumed.</returns>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public long Sleeping() => RunChecked();

    /// <summary>Ring, blocking consumer.</summary>
    /// <returns>The checksum of the values consumed.</returns>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public long Blocking() => RunChecked();

    /// <summary>The yardstick: a bounded channel with an async consumer loop.</summary>
    /// <returns>The checksum of the values consumed.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = EventsPerInvoke)]
    public long BoundedChannel() => RunChecked();

    private void Start(WaitStrategyKind kind) => Start(WaitStrategyFactory.Create(kind, new RingRunFactory(BufferSize, Producers)));

    private void Start(IThroughputRun run)
    {
        _run = run;
        long perProducer = EventsPerInvoke / Producers;
        _expected = Producers * (perProducer * (perProducer + 1) / 2);
        RunChecked();
    }

    private long RunChecked()
    {
        long sum = _run!.Run(EventsPerInvoke / Producers);
        BenchmarkCheck.Equal(_expected, sum, "checksum of the consumed values");
        return sum;
    }

    private sealed class RingRunFactory(int bufferSize, int producers) : IWaitStrategyVisitor<IThroughputRun>
    {
        public IThroughputRun Visit<TWait>(TWait waitStrategy)
            where TWait : struct, IWaitStrategy => new RingRun<TWait>(bufferSize, waitStrategy, producers);
    }
}
