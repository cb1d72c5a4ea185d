namespace Oms.Engine.Sequencing;

/// <summary>
/// Spins, then yields, then sleeps a millisecond at a time: almost no CPU when idle, at the price of up to
/// about a millisecond (the OS timer's resolution) before the first event after a quiet spell is seen.
/// </summary>
/// <remarks>
/// For engines that are mostly idle and can afford that wake-up delay, for example a back-up connection's
/// consumer. Producers never signal it, so publishing stays as cheap as with spinning.
/// </remarks>
internal readonly struct SleepingWaitStrategy : IWaitStrategy
{
    // Spin through a burst's gaps, then yield for a while, and only sleep once the ring has really gone quiet.
    private const int YieldTries = 100;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long WaitFor(long sequence, SequenceBarrier barrier, TimeSpan timeout) =>
        PollingWait.WaitFor(sequence, barrier, timeout, YieldTries);

    /// <inheritdoc/>
    /// <remarks>Nothing to do: a sleeping consumer polls at its next wake-up.</remarks>
    public void SignalAllWhenBlocking()
    {
    }
}
