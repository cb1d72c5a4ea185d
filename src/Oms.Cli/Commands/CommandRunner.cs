using System.CommandLine;
using System.CommandLine.Invocation;
using System.Runtime.InteropServices;
using Oms.Cli.Syntax;

namespace Oms.Cli.Commands;

/// <summary>Parses the command line with the catalog's definitions, runs the command, and turns failures into exit codes.</summary>
internal static class CommandRunner
{
    private const int MinRedactedSecretLength = 4;

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken stop) =>
        RunAsync(args, new CommandContext(output, error, Environment.GetEnvironmentVariable, stop));

    public static async Task<int> RunAsync(string[] args, CommandContext context)
    {
        var (error, stop) = (context.Error, context.Stop);
        if (args.Length == 0)
        {
            // No command at all: the overview, on stderr, as the usage error it is.
            await CommandCatalog.CreateRoot().Parse(["--help"]).InvokeAsync(Invocation(context with { Output = error }), stop).ConfigureAwait(false);
            return (int)ExitCode.Usage;
        }

        try
        {
            var root = CommandCatalog.CreateRoot();
            foreach (var command in root.Subcommands.OfType<OmsCommand>())
            {
                command.SetAction(async (parsed, _) => (int)await command.RunAsync(new OptionValues(parsed), context).ConfigureAwait(false));
            }

            var result = root.Parse(args);
            if (result.Action is ParseErrorAction)
            {
                throw new UsageException(OptionValues.Describe(result));
            }

            // Help, --version and [suggest] run the parser's own actions; a command runs the action set above.
            return await result.InvokeAsync(Invocation(context), stop).ConfigureAwait(false);
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

    private static InvocationConfiguration Invocation(CommandContext context) => new()
    {
        Output = context.Output,
        Error = context.Error,

        // A failure reaches the catch blocks above (one line, never a stack trace), and Program owns the signals.
        EnableDefaultExceptionHandler = false,
        ProcessTerminationTimeout = null,
    };

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

    // The API secret from the environment, and any given to 'oms venue' on its command line or in a response file.
    private static IEnumerable<string> Secrets(string[] args, CommandContext context)
    {
        if (context.Environment(CommandContext.ApiSecretVariable) is { Length: > 0 } fromEnvironment)
        {
            yield return fromEnvironment;
        }

        foreach (var tokens in new[] { args, ExpandedTokens(args) })
        {
            if (ValueAfter(tokens, "--api-secret") is { Length: > 0 } fromArguments)
            {
                yield return fromArguments;
            }
        }
    }

    // The tokens the parser saw, response files read; none when even that fails (the message then came from it).
    private static string[] ExpandedTokens(string[] args)
    {
        try
        {
            return [.. CommandCatalog.CreateRoot().Parse(args).Tokens.Select(token => token.Value)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string? ValueAfter(IReadOnlyList<string> tokens, string name)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] == name)
            {
                return i + 1 < tokens.Count ? tokens[i + 1] : null;
            }

            if (tokens[i].Length > name.Length && tokens[i].StartsWith(name, StringComparison.Ordinal) && tokens[i][name.Length] is '=' or ':')
            {
                return tokens[i][(name.Length + 1)..];
            }
        }

        return null;
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
