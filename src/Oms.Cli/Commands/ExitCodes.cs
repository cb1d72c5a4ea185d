namespace Oms.Cli.Commands;

/// <summary>What the <c>oms</c> process exit code means.</summary>
internal static class ExitCodes
{
    /// <summary>The run completed and every intent has an outcome (rejections included).</summary>
    public const int Success = 0;

    /// <summary>The run ended with intents that have no outcome (should not happen; reported loudly).</summary>
    public const int Incomplete = 1;

    /// <summary>A usage or configuration error; one line on stderr says what.</summary>
    public const int Usage = 2;

    /// <summary>The venue refused the credentials (200001): the run stopped early.</summary>
    public const int CredentialsRefused = 3;

    /// <summary>The venue could not be reached at all.</summary>
    public const int Unreachable = 4;
}
