using System.Runtime.CompilerServices;

namespace Oms.Engine.Sequencing;

/// <summary>
/// Parks the consumer on a monitor when nothing is published; producers wake it after publishing, but only
/// take the lock when the consumer is actually parked. Zero CPU when idle, an OS wake-up (microseconds to
/// tens of microseconds) on the first event after a quiet spell.
/// </summary>
/// <remarks>
/// <para>
/// Create it with <c>new BlockingWaitStrategy()</c>: the parking place is a shared object, so every copy
/// (the sequencer's, the consumer's) parks and signals on the same one. <c>default(BlockingWaitStrategy)</c>
/// has no parking place and is not usable.
/// </para>
/// <para>
/// Lost wake-ups are ruled out by a Dekker-style handshake. The consumer, holding the lock, raises the
/// "parked" flag with a full fence and then checks publication and the halt flag before waiting. A producer
/// writes its publication mark (the halter its halt flag), issues a full fence, and then reads the "parked"
/// flag. With both fences, at least one side sees the other's write: either the consumer sees the data and
/// does not wait, or the producer sees the flag and pulses, which can only happen once the consumer released
/// the lock inside <see cref="Monitor.Wait(object, int)"/>. Without the producer's fence, x86 could let the
/// flag read pass the mark write and both sides would miss each other.
/// </para>
/// </remarks>
public readonly struct BlockingWaitStrategy : IWaitStrategy
{
    private readonly ParkingLot _parking;

    /// <summary>Creates the strategy and its shared parking place.</summary>
    public BlockingWaitStrategy() => _parking = new ParkingLot();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long WaitFor(long sequence, SequenceBarrier barrier, TimeSpan timeout)
    {
        long available = barrier.GetHighestPublished(sequence);
        return available >= sequence ? available : _parking.ParkUntilPublished(sequence, barrier, timeout);
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

    /// <summary>The monitor and flag shared by every copy of one strategy.</summary>
    private sealed class ParkingLot
    {
        // A plain object, not System.Threading.Lock: Monitor.Wait and PulseAll need a monitor.
        private readonly object _gate = new();
        private int _parked;

        public bool IsConsumerParked => Volatile.Read(ref _parked) != 0;

        [MethodImpl(MethodImplOptions.NoInlining)]
        public void WakeAll()
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public long ParkUntilPublished(long sequence, SequenceBarrier barrier, TimeSpan timeout)
        {
            long deadline = Deadline.After(timeout);
            lock (_gate)
            {
                // Full fence: the checks below must not be satisfied from before the flag was visible.
                Interlocked.Exchange(ref _parked, 1);
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
                    Volatile.Write(ref _parked, 0);
                }
            }
        }
    }
}
