namespace Oms.Engine.Sequencing;

/// <summary>
/// Spins for a short, configured time and then parks like <see cref="BlockingWaitStrategy"/>: an event that comes
/// within the spin is taken without a wake-up, and a quiet consumer costs no CPU. The default.
/// </summary>
/// <remarks>
/// <para>
/// The spin is worth its cost only while an event is likely to come within it: inside a burst (a strategy publishing
/// intent after intent, answers arriving back to back). Spinning longer than a park and wake-up cost would at most
/// double the CPU of a wait the spin does not catch, which is why the spin is short, a setting
/// (<see cref="CancelEngineSettings.WaitSpin"/>), and skipped while the consumer waits again for the sequence a wait already idled on: a consumer
/// woken only by its own idle tick has no burst to catch, and spinning on every tick would turn an idle engine back into a busy one.
/// </para>
/// <para>
/// Copies behave as one: the parking place and the idle flag are shared objects, as for
/// <see cref="BlockingWaitStrategy"/>; <c>default(SpinThenParkWaitStrategy)</c> is not usable. The idle flag is the
/// consumer thread's own.
/// </para>
/// </remarks>
internal readonly struct SpinThenParkWaitStrategy : IWaitStrategy
{
    // The clock is read once per this many spins: a spin step is tens of nanoseconds, a clock read about as much.
    private const int SpinsPerClockRead = 8;

    private readonly BlockingWaitStrategy _park;
    private readonly IdleFlag _idle;
    private readonly long _spinTicks;

    /// <summary>Creates the strategy with its shared parking place.</summary>
    /// <param name="spin">How long to spin before parking: zero parks at once.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="spin"/> is negative or longer than a second.</exception>
    public SpinThenParkWaitStrategy(TimeSpan spin)
        : this(spin, new BlockingWaitStrategy())
    {
    }

    /// <summary>Creates the strategy over a given parking place (tests cover the monitor with it).</summary>
    internal SpinThenParkWaitStrategy(TimeSpan spin, BlockingWaitStrategy park)
    {
        if (spin < TimeSpan.Zero || spin > MaxSpin)
        {
            throw new ArgumentOutOfRangeException(nameof(spin), spin, "The spin must be between zero and one second.");
        }

        _park = park;
        _idle = new IdleFlag();
        _spinTicks = (long)(spin.Ticks * ((double)Stopwatch.Frequency / TimeSpan.TicksPerSecond));
    }

    /// <summary>The longest spin a setting may ask for: beyond it the consumer is a busy-spin one in all but name.</summary>
    public static TimeSpan MaxSpin { get; } = TimeSpan.FromSeconds(1);

    /// <summary>The spin, in <see cref="Stopwatch"/> ticks.</summary>
    internal long SpinTicks => _spinTicks;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long WaitFor(long sequence, SequenceBarrier barrier, TimeSpan timeout)
    {
        long available = barrier.GetHighestPublished(sequence);
        if (available >= sequence)
        {
            _park.PollSocketsIfDue();
            return available;
        }

        return SpinThenPark(sequence, barrier, timeout);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SignalAllWhenBlocking() => _park.SignalAllWhenBlocking();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private long SpinThenPark(long sequence, SequenceBarrier barrier, TimeSpan timeout)
    {
        // Waiting again for the sequence a wait already idled on: nothing happened since, no burst to catch.
        if (_spinTicks > 0 && sequence != _idle.IdleSequence && timeout != TimeSpan.Zero)
        {
            _idle.SpinPhases++;
            long start = Stopwatch.GetTimestamp();
            long spinUntil = timeout == Timeout.InfiniteTimeSpan ? start + _spinTicks : Math.Min(start + _spinTicks, Deadline.After(timeout));
            do
            {
                for (int i = 0; i < SpinsPerClockRead; i++)
                {
                    if (PollingWait.IsOver(sequence, barrier, out long result))
                    {
                        return result;
                    }

                    Thread.SpinWait(1);
                }
            }
            while (Stopwatch.GetTimestamp() < spinUntil);

            if (timeout != Timeout.InfiniteTimeSpan)
            {
                timeout -= Stopwatch.GetElapsedTime(start);
                if (timeout <= TimeSpan.Zero)
                {
                    _idle.IdleSequence = sequence;
                    return WaitResult.TimedOut;
                }
            }
        }

        long parked = _park.WaitFor(sequence, barrier, timeout);
        _idle.IdleSequence = parked == WaitResult.TimedOut ? sequence : -1;
        return parked;
    }

    /// <summary>Waits that went on to park.</summary>
    internal int Parks => _park.Parks;

    /// <summary>Spin phases begun so far: tests see from it whether a wait spun.</summary>
    internal int SpinPhases => _idle.SpinPhases;

    /// <summary>What the consumer's last waits did; written and read by the consumer thread only.</summary>
    private sealed class IdleFlag
    {
        /// <summary>The sequence the last wait idled on (timed out waiting for); -1 when it did not idle.</summary>
        public long IdleSequence = -1;

        public int SpinPhases;
    }
}
