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
    /// <c>--reconcile</c>: asks the venue for the account's open orders through the running engine and writes one line,
    /// <c>reconcile: N open orders at the venue</c>, to <paramref name="output"/>. A failed query is one line on stderr
    /// and null: it informs the run, it does not decide it.
    /// </summary>
    public static async Task<int?> ReconcileAsync(CancelEngine engine, TextWriter output, CommandContext context)
    {
        try
        {
            var open = await engine.ReconcileAsync(context.Stop).ConfigureAwait(false);
            output.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"reconcile: {open.Count:N0} open orders at the venue"));
            return open.Count;
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException)
        {
            context.Error.WriteLine($"oms: reconcile failed, the run goes on: {e.Message.ReplaceLineEndings(" ")}");
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
