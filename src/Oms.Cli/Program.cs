using System.Runtime.InteropServices;
using Oms.Cli.Commands;

namespace Oms.Cli;

/// <summary>The <c>oms</c> command's entry point.</summary>
public static class Program
{
    /// <summary>Runs the command named by the first argument and returns its exit code.</summary>
    public static int Main(string[] args)
    {
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
}
