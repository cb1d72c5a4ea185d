namespace Oms.Engine.Tests.Sequencing;

/// <summary>
/// What a <see cref="RecordingHandler"/> saw. Written on the consumer thread; the test reads the lists after
/// stopping the processor (the join orders the reads) and the counters while it runs.
/// </summary>
internal sealed class RecordingState
{
    private int _idleCount;
    private long _lastSequence = -1;

    public List<(long Sequence, long Counter, bool EndOfBatch)> Events { get; } = [];

    public List<long> BatchSizes { get; } = [];

    public List<(Exception Exception, long Sequence)> Errors { get; } = [];

    /// <summary>OnEvent throws for the event carrying this counter.</summary>
    public long ThrowOnCounter { get; init; } = -1;

    public bool ThrowOnBatchStart { get; init; }

    public bool ThrowOnIdle { get; init; }

    /// <summary>When set, read at each event: what the processor has released by then (its gating sequence).</summary>
    public Func<long>? ReadReleased { get; set; }

    /// <summary>What <see cref="ReadReleased"/> returned at each event, in order.</summary>
    public List<long> ReleasedAtEvent { get; } = [];

    public int IdleCount => Volatile.Read(ref _idleCount);

    public long LastSequence => Volatile.Read(ref _lastSequence);

    public void RecordError(Exception exception, long sequence) => Errors.Add((exception, sequence));

    public void OnBatchStart(long batchSize)
    {
        BatchSizes.Add(batchSize);
        if (ThrowOnBatchStart)
        {
            throw new InvalidOperationException("batch start failed");
        }
    }

    public void OnEvent(ref TestEvent data, long sequence, bool endOfBatch)
    {
        Events.Add((sequence, data.Counter, endOfBatch));
        if (ReadReleased is not null)
        {
            ReleasedAtEvent.Add(ReadReleased());
        }

        Volatile.Write(ref _lastSequence, sequence);
        if (data.Counter == ThrowOnCounter)
        {
            throw new InvalidOperationException($"event {data.Counter} failed");
        }
    }

    public void OnIdle()
    {
        Interlocked.Increment(ref _idleCount);
        if (ThrowOnIdle)
        {
            throw new InvalidOperationException("idle work failed");
        }
    }
}

/// <summary>A struct handler, as production handlers are, forwarding to shared state.</summary>
internal readonly struct RecordingHandler(RecordingState state) : IRingEventHandler<TestEvent>
{
    public void OnBatchStart(long batchSize) => state.OnBatchStart(batchSize);

    public void OnEvent(ref TestEvent data, long sequence, bool endOfBatch) => state.OnEvent(ref data, sequence, endOfBatch);

    public void OnIdle() => state.OnIdle();
}
