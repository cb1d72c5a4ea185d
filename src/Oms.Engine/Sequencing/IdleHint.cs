namespace Oms.Engine.Sequencing;

/// <summary>
/// Lets a handler say, after each batch and each idle callback, whether it needs its next idle callback soon (work
/// waits on a clock: a rate limiter, a back-off, a deadline) or may sleep for <see cref="Relaxed"/> instead.
/// </summary>
/// <remarks>
/// An idle consumer that wakes every millisecond to find nothing due costs a wake-up a millisecond for nothing: a
/// thousand system calls a second and a percent or more of a core. With a hint, it wakes that often only while
/// something is due soon. Consumer thread only: the handler writes <see cref="NeedsPrompt"/> and the processor reads
/// it on the same thread.
/// </remarks>
internal sealed class IdleHint
{
    /// <summary>Creates a hint whose relaxed idle timeout is <paramref name="relaxed"/>; prompt until told otherwise.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="relaxed"/> is not positive.</exception>
    public IdleHint(TimeSpan relaxed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(relaxed, TimeSpan.Zero);
        Relaxed = relaxed;
    }

    /// <summary>The idle timeout while nothing is due soon.</summary>
    public TimeSpan Relaxed { get; }

    /// <summary>Whether the handler needs the processor's own (short) idle timeout for its next idle callback.</summary>
    public bool NeedsPrompt { get; set; } = true;
}
