using Oms.Cli.Syntax;

namespace Oms.Cli.Commands;

/// <summary>
/// One command of <c>oms</c>: the parser's definition (name, description, options) and the code that runs it on the
/// options it was given. The runner attaches the code as the command's action, with the context of that one run.
/// </summary>
internal sealed class OmsCommand(string name, string description, bool readsCredentials, Func<OptionValues, CommandContext, Task<ExitCode>> runAsync)
    : System.CommandLine.Command(name, description)
{
    /// <summary>Whether it reads the API credentials from the environment, which its help then names.</summary>
    public bool ReadsCredentials { get; } = readsCredentials;

    /// <summary>Runs it on the parsed options and returns the exit code.</summary>
    public Func<OptionValues, CommandContext, Task<ExitCode>> RunAsync { get; } = runAsync;
}
