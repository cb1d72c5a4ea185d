using System.Runtime.InteropServices;
using Oms.Cli.Arguments;
using Oms.Cli.Commands;
using Oms.Cli.Settings;

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

        // Ctrl+C and SIGTERM stop the command gracefully: it prints what it has and exits on its own.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        return CommandRunner.RunAsync(args, Console.Out, Console.Error, stop.Token).GetAwaiter().GetResult();

        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    private static bool TryRelaunchWithRuntimeKnobs(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (Environment.GetEnvironmentVariable(RuntimeKnobs.AppliedMarker) == "1" || args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            return false;
        }

        try
        {
            var settingsIndex = Array.IndexOf(args, "--settings");
            var file = RuntimeSettingsFile.Load(settingsIndex >= 0 && settingsIndex + 1 < args.Length ? args[settingsIndex + 1] : null);
            var missing = RuntimeKnobs.Missing(RuntimeKnobs.Desired(file), RuntimeKnobs.Current(Environment.GetEnvironmentVariable));
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
            Console.Error.WriteLine($"oms: {e.Message}");
            exitCode = ExitCodes.Usage;
            return true;
        }
    }
}
