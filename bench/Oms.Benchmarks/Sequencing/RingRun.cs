using Oms.Engine.Sequencing;

namespace Oms.Benchmarks.Sequencing;

/// <summary>
/// Our ring with a given wait strategy: a <see cref="MultiProducerSequencer{TWait}"/>, a
/// <see cref="BatchEventProcessor{T, THandler, TWait}"/> on its own thread, and one or more producers.
/// </summary>
/// <typeparam name="TWait">The consumer's wait strategy.</typeparam>
internal sealed class RingRun<TWait> : IThroughputRun
    where TWait : struct, IWaitStrategy
{
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(10);

    private readonly RingBuffer<RingEvent> _ring;
    private readonly MultiProducerSequencer<TWait> _sequencer;
    private readonly BatchEventProcessor<RingEvent, ChecksumHandler, TWait> _processor;
    private readonly RunState _state = new();
    private readonly ProducerGroup? _producers;
    private readonly int _producerCount;

    /// <summary>Builds the ring and starts the consumer (and the producer threads when there are several).</summary>
    /// <param name="bufferSize">Ring slots, a power of two.</param>
    /// <param name="waitStrategy">The consumer's wait strategy.</param>
    /// <param name="producers">1 (the benchmark's own thread publishes) or more (dedicated threads).</param>
    public RingRun(int bufferSize, TWait waitStrategy, int producers)
    {
        _ring = new RingBuffer<RingEvent>(bufferSize);
        _sequencer = new MultiProducerSequencer<TWait>(bufferSize, waitStrategy);
        _processor = new BatchEventProcessor<RingEvent, ChecksumHandler, TWait>(
            _ring, _sequencer, new ChecksumHandler(_state), Timeout.InfiniteTimeSpan, (error, _) => _state.Error = error);
        _processor.Start("bench-ring-consumer");
        _producerCount = producers;
        _producers = producers == 1 ? null : new ProducerGroup(producers, Produce);
    }

    /// <inheritdoc />
    public long Run(long eventsPerProducer)
    {
        long before = _state.Sum;
        _state.Arm(_sequencer.Cursor.Value + (eventsPerProducer * _producerCount));
        if (_producers is null)
        {
            Produce(eventsPerProducer);
        }
        else
        {
            _producers.Release(eventsPerProducer);
        }

        _state.Done.Wait();
        if (_state.Error is { } error)
        {
            throw new InvalidOperationException("The consumer failed.", error);
        }

        return _state.Sum - before;
    }

    /// <summary>Stops the consumer and the producers, each within a bounded time.</summary>
    public void Dispose()
    {
        _processor.Stop(s_stopTimeout);
        _producers?.Dispose();
        _state.Done.Dispose();
    }

    private void Produce(long count)
    {
        for (long value = 1; value <= count; value++)
        {
            // The fast claim first; when the ring is full the producer waits, as the engine's strategies do.
            if (!_sequencer.TryNext(out long sequence))
            {
                _sequencer.TryNext(Timeout.InfiniteTimeSpan, out sequence);
            }

            _ring[sequence].Value = value;
            _sequencer.Publish(sequence);
        }
    }

    /// <summary>What the consumer accumulates and the benchmark thread reads after <see cref="Done"/>.</summary>
    private sealed class RunState
    {
        private long _target = long.MaxValue;

        public ManualResetEventSlim Done { get; } = new(false);

        public long Sum { get; set; }

        public Exception? Error { get; set; }

        public long Target => Volatile.Read(ref _target);

        public void Arm(long lastSequence)
        {
            Done.Reset();
            Volatile.Write(ref _target, lastSequence);
        }
    }

    /// <summary>Sums the values; at the end of a batch that reaches the round's last sequence, signals the benchmark.</summary>
    private struct ChecksumHandler(RunState state) : IRingEventHandler<RingEvent>
    {
        public readonly void OnBatchStart(long batchSize)
        {
        }

        public readonly void OnEvent(ref RingEvent data, long sequence, bool endOfBatch)
        {
            state.Sum += data.Value;
            if (endOfBatch && sequence >= state.Target)
            {
                state.Done.Set();
            }
        }

        public readonly void OnIdle()
        {
        }
    }
}
