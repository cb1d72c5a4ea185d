namespace Oms.Cli.Commands;

/// <summary>What the <c>oms</c> process exit code means.</summary>
internal enum ExitCode
{
    /// <summary>The run completed and every intent has an outcome (rejections included).</summary>
    Success = 0,

    /// <summary>
    /// The run ended with intents that have no outcome (refused by the engine at <c>TryCancel</c>, or never decided),
    /// or failed on an unexpected error (a bug); one line on stderr says which.
    /// </summary>
    Incomplete = 1,

    /// <summary>A usage or configuration error; one line on stderr says what.</summary>
    Usage = 2,

    /// <summary>The venue refused the credentials (200001): the run stopped early.</summary>
    CredentialsRefused = 3,

    /// <summary>The venue could not be reached at all.</summary>
    Unreachable = 4,
}
