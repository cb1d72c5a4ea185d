namespace Oms.Engine.Sequencing;

/// <summary>
/// The single consumer: waits for published events, hands each batch to the handler in sequence order, and
/// releases each slot to the producers by advancing its sequence once the slot's event is handled.
/// </summary>
/// <typeparam name="T">The ring's event type.</typeparam>
/// <typeparam name="THandler">The consumer logic; a struct so its calls are direct and inlinable.</typeparam>
/// <typeparam name="TWait">The wait strategy; a struct so the wait loop is specialised per strategy.</typeparam>
/// <remarks>
/// <para>
/// A batch is everything published contiguously from the next sequence when the processor looks: the handler
/// sees <c>endOfBatch</c> on its last event. Under load batches grow by themselves, which is what lets the
/// consumer flush once per batch. The processor's sequence (<see cref="Sequence"/>, the sequencer's
/// <see cref="MultiProducerSequencer{TWait}.GatingSequence"/>) moves after each event, with a release write, so
/// producers reuse a slot only once the handler is done with it, and never wait for the rest of a batch.
/// </para>
/// <para>
/// Errors: an exception from the handler goes to the <c>onError</c> callback with the sequence it concerns
/// (the event's for <see cref="IRingEventHandler{T}.OnEvent"/>, the batch's first for
/// <see cref="IRingEventHandler{T}.OnBatchStart"/>, -1 for <see cref="IRingEventHandler{T}.OnIdle"/>), and
/// processing continues with the next event: the failed event counts as consumed. The callback runs on the
/// consumer thread and must not throw; if it does, the exception ends <see cref="Run"/> (and, on a thread from
/// <see cref="Start"/>, the process, as any unhandled exception does).
/// </para>
/// <para>
/// Threading: <see cref="Run"/> runs on the consumer's thread, once per processor. <see cref="Halt"/> and
/// <see cref="Stop"/> may be called from any thread; the processor stops after the batch in hand, within one
/// wait strategy step when idle. Events published but not yet consumed when it stops stay in the ring: a new
/// processor over the same sequencer starts from this one's sequence.
/// </para>
/// </remarks>
internal sealed class BatchEventProcessor<T, THandler, TWait>
    where T : struct
    where THandler : struct, IRingEventHandler<T>
    where TWait : struct, IWaitStrategy
{
    private const int NotStarted = 0;
    private const int Running = 1;
    private const int Stopped = 2;

    private readonly RingBuffer<T> _ring;
    private readonly SequenceBarrier _barrier;
    private readonly Sequence _sequence;
    private readonly TimeSpan _idleTimeout;
    private readonly Action<Exception, long> _onError;
    private readonly IdleHint? _idleHint;

    // Not readonly: the handler may be a mutable struct, and a readonly field would be called through copies.
    private THandler _handler;
    private TWait _waitStrategy;

    private int _state;
    private Thread? _thread;

    /// <summary>Creates a processor for the ring and sequencer; it does nothing until run.</summary>
    /// <param name="ring">The ring the producers fill; its capacity must equal the sequencer's buffer size.</param>
    /// <param name="sequencer">
    /// The ring's sequencer; the processor advances its <see cref="MultiProducerSequencer{TWait}.GatingSequence"/>
    /// and waits with its <see cref="MultiProducerSequencer{TWait}.WaitStrategy"/>. One processor at a time per sequencer.
    /// </param>
    /// <param name="handler">The consumer logic.</param>
    /// <param name="idleTimeout">
    /// How long without events before <see cref="IRingEventHandler{T}.OnIdle"/> is called:
    /// positive, or <see cref="Timeout.InfiniteTimeSpan"/> for never.
    /// </param>
    /// <param name="onError">Receives the handler's exceptions and the sequence concerned; must not throw.</param>
    /// <param name="idleHint">
    /// Where the handler says whether it needs <paramref name="idleTimeout"/> or may wait the hint's longer relaxed
    /// timeout before its next idle callback; null for always <paramref name="idleTimeout"/>.
    /// </param>
    /// <exception cref="ArgumentException">The ring and the sequencer differ in size.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="idleTimeout"/> is negative or zero.</exception>
    public BatchEventProcessor(
        RingBuffer<T> ring,
        MultiProducerSequencer<TWait> sequencer,
        THandler handler,
        TimeSpan idleTimeout,
        Action<Exception, long> onError,
        IdleHint? idleHint = null)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(sequencer);
        ArgumentNullException.ThrowIfNull(onError);
        if (ring.Capacity != sequencer.BufferSize)
        {
            throw new ArgumentException(
                $"The ring has {ring.Capacity} slots but the sequencer counts {sequencer.BufferSize}.", nameof(sequencer));
        }

        // Zero would make every empty wait an idle callback: a busy loop through the handler.
        if (idleTimeout <= TimeSpan.Zero && idleTimeout != Timeout.InfiniteTimeSpan)
        {
            ThrowHelper.ThrowTimeoutOutOfRange(idleTimeout, nameof(idleTimeout));
        }

        _ring = ring;
        _barrier = sequencer.NewBarrier();
        _sequence = sequencer.GatingSequence;
        _waitStrategy = sequencer.WaitStrategy;
        _handler = handler;
        _idleTimeout = idleTimeout;
        _onError = onError;
        _idleHint = idleHint;
    }

    /// <summary>The highest sequence the handler has finished with; the producers' gating sequence.</summary>
    public Sequence Sequence => _sequence;

    /// <summary>Whether <see cref="Run"/> is executing.</summary>
    public bool IsRunning => Volatile.Read(ref _state) == Running;

    /// <summary>Processes events on the calling thread until <see cref="Halt"/>.</summary>
    /// <exception cref="InvalidOperationException">The processor has already run or is running.</exception>
    /// <remarks>Returns at once if <see cref="Halt"/> was called before it.</remarks>
    public void Run()
    {
        if (Interlocked.CompareExchange(ref _state, Running, NotStarted) != NotStarted)
        {
            ThrowHelper.ThrowProcessorAlreadyStarted();
        }

        try
        {
            ProcessUntilHalted();
        }
        finally
        {
            Volatile.Write(ref _state, Stopped);
        }
    }

    /// <summary>Asks <see cref="Run"/> to return; wakes the consumer if it is parked.</summary>
    /// <remarks>Any thread; does not wait for the consumer to stop (see <see cref="Stop"/>).</remarks>
    public void Halt()
    {
        _barrier.Halt();
        _waitStrategy.SignalAllWhenBlocking();
    }

    /// <summary>Runs the processor on a new dedicated background thread.</summary>
    /// <param name="threadName">The thread's name, as shown by debuggers and profilers.</param>
    /// <param name="onHalted">
    /// Runs on that same thread once <see cref="Run"/> has returned, before the thread ends: work that must stay with
    /// the consumer's owner (a final drain) however long the handler took to notice the halt.
    /// </param>
    /// <param name="onStarted">
    /// Runs on that thread first, before any event is handled: thread set-up such as pinning it to a CPU. It must not
    /// throw; report a failure through a captured variable instead.
    /// </param>
    /// <exception cref="InvalidOperationException">The processor was already started.</exception>
    public void Start(string threadName, Action? onHalted = null, Action? onStarted = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadName);
        var thread = onHalted is null && onStarted is null
            ? new Thread(Run) { Name = threadName, IsBackground = true }
            : new Thread(() =>
            {
                try
                {
                    onStarted?.Invoke();
                    Run();
                }
                finally
                {
                    onHalted?.Invoke();
                }
            })
            { Name = threadName, IsBackground = true };
        if (Interlocked.CompareExchange(ref _thread, thread, null) is not null || Volatile.Read(ref _state) != NotStarted)
        {
            ThrowHelper.ThrowProcessorAlreadyStarted();
        }

        thread.Start();
    }

    /// <summary>The thread <see cref="Start"/> created; null before.</summary>
    internal Thread? StartedThread => Volatile.Read(ref _thread);

    /// <summary>Halts the processor and waits for the thread from <see cref="Start"/> to end.</summary>
    /// <param name="timeout">How long to wait for the thread.</param>
    /// <returns>
    /// <see langword="true"/> when the thread ended (or was never started) within <paramref name="timeout"/>.
    /// </returns>
    public bool Stop(TimeSpan timeout)
    {
        Halt();
        Thread? thread = Volatile.Read(ref _thread);
        return thread is null || thread.ThreadState == System.Threading.ThreadState.Unstarted || thread.Join(timeout);
    }

    private void ProcessUntilHalted()
    {
        long next = _sequence.Value + 1;

        // The halt flag is read once per batch, so a steady stream of events cannot keep the consumer running.
        while (!_barrier.IsHalted)
        {
            long available = _waitStrategy.WaitFor(next, _barrier, _idleHint is { NeedsPrompt: false } hint ? hint.Relaxed : _idleTimeout);
            if (available >= next)
            {
                HandleBatch(next, available);
                next = available + 1;
            }
            else if (available == WaitResult.TimedOut)
            {
                NotifyIdle();
            }
        }
    }

    private void HandleBatch(long first, long last)
    {
        try
        {
            _handler.OnBatchStart(last - first + 1);
        }
#pragma warning disable CA1031 // The handler's exceptions are routed to onError by design (see remarks).
        catch (Exception exception)
        {
            _onError(exception, first);
        }

        // Each slot is released as soon as its event has been handled, not at the batch's end: whatever the handler
        // frees while handling it (an admission place, an in-flight entry) may be refilled at once, and the ring's
        // sizing counts on a refill finding room (release write: the handler's reads happen before a reuse).
        long sequence = first;
        while (true)
        {
            try
            {
                for (; sequence <= last; sequence++)
                {
                    _handler.OnEvent(ref _ring[sequence], sequence, sequence == last);
                    _sequence.SetValue(sequence);
                }

                return;
            }
            catch (Exception exception)
            {
                _onError(exception, sequence);
                _sequence.SetValue(sequence);
                sequence++;
            }
        }
    }

    private void NotifyIdle()
    {
        try
        {
            _handler.OnIdle();
        }
        catch (Exception exception)
        {
            _onError(exception, -1);
        }
#pragma warning restore CA1031
    }
}
