using System.Runtime.InteropServices;
using Oms.Cli.Arguments;

namespace Oms.Cli.Commands;

/// <summary>Finds the command named by the first argument, runs it, and turns failures into exit codes.</summary>
internal static class CommandRunner
{
    private const int MinRedactedSecretLength = 4;

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken stop) =>
        RunAsync(args, new CommandContext(output, error, Environment.GetEnvironmentVariable, stop));

    public static async Task<int> RunAsync(string[] args, CommandContext context)
    {
        var (output, error, stop) = (context.Output, context.Error, context.Stop);
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            (args.Length == 0 ? error : output).Write(CommandCatalog.Overview());
            return (int)(args.Length == 0 ? ExitCode.Usage : ExitCode.Success);
        }

        try
        {
            var command = CommandCatalog.All.FirstOrDefault(c => c.Name == args[0])
                ?? throw new UsageException($"unknown command '{args[0]}' (try 'oms --help')");
            var parsed = ParsedArguments.Parse(args[1..], command.Options);
            if (parsed.HelpRequested)
            {
                output.Write(ParsedArguments.Help(command.Usage, command.Options));
                return (int)ExitCode.Success;
            }

            return (int)await command.RunAsync(parsed, context).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            error.WriteLine($"oms: {OneLine(e.Message, args, context)}");
            return (int)ExitCode.Usage;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C before the run got going (while connecting, say): nothing was sent, so nothing has an outcome.
            error.WriteLine("oms: interrupted before the run started; nothing was sent");
            return (int)ExitCode.Undecided;
        }
        catch (Exception e)
        {
            // Anything else is a bug in oms or below it: say what it was on one line, never a stack trace, and never
            // let a secret through should a message carry one.
            error.WriteLine($"oms: unexpected error (a bug, please report it): {e.GetType().FullName}: {OneLine(e.Message, args, context)}");
            return (int)ExitCode.Bug;
        }
    }

    /// <summary><paramref name="message"/> on one line, with every secret this run knows of replaced.</summary>
    internal static string OneLine(string message, string[] args, CommandContext context)
    {
        var text = message.ReplaceLineEndings(" ");
        foreach (var secret in Secrets(args, context))
        {
            // A secret too short to tell from ordinary text (a test's "s") would mask that letter everywhere and hide
            // the message; real API secrets are tens of characters.
            if (secret.Length >= MinRedactedSecretLength)
            {
                text = text.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }

    // The API secret from the environment, and any given to 'oms venue' on its command line.
    private static IEnumerable<string> Secrets(string[] args, CommandContext context)
    {
        if (context.Environment(CommandContext.ApiSecretVariable) is { Length: > 0 } fromEnvironment)
        {
            yield return fromEnvironment;
        }

        if (ParsedArguments.FindValue(args, "--api-secret") is { Length: > 0 } fromArguments)
        {
            yield return fromArguments;
        }
    }

    /// <summary>
    /// The process's exit code once the command has returned <paramref name="code"/>: a run stopped by SIGINT or SIGTERM
    /// exits 130 or 143, the shell's convention, whatever it printed; otherwise the command's own code.
    /// </summary>
    public static int AfterSignal(int code, PosixSignal? signal) => signal switch
    {
        PosixSignal.SIGINT => (int)ExitCode.Interrupted,
        PosixSignal.SIGTERM => (int)ExitCode.Terminated,
        _ => code,
    };
}
