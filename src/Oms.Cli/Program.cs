using System.Runtime.InteropServices;
using Oms.Cli.Commands;
using Oms.Cli.Settings;
using Oms.Cli.Syntax;

namespace Oms.Cli;

/// <summary>The <c>oms</c> command's entry point.</summary>
public static class Program
{
    /// <summary>Runs the command named by the first argument and returns its exit code.</summary>
    public static int Main(string[] args)
    {
        if (TryRelaunchWithRuntimeKnobs(args, out var exitCode))
        {
            return exitCode;
        }

        using var stop = new CancellationTokenSource();
        PosixSignal? received = null;

        // Ctrl+C and SIGTERM stop the command gracefully: it prints what it has, and the process exits 130 or 143.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        var code = CommandRunner.RunAsync(args, Console.Out, Console.Error, stop.Token).GetAwaiter().GetResult();
        return CommandRunner.AfterSignal(code, received);

        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            received ??= context.Signal;
            stop.Cancel();
        }
    }

    /// <summary>
    /// The runtime variables the settings file named on the command line (or the default file) asks for and this
    /// process lacks. The file is loaded, and so checked whole, here: a bad key stops every command before it starts.
    /// </summary>
    internal static IReadOnlyDictionary<string, string> MissingRuntimeKnobs(string[] args, Func<string, string?> environment)
    {
        var file = RuntimeSettingsFile.Load(OptionValues.Parse(args).GetString("--settings"));
        return RuntimeKnobs.Missing(RuntimeKnobs.Desired(file), RuntimeKnobs.Current(environment));
    }

    private static bool TryRelaunchWithRuntimeKnobs(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (Environment.GetEnvironmentVariable(RuntimeKnobs.AppliedMarker) == "1" || !RunsACommand(args))
        {
            return false;
        }

        try
        {
            var missing = MissingRuntimeKnobs(args, Environment.GetEnvironmentVariable);
            if (missing.Count == 0)
            {
                return false;
            }

            using var ignoreInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
            exitCode = RuntimeKnobs.Relaunch(missing, args);
            return true;
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"oms: {CommandRunner.OneLine(e.Message, args, Context())}");
            exitCode = (int)ExitCode.Usage;
            return true;
        }
        catch (Exception e)
        {
            // Relaunching failed in a way nobody can fix from the command line: one line, as CommandRunner does.
            Console.Error.WriteLine($"oms: unexpected error (a bug, please report it): {e.GetType().FullName}: {CommandRunner.OneLine(e.Message, args, Context())}");
            exitCode = (int)ExitCode.Bug;
            return true;
        }

        static CommandContext Context() => new(Console.Out, Console.Error, Environment.GetEnvironmentVariable, CancellationToken.None);
    }

    // Help, --version, [suggest] and a command line the parser refuses print and exit at once: no relaunch for them.
    private static bool RunsACommand(string[] args)
    {
        try
        {
            var parsed = CommandCatalog.CreateRoot().Parse(args);
            return parsed.Action is null && parsed.CommandResult.Command is OmsCommand;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
