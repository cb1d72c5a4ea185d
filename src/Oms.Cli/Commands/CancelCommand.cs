using System.Globalization;
using System.Text;
using Oms.Cli.Syntax;
using Oms.Cli.Settings;
using Oms.Engine;
using Oms.Engine.Diagnostics;
using Oms.Engine.Venues;
using Oms.Engine.Venues.AscendEx;

namespace Oms.Cli.Commands;

/// <summary><c>oms cancel</c>: one cancel by hand, and the venue's answer.</summary>
internal static class CancelCommand
{

    public static async Task<ExitCode> RunAsync(OptionValues args, CommandContext context)
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
        if (await EngineLauncher.StartAsync(settings, credentials, listener, context).ConfigureAwait(false) is not { } engine)
        {
            return ExitCode.Unreachable;
        }

        await using (engine.ConfigureAwait(false))
        {
            if (!engine.TryCancel(orderId, symbol, 1, out refusal))
            {
                throw new UsageException($"the engine refused the cancel: {refusal}");
            }

            string? note = null;
            try
            {
                await listener.Task.WaitAsync(settings.RequestTimeout + TimeSpan.FromSeconds(5), context.Stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.Stop.IsCancellationRequested)
            {
                note = "interrupted before the venue answered: the cancel may or may not have reached it";
            }
            catch (TimeoutException)
            {
                note = string.Create(CultureInfo.InvariantCulture, $"no answer within {(settings.RequestTimeout + TimeSpan.FromSeconds(5)).TotalSeconds:0.#} s: the cancel may or may not have reached the venue");
            }

            // Stopping decides a cancel still waiting (Failed: Stopped), so there is an outcome to print either way.
            await engine.StopAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            if (!listener.Task.IsCompleted)
            {
                context.Error.WriteLine("oms: the cancel has no outcome after the engine stopped (a bug, please report it)");
                return ExitCode.Undecided;
            }

            var outcome = await listener.Task.ConfigureAwait(false);
            var roundTrip = new LatencyHistogram();
            engine.CopyLatencies(new LatencyHistogram(), roundTrip);
            var rtt = roundTrip.TotalCount == 0 ? "-" : (roundTrip.Max / 1000.0).ToString("N0", CultureInfo.InvariantCulture) + " µs";
            context.Output.WriteLine($"{outcome} (round trip {rtt})");
            if (note is not null)
            {
                context.Error.WriteLine("oms: " + note);
            }

            if (LoadCommand.GroupLooksWrong(0, 1, listener.RejectReasonText is { } text ? new Dictionary<string, long> { [text] = 1 } : []) is { } hint)
            {
                context.Error.WriteLine($"oms: {hint} '{settings.AccountGroup}' looks wrong");
            }

            return listener.CredentialsRefused ? ExitCode.CredentialsRefused
                : listener.DecidedByVenue ? ExitCode.Success
                : ExitCode.Undecided;
        }
    }

    private sealed class SingleOutcome : ICancelListener
    {
        private readonly TaskCompletionSource<string> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> Task => _outcome.Task;

        /// <summary>True when the venue refused the credentials (200001).</summary>
        public bool CredentialsRefused { get; private set; }

        /// <summary>True when the venue decided the cancel (Ack or Err); false for Failed and Expired.</summary>
        public bool DecidedByVenue { get; private set; }

        public void OnAcked(long tag, ReadOnlySpan<byte> orderId)
        {
            DecidedByVenue = true;
            _outcome.TrySetResult($"Ack: order {Encoding.ASCII.GetString(orderId)} cancel received by the venue");
        }

        /// <summary>The venue's reason text when it rejected the cancel, else null.</summary>
        public string? RejectReasonText { get; private set; }

        public void OnRejected(long tag, ReadOnlySpan<byte> orderId, long code, VenueReason reason, ReadOnlySpan<byte> message)
        {
            DecidedByVenue = true;
            RejectReasonText = VenueErrorCodes.ReasonText(reason);
            _outcome.TrySetResult($"Err: {code} {VenueErrorCodes.ReasonText(reason) ?? reason.ToString()}: {Encoding.UTF8.GetString(message)}");
        }

        public void OnFailed(long tag, ReadOnlySpan<byte> orderId, CancelFailureReason reason, ReadOnlySpan<byte> detail)
        {
            // Set before the outcome: whoever sees the outcome must see this too.
            CredentialsRefused = reason == CancelFailureReason.AuthenticationFailed;
            var text = Encoding.UTF8.GetString(detail).ReplaceLineEndings(" ");
            _outcome.TrySetResult(reason switch
            {
                // The detail is the venue's own "code reason: message".
                CancelFailureReason.AuthenticationFailed or CancelFailureReason.PermissionDenied when text.Length > 0 => $"Err: {text} (failed: {reason})",
                _ => $"Failed: {reason}" + (text.Length == 0 ? "" : $" ({text})"),
            });
        }

        public void OnExpired(long tag, ReadOnlySpan<byte> orderId) => _outcome.TrySetResult("Expired: not sent");
    }
}
