using Oms.Engine;
using Oms.Engine.Signing;
using Oms.Transport.Client;

namespace Oms.Cli.Commands;

/// <summary>Starts the engine for a command, telling an unreachable venue apart from a Ctrl+C while connecting.</summary>
internal static class EngineLauncher
{
    /// <summary>The running engine, or null after one line on stderr saying the venue could not be reached (exit 4).</summary>
    /// <exception cref="OperationCanceledException">The command was stopped while connecting.</exception>
    public static async Task<CancelEngine?> StartAsync(CancelEngineSettings settings, ApiCredentials credentials, ICancelListener listener, CommandContext context)
    {
        try
        {
            return await CancelEngine.StartAsync(settings, credentials, listener, context.Stop).ConfigureAwait(false);
        }
        catch (Http2ConnectException) when (context.Stop.IsCancellationRequested)
        {
            // The transport reports a connect cut short by the caller as a failed connect; here it was the user's stop.
            throw new OperationCanceledException(context.Stop);
        }
        catch (Http2ConnectException e)
        {
            context.Error.WriteLine($"oms: cannot reach the venue at {settings.BaseUrl}: {e.Message.ReplaceLineEndings(" ")}");
            return null;
        }
    }

    /// <summary>
    /// One line naming this process and the command that watches its counters: <c>-n oms</c> is ambiguous when an
    /// <c>oms venue</c> runs beside it, a process id never is (and after a runtime-knob relaunch it is the child's).
    /// </summary>
    public static string WatchLine() =>
        $"oms: process {Environment.ProcessId}; watch it with: dotnet tool run dotnet-counters monitor -p {Environment.ProcessId} --counters Oms.Engine,Oms.Transport";
}
