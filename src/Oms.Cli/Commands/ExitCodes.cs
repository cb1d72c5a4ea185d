namespace Oms.Cli.Commands;

/// <summary>What the <c>oms</c> process exit code means.</summary>
internal static class ExitCodes
{
    /// <summary>The run completed.</summary>
    public const int Success = 0;

    /// <summary>A usage or configuration error; one line on stderr says what.</summary>
    public const int Usage = 2;
}
