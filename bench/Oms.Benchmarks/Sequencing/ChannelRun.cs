using System.Threading.Channels;

namespace Oms.Benchmarks.Sequencing;

/// <summary>
/// The yardstick: a bounded <see cref="Channel{T}"/> of the ring's size, read by the usual async loop
/// (<c>WaitToReadAsync</c> then <c>TryRead</c> until empty), written with <c>TryWrite</c> and, when full, a
/// blocking <c>WriteAsync</c>.
/// </summary>
public sealed class ChannelRun : IThroughputRun
{
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(10);

    private readonly Channel<long> _channel;
    private readonly Task _consumer;
    private readonly ManualResetEventSlim _done = new(false);
    private readonly ProducerGroup? _producers;
    private readonly int _producerCount;
    private long _sum;
    private long _consumed;
    private long _target = long.MaxValue;

    /// <summary>Creates the channel and starts the consumer loop (and the producer threads when there are several).</summary>
    /// <param name="capacity">The channel's bound.</param>
    /// <param name="producers">1 (the benchmark's own thread writes) or more (dedicated threads).</param>
    public ChannelRun(int capacity, int producers)
    {
        _channel = Channel.CreateBounded<long>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = producers == 1,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _consumer = Task.Run(ConsumeAsync);
        _producerCount = producers;
        _producers = producers == 1 ? null : new ProducerGroup(producers, Produce);
    }

    /// <inheritdoc />
    public long Run(long eventsPerProducer)
    {
        long before = _sum;
        _done.Reset();
        Volatile.Write(ref _target, _consumed + (eventsPerProducer * _producerCount));
        if (_producers is null)
        {
            Produce(eventsPerProducer);
        }
        else
        {
            _producers.Release(eventsPerProducer);
        }

        _done.Wait();
        return _sum - before;
    }

    /// <summary>Completes the channel and waits a bounded time for the consumer and producers.</summary>
    public void Dispose()
    {
        _channel.Writer.TryComplete();
        _consumer.Wait(s_stopTimeout);
        _producers?.Dispose();
        _done.Dispose();
    }

    private void Produce(long count)
    {
        ChannelWriter<long> writer = _channel.Writer;
        for (long value = 1; value <= count; value++)
        {
            if (!writer.TryWrite(value))
            {
                writer.WriteAsync(value).AsTask().GetAwaiter().GetResult();
            }
        }
    }

    private async Task ConsumeAsync()
    {
        ChannelReader<long> reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out long value))
            {
                _sum += value;
                _consumed++;
            }

            // Checked once per drained batch, as the ring's consumer checks at the end of a batch.
            if (_consumed >= Volatile.Read(ref _target))
            {
                _done.Set();
            }
        }
    }
}
