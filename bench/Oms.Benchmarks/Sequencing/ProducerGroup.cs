namespace Oms.Benchmarks.Sequencing;

/// <summary>
/// Producer threads that live for a whole benchmark and run one round of publishing each time they are released,
/// so thread start-up is never timed.
/// </summary>
public sealed class ProducerGroup : IDisposable
{
    private static readonly TimeSpan s_joinTimeout = TimeSpan.FromSeconds(10);

    private readonly Thread[] _threads;
    private readonly SemaphoreSlim[] _starts;
    private readonly Action<long> _produce;
    private long _count;
    private volatile bool _stopping;

    /// <summary>Starts <paramref name="producers"/> background threads, parked until <see cref="Release"/>.</summary>
    /// <param name="producers">How many producer threads.</param>
    /// <param name="produce">One producer's round: publish 1..n.</param>
    public ProducerGroup(int producers, Action<long> produce)
    {
        _produce = produce;
        _starts = new SemaphoreSlim[producers];
        _threads = new Thread[producers];
        for (int i = 0; i < producers; i++)
        {
            _starts[i] = new SemaphoreSlim(0);
            int index = i;
            _threads[i] = new Thread(() => Loop(index)) { IsBackground = true, Name = "bench-producer-" + i };
            _threads[i].Start();
        }
    }

    /// <summary>Lets every producer publish <paramref name="eventsPerProducer"/> events; returns at once.</summary>
    /// <param name="eventsPerProducer">The round's size per producer.</param>
    public void Release(long eventsPerProducer)
    {
        Volatile.Write(ref _count, eventsPerProducer);
        foreach (SemaphoreSlim start in _starts)
        {
            start.Release();
        }
    }

    /// <summary>Stops the threads (after their current round) and waits a bounded time for them.</summary>
    public void Dispose()
    {
        _stopping = true;
        foreach (SemaphoreSlim start in _starts)
        {
            start.Release();
        }

        foreach (Thread thread in _threads)
        {
            thread.Join(s_joinTimeout);
        }

        foreach (SemaphoreSlim start in _starts)
        {
            start.Dispose();
        }
    }

    private void Loop(int index)
    {
        while (true)
        {
            _starts[index].Wait();
            if (_stopping)
            {
                return;
            }

            _produce(Volatile.Read(ref _count));
        }
    }
}
