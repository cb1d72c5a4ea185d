namespace Oms.Cli.Commands;

/// <summary>What the <c>oms</c> process exit code means: 0 only when the venue decided every intent.</summary>
internal enum ExitCode
{
    /// <summary>Every intent was decided by the venue: acknowledged, or rejected with the venue's reason.</summary>
    Success = 0,

    /// <summary>
    /// Some intent was not decided by the venue: it failed (no answer after the retries, stopped), expired unsent,
    /// was refused by the engine at <c>TryCancel</c>, or has no outcome; one line on stderr says how many and why.
    /// </summary>
    Undecided = 1,

    /// <summary>A usage or configuration error; one line on stderr says what.</summary>
    Usage = 2,

    /// <summary>The venue refused the credentials (200001): the run stopped early.</summary>
    CredentialsRefused = 3,

    /// <summary>The venue could not be reached at all.</summary>
    Unreachable = 4,

    /// <summary>An unexpected error: a bug, reported in one line on stderr.</summary>
    Bug = 5,

    /// <summary>
    /// Some order's fate was not confirmed by the deadline (<see cref="Oms.Engine.OrderFate.Unconfirmed"/>), though the
    /// venue decided every intent; only when the run would otherwise exit 0.
    /// </summary>
    Unconfirmed = 6,

    /// <summary>Stopped by SIGINT (Ctrl+C), after printing what the run had: 128 + 2, the shell's convention.</summary>
    Interrupted = 130,

    /// <summary>Stopped by SIGTERM, after printing what the run had: 128 + 15.</summary>
    Terminated = 143,
}
