namespace Oms.Cli.Commands;

/// <summary>What the <c>oms</c> process exit code means.</summary>
internal static class ExitCodes
{
    /// <summary>The run completed and every intent has an outcome (rejections included).</summary>
    public const int Success = 0;

    /// <summary>
    /// The run ended with intents that have no outcome (refused by the engine at <c>TryCancel</c>, or never decided),
    /// or failed on an unexpected error (a bug); one line on stderr says which.
    /// </summary>
    public const int Incomplete = 1;

    /// <summary>A usage or configuration error; one line on stderr says what.</summary>
    public const int Usage = 2;

    /// <summary>The venue refused the credentials (200001): the run stopped early.</summary>
    public const int CredentialsRefused = 3;

    /// <summary>The venue could not be reached at all.</summary>
    public const int Unreachable = 4;

    /// <summary>The exit code of a finished load or demo run: 0 when every intent has an outcome, else 1 with one line saying why.</summary>
    public static int Conclude(Oms.Load.LoadResult result, TextWriter error)
    {
        if (result.Shortfall() is not { } shortfall)
        {
            return Success;
        }

        error.WriteLine("oms: " + shortfall);
        return Incomplete;
    }
}
