namespace Oms.Engine.Sequencing;

/// <summary>The wait strategies a setting can name; <see cref="WaitStrategyFactory"/> parses and dispatches them.</summary>
public enum WaitStrategyKind
{
    /// <summary><c>busy-spin</c>: <see cref="BusySpinWaitStrategy"/>, lowest latency, needs a dedicated core.</summary>
    BusySpin,

    /// <summary><c>yielding</c>: <see cref="YieldingWaitStrategy"/>, low latency, steps aside on shared cores.</summary>
    Yielding,

    /// <summary><c>sleeping</c>: <see cref="SleepingWaitStrategy"/>, little CPU when idle, about 1 ms to wake.</summary>
    Sleeping,

    /// <summary><c>blocking</c>: <see cref="BlockingWaitStrategy"/>, no CPU when idle, an OS wake-up per quiet spell.</summary>
    Blocking,

    /// <summary>
    /// <c>spin-then-park</c>: <see cref="SpinThenParkWaitStrategy"/>, the default: spins for
    /// <see cref="CancelEngineSettings.WaitSpin"/>, then parks as <see cref="Blocking"/> does; no CPU when idle.
    /// </summary>
    SpinThenPark,
}
