using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Oms.Cli.Commands;

namespace Oms.Cli.Syntax;

/// <summary>
/// The parser's own help, generated from the definitions, followed by what it cannot know: where the credentials come
/// from, the exit codes, and (for <c>oms --help</c>) response files and tab completion.
/// </summary>
internal sealed class HelpWithNotesAction(HelpAction generated) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        var exit = generated.Invoke(parseResult);
        var output = parseResult.InvocationConfiguration.Output;
        var command = parseResult.CommandResult.Command;
        if (command is RootCommand or OmsCommand { ReadsCredentials: true })
        {
            output.WriteLine("Credentials:");
            output.WriteLine($"  {(command is RootCommand ? "load, cancel, cancel-all and status read" : "read from")} the environment: {CommandContext.ApiKeyVariable} and {CommandContext.ApiSecretVariable}");
            output.WriteLine("  (never from the command line, never printed)");
            output.WriteLine();
        }

        output.WriteLine("Exit codes:");
        foreach (var (code, meaning) in CommandCatalog.ExitCodes)
        {
            output.WriteLine($"  {(int)code,3}  {meaning}");
        }

        if (command is RootCommand)
        {
            output.WriteLine();
            output.WriteLine("Arguments can come from a response file: oms load @run.rsp (one or more per line, # comments).");
            output.WriteLine("Tab completion: install dotnet-suggest and its shell shim, then 'dotnet-suggest register --command-path $(which oms)'.");
        }

        return exit;
    }
}
