using System.Globalization;
using System.Text;
using Oms.Cli.Arguments;
using Oms.Cli.Settings;
using Oms.Engine;
using Oms.Engine.Metrics;
using Oms.Engine.Protocol;
using Oms.Transport.Client;

namespace Oms.Cli.Commands;

/// <summary><c>oms cancel</c>: one cancel by hand, and the venue's answer.</summary>
internal static class CancelCommand
{
    public const string Usage = "oms cancel --base-url URL --account-group G --order-id ID --symbol S [--profile v1|v2] [--ca-cert FILE]";

    public static readonly IReadOnlyList<OptionSpec> Options =
    [
        new("--base-url", "URL", "the venue (engine.baseUrl)"),
        new("--account-group", "G", "the account group (engine.accountGroup)"),
        new("--order-id", "ID", "the order to cancel"),
        new("--symbol", "S", "its symbol"),
        new("--ca-cert", "FILE", "PEM CA to trust instead of the system store"),
        .. EngineSettingsReader.Options,
    ];

    public static async Task<int> RunAsync(ParsedArguments args, CommandContext context)
    {
        var file = RuntimeSettingsFile.Load(args.GetString("--settings"));
        var credentials = context.ReadCredentials();
        var orderId = args.GetString("--order-id") ?? throw new UsageException("--order-id is required");
        var symbol = args.GetString("--symbol") ?? throw new UsageException("--symbol is required");
        var baseUrl = args.GetString("--base-url") is { } url ? EngineSettingsReader.ParseUrl(url, "--base-url") : null;
        var settings = EngineSettingsReader.Read(file, args, baseUrl, args.GetString("--account-group"), 0, args.GetString("--ca-cert")) with
        {
            Connections = 1,
            RetryAttempts = 0,
        };
        if (!settings.Profile.TryValidate(orderId, symbol, out var refusal))
        {
            throw new UsageException($"the order id or symbol is not valid for profile {settings.Profile.Name}: {refusal}");
        }

        var listener = new SingleOutcome();
        CancelEngine engine;
        try
        {
            engine = await CancelEngine.StartAsync(settings, credentials, listener, context.Stop).ConfigureAwait(false);
        }
        catch (Http2ConnectException e)
        {
            context.Error.WriteLine($"oms: cannot reach the venue at {settings.BaseUrl}: {e.Message}");
            return ExitCodes.Unreachable;
        }

        await using (engine.ConfigureAwait(false))
        {
            if (!engine.TryCancel(orderId, symbol, 1, out refusal))
            {
                throw new UsageException($"the engine refused the cancel: {refusal}");
            }

            var outcome = await listener.Task.WaitAsync(settings.RequestTimeout + TimeSpan.FromSeconds(5), context.Stop).ConfigureAwait(false);
            await engine.StopAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            var roundTrip = new LatencyHistogram();
            engine.CopyLatencies(new LatencyHistogram(), roundTrip);
            var rtt = roundTrip.TotalCount == 0 ? "-" : (roundTrip.Max / 1000.0).ToString("N0", CultureInfo.InvariantCulture) + " µs";
            context.Output.WriteLine($"{outcome} (round trip {rtt})");
            return outcome.StartsWith("Failed: AuthenticationFailed", StringComparison.Ordinal) ? ExitCodes.CredentialsRefused : ExitCodes.Success;
        }
    }

    private sealed class SingleOutcome : ICancelListener
    {
        private readonly TaskCompletionSource<string> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> Task => _outcome.Task;

        public void OnAcked(long tag, ReadOnlySpan<byte> orderId) => _outcome.TrySetResult($"Ack: order {Encoding.ASCII.GetString(orderId)} cancel received by the venue");

        public void OnRejected(long tag, ReadOnlySpan<byte> orderId, long code, VenueReason reason, ReadOnlySpan<byte> message) =>
            _outcome.TrySetResult($"Err: {code} {VenueErrorCodes.ReasonText(reason) ?? reason.ToString()}: {Encoding.UTF8.GetString(message)}");

        public void OnFailed(long tag, ReadOnlySpan<byte> orderId, CancelFailureReason reason, ReadOnlySpan<byte> detail) =>
            _outcome.TrySetResult($"Failed: {reason}" + (detail.IsEmpty ? "" : $" ({Encoding.UTF8.GetString(detail)})"));

        public void OnExpired(long tag, ReadOnlySpan<byte> orderId) => _outcome.TrySetResult("Expired: not sent");
    }
}
