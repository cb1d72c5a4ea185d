using System.Net;
using System.Net.Sockets;

namespace Oms.Cli.Tests.Commands;

/// <summary>The engine commands run in-process: their credentials, a venue that knows them, and a run's exit and output.</summary>
internal static class EngineRuns
{
    internal const string Secret = "cli-test-secret-0123456789abcdefghijklmnopqrstuvwxyz";
    internal static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    internal static readonly VenueCredentials Credentials = new("cli-test-key", Secret, "5");

    internal static Func<string, string?> Environment(string secret = Secret) => name => name switch
    {
        CommandContext.ApiKeyVariable => Credentials.ApiKey,
        CommandContext.ApiSecretVariable => secret,
        _ => null,
    };

    internal static Task<VenueServer> StartVenueAsync() => VenueServer.StartAsync(new VenueOptions { Credentials = Credentials });

    internal static async Task<(int Exit, string Output, string Error)> RunAsync(string[] args, Func<string, string?>? environment = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CommandContext(TextWriter.Synchronized(output), TextWriter.Synchronized(error), environment ?? (_ => null), CancellationToken.None);
        var exit = await CommandRunner.RunAsync(args, context).WaitAsync(Bound);
        return (exit, output.ToString(), error.ToString());
    }

    internal static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
