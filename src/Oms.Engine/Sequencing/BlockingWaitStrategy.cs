using Oms.Transport.Connections;

namespace Oms.Engine.Sequencing;

/// <summary>
/// Parks the consumer when nothing is published (on a futex on Linux, on a monitor elsewhere); producers wake it
/// after publishing, but make the wake-up call only when the consumer is actually parked. Zero CPU when idle, an OS wake-up (microseconds to
/// tens of microseconds) on the first event after a quiet spell.
/// </summary>
/// <remarks>
/// <para>
/// Create it with <c>new BlockingWaitStrategy()</c>: the parking place is a shared object, so every copy
/// (the sequencer's, the consumer's) parks and signals on the same one. <c>default(BlockingWaitStrategy)</c>
/// has no parking place and is not usable.
/// </para>
/// <para>
/// Lost wake-ups are ruled out by a Dekker-style handshake. The consumer raises the "parked" flag with a full
/// fence and then checks publication and the halt flag before sleeping. A producer writes its publication mark
/// (the halter its halt flag), issues a full fence, and then reads the "parked" flag. With both fences, at least
/// one side sees the other's write: either the consumer sees the data and does not sleep, or the producer sees
/// the flag and wakes it. Without the producer's fence, x86 could let the flag read pass the mark write and both
/// sides would miss each other.
/// </para>
/// <para>
/// On Linux the sleep is a futex on the flag itself (<see cref="Futex"/>): the producer that clears the flag
/// makes the one wake-up system call, and a consumer whose flag was cleared before it slept returns from the
/// futex at once, so a wake-up between its check and its sleep is not lost either. Elsewhere the consumer waits on
/// a monitor, holding its lock while it checks, so a pulse can only come once it is inside
/// <see cref="Monitor.Wait(object, int)"/>.
/// </para>
/// </remarks>
internal readonly struct BlockingWaitStrategy : IWaitStrategy
{
    private readonly ParkingLot _parking;

    /// <summary>Creates the strategy and its shared parking place.</summary>
    public BlockingWaitStrategy()
        : this(Futex.IsSupported)
    {
    }

    /// <summary>Creates the strategy parking on the futex or, with <paramref name="useFutex"/> false, on a monitor.</summary>
    /// <param name="useFutex">True only where <see cref="Futex.IsSupported"/>; tests use false to cover the monitor.</param>
    internal BlockingWaitStrategy(bool useFutex)
    {
        Debug.Assert(!useFutex || Futex.IsSupported, "The futex is used only where it works.");
        _parking = new ParkingLot(useFutex);
    }

    /// <summary>
    /// Creates the strategy parking in <paramref name="poller"/>: the consumer sleeps on the connections' sockets and
    /// the poller's wake-up descriptor at once, and reads the answers that arrive itself.
    /// </summary>
    internal BlockingWaitStrategy(SocketPoller poller)
    {
        _parking = new ParkingLot(poller);
    }

    /// <summary>Whether this strategy parks on the futex (Linux) rather than a monitor.</summary>
    internal bool ParksOnFutex => _parking.UsesFutex;

    /// <summary>Waits that found nothing published and went to park (consumer thread's count; tests read it once it is done).</summary>
    internal int Parks => _parking.Parks;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long WaitFor(long sequence, SequenceBarrier barrier, TimeSpan timeout)
    {
        long available = barrier.GetHighestPublished(sequence);
        if (available >= sequence)
        {
            PollSocketsIfDue();
            return available;
        }

        return _parking.ParkUntilPublished(sequence, barrier, timeout);
    }

    /// <summary>
    /// A consumer that parks in a socket poller and has not parked for a while reads what its connections hold: busy
    /// with intents, it would otherwise leave the answers unread until its next quiet moment.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void PollSocketsIfDue()
    {
        if (_parking.Poller is not null)
        {
            _parking.PollIfDue();
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A full fence and a flag read when the consumer is running; the lock and a pulse only when it is parked.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SignalAllWhenBlocking()
    {
        Interlocked.MemoryBarrier();
        if (_parking.IsConsumerParked)
        {
            _parking.WakeAll();
        }
    }

    /// <summary>The flag, and the futex or monitor, shared by every copy of one strategy.</summary>
    private sealed unsafe class ParkingLot
    {
        // The flag sits in the middle of 128 pinned bytes: the futex needs an address that never moves, and no
        // other data may share its cache line.
        private const int WordCount = 32;
        private const int FlagIndex = WordCount / 2;

        private readonly int[] _words = GC.AllocateArray<int>(WordCount, pinned: true);
        private readonly int* _parked;
        private readonly bool _useFutex;

        // While busy, the consumer looks at its sockets at most this often (Stopwatch ticks): a look is one system call.
        private static readonly long s_busyPollTicks = Stopwatch.Frequency / 50_000;
        private long _lastPollTicks;

        // A plain object, not System.Threading.Lock: Monitor.Wait and PulseAll need a monitor. Used only where
        // the futex is not.
        private readonly object _gate = new();

        public ParkingLot(bool useFutex)
        {
            _parked = (int*)Unsafe.AsPointer(ref _words[FlagIndex]);
            _useFutex = useFutex;
        }

        public ParkingLot(SocketPoller poller)
            : this(useFutex: false)
        {
            Poller = poller;
        }

        /// <summary>Where the consumer sleeps when it reads its connections itself; null when it parks on the futex or monitor.</summary>
        public SocketPoller? Poller { get; }

        public bool UsesFutex => _useFutex;

        public int Parks { get; private set; }

        public bool IsConsumerParked => Volatile.Read(ref *_parked) != 0;

        [MethodImpl(MethodImplOptions.NoInlining)]
        public void WakeAll()
        {
            if (Poller is { } poller)
            {
                if (Interlocked.Exchange(ref *_parked, 0) != 0)
                {
                    poller.Wake();
                }

                return;
            }

            if (_useFutex)
            {
                // Whoever clears the flag makes the one system call; producers that find it clear skip it. The
                // consumer raises the flag again before it looks and sleeps again, so no wake-up is lost.
                if (Interlocked.Exchange(ref *_parked, 0) != 0)
                {
                    Futex.Wake(_parked, int.MaxValue);
                }

                return;
            }

            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public long ParkUntilPublished(long sequence, SequenceBarrier barrier, TimeSpan timeout)
        {
            Parks++;
            return Poller is not null ? ParkInPoller(sequence, barrier, timeout)
                : _useFutex ? ParkOnFutex(sequence, barrier, timeout)
                : ParkOnMonitor(sequence, barrier, timeout);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public void PollIfDue()
        {
            long now = Stopwatch.GetTimestamp();
            if (now - _lastPollTicks >= s_busyPollTicks)
            {
                _lastPollTicks = now;
                Poller!.RunReaders(Poller.WaitForEvents(0));
            }
        }

        private long ParkInPoller(long sequence, SequenceBarrier barrier, TimeSpan timeout)
        {
            var poller = Poller!;
            long deadline = Deadline.After(timeout);
            try
            {
                while (true)
                {
                    // The same handshake as the futex's: the flag first, with a full fence, then the checks.
                    Interlocked.Exchange(ref *_parked, 1);
                    long available = barrier.GetHighestPublished(sequence);
                    if (available >= sequence)
                    {
                        return available;
                    }

                    if (barrier.IsHalted)
                    {
                        return WaitResult.Halted;
                    }

                    long remainingNanoseconds = Deadline.RemainingNanoseconds(deadline);
                    if (remainingNanoseconds == 0)
                    {
                        return WaitResult.TimedOut;
                    }

                    // A producer that clears the flag writes the wake-up descriptor, so a wake-up between the checks
                    // and the sleep makes the sleep return at once. Answers read below publish with the flag down:
                    // the consumer's own completions need no wake-up call.
                    int ready = poller.WaitForEvents(remainingNanoseconds < 0 ? -1 : (int)Math.Min(int.MaxValue, (remainingNanoseconds + 999_999) / 1_000_000));
                    Volatile.Write(ref *_parked, 0);
                    _lastPollTicks = Stopwatch.GetTimestamp();
                    poller.RunReaders(ready);
                }
            }
            finally
            {
                Volatile.Write(ref *_parked, 0);
            }
        }

        private long ParkOnFutex(long sequence, SequenceBarrier barrier, TimeSpan timeout)
        {
            long deadline = Deadline.After(timeout);
            try
            {
                while (true)
                {
                    // Full fence: the checks below must not be satisfied from before the flag was visible.
                    Interlocked.Exchange(ref *_parked, 1);
                    long available = barrier.GetHighestPublished(sequence);
                    if (available >= sequence)
                    {
                        return available;
                    }

                    if (barrier.IsHalted)
                    {
                        return WaitResult.Halted;
                    }

                    long remainingNanoseconds = Deadline.RemainingNanoseconds(deadline);
                    if (remainingNanoseconds == 0)
                    {
                        return WaitResult.TimedOut;
                    }

                    // Sleeps only while the flag is still 1: a producer that cleared it already makes this return at once.
                    Futex.Wait(_parked, 1, remainingNanoseconds);
                }
            }
            finally
            {
                Volatile.Write(ref *_parked, 0);
            }
        }

        private long ParkOnMonitor(long sequence, SequenceBarrier barrier, TimeSpan timeout)
        {
            long deadline = Deadline.After(timeout);
            lock (_gate)
            {
                // Full fence: the checks below must not be satisfied from before the flag was visible.
                Interlocked.Exchange(ref *_parked, 1);
                try
                {
                    while (true)
                    {
                        long available = barrier.GetHighestPublished(sequence);
                        if (available >= sequence)
                        {
                            return available;
                        }

                        if (barrier.IsHalted)
                        {
                            return WaitResult.Halted;
                        }

                        if (Deadline.HasPassed(deadline))
                        {
                            return WaitResult.TimedOut;
                        }

                        Monitor.Wait(_gate, Deadline.RemainingMilliseconds(deadline));
                    }
                }
                finally
                {
                    Volatile.Write(ref *_parked, 0);
                }
            }
        }
    }
}
