using System.Globalization;
using System.Text;
using System.Text.Json;
using Oms.Cli.Syntax;
using Oms.Cli.Settings;
using Oms.Engine;
using Oms.Engine.Venues;
using Oms.Engine.Venues.AscendEx;

namespace Oms.Cli.Commands;

/// <summary>
/// <c>oms cancel-all</c>: every open order of the account (or one symbol) cancelled and the book proven flat, by the
/// engine's <see cref="CancelEngine.CancelAllAsync"/> with fates confirmed (docs/mass-cancel.md).
/// </summary>
internal static class CancelAllCommand
{
    /// <summary>How many remaining or unproven ids the error line names before it says "and N more".</summary>
    private const int IdsNamed = 10;

    public static async Task<ExitCode> RunAsync(OptionValues args, CommandContext context)
    {
        var file = RuntimeSettingsFile.Load(args.GetString("--settings"));
        var credentials = context.ReadCredentials();
        var symbol = args.GetString("--symbol");
        var deadline = TimeSpan.FromMilliseconds(args.GetInt("--deadline-ms", (int)CancelEngine.DefaultCancelAllDeadline.TotalMilliseconds, 1, 3_600_000));
        var baseUrl = args.GetString("--base-url") is { } url ? EngineSettingsReader.ParseUrl(url, "--base-url") : null;
        var settings = EngineSettingsReader.Read(file, args, baseUrl, args.GetString("--account-group"), null, args.GetString("--ca-cert"));
        if (!settings.Confirmation.Enabled)
        {
            // Fates are how a follow-up round knows its cancels are done; the report never rests on them alone.
            settings = settings with { Confirmation = settings.Confirmation with { Enabled = true } };
        }

        var listener = new CredentialsWatch();
        if (await EngineLauncher.StartAsync(settings, credentials, listener, context).ConfigureAwait(false) is not { } engine)
        {
            return ExitCode.Unreachable;
        }

        await using (engine.ConfigureAwait(false))
        {
            CancelAllReport report;
            try
            {
                report = await engine.CancelAllAsync(symbol, deadline, context.Stop).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                context.Error.WriteLine($"oms: cannot reach the venue at {settings.BaseUrl} for its open orders: {e.Message.ReplaceLineEndings(" ")}; nothing was cancelled");
                return ExitCode.Unreachable;
            }
            catch (TimeoutException e)
            {
                context.Error.WriteLine($"oms: {e.Message}");
                return ExitCode.Unreachable;
            }
            catch (InvalidOperationException e) when (e.InnerException is VenueQueryException { Code: 200001 })
            {
                context.Error.WriteLine($"oms: the venue refused the credentials ({e.InnerException.Message}) when asked for its open orders; nothing was cancelled");
                return ExitCode.CredentialsRefused;
            }
            catch (InvalidOperationException e) when (e.InnerException is VenueQueryException query)
            {
                throw new UsageException($"the venue refused the open-orders query: {query.Message}" + (query.Code == 100001 ? " (is the account group right?)" : ""));
            }
            catch (OperationCanceledException) when (context.Stop.IsCancellationRequested)
            {
                context.Error.WriteLine("oms: interrupted: the cancel-all did not finish, the book is not proven flat");
                return ExitCode.Undecided;
            }

            if (args.Has("--json"))
            {
                WriteJson(report, context.Output);
            }
            else
            {
                WriteText(report, settings.BaseUrl, context.Output);
            }

            if (engine.GetCounters().AuthenticationFailed || listener.CredentialsRefused)
            {
                context.Error.WriteLine("oms: the venue refused the credentials while cancelling: the book is not proven flat");
                return ExitCode.CredentialsRefused;
            }

            if (report.IsFlat && report.Remaining == 0)
            {
                return ExitCode.Success;
            }

            context.Error.WriteLine("oms: " + Unproven(report));
            return ExitCode.Undecided;
        }
    }

    /// <summary>One line: what the run could not prove, naming the orders.</summary>
    internal static string Unproven(CancelAllReport report)
    {
        var text = new StringBuilder("not proven flat");
        if (report.Problem is { } problem)
        {
            text.Append(": ").Append(problem);
        }

        if (report.Remaining > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"; still open: {report.Remaining:N0} ({Name(report.RemainingIds)})");
        }

        if (report.UnprovenIds.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"; not confirmed canceled or filled: {report.UnprovenIds.Count:N0} ({Name(report.UnprovenIds)})");
        }

        return text.ToString();
    }

    internal static void WriteJson(CancelAllReport report, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteNumber("openBefore", report.OpenBefore);
            json.WriteNumber("canceled", report.Canceled);
            json.WriteNumber("filled", report.Filled);
            json.WriteNumber("remaining", report.Remaining);
            WriteIds(json, "remainingIds", report.RemainingIds);
            json.WriteBoolean("flat", report.IsFlat);
            WriteIds(json, "unprovenIds", report.UnprovenIds);
            json.WriteBoolean("cancelAllAcknowledged", report.CancelAllAcknowledged);
            json.WriteNumber("rounds", report.Rounds);
            json.WriteNumber("followUpCancels", report.FollowUpCancels);
            json.WriteNumber("elapsedMs", Math.Round(report.Elapsed.TotalMilliseconds, 1));
            if (report.Symbol is { } symbol)
            {
                json.WriteString("symbol", symbol);
            }
            else
            {
                json.WriteNull("symbol");
            }

            if (report.Problem is { } problem)
            {
                json.WriteString("problem", problem);
            }
            else
            {
                json.WriteNull("problem");
            }

            json.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteText(CancelAllReport report, Uri venue, TextWriter output)
    {
        var scope = report.Symbol is { } symbol ? "symbol " + symbol : "the whole account";
        output.WriteLine($"Oms cancel-all report: {venue} ({scope})");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  open before   {report.OpenBefore,10:N0}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  canceled      {report.Canceled,10:N0}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  filled        {report.Filled,10:N0}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  remaining     {report.Remaining,10:N0}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  unproven      {report.UnprovenIds.Count,10:N0}"));
        output.WriteLine($"  flat          {(report.IsFlat ? "proven: the venue lists no open order" : "NOT proven"),10}");
        output.WriteLine($"  cancel-all    {(report.CancelAllAcknowledged ? "acknowledged by the venue" : "not acknowledged (the follow-up rounds did the work)")}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  follow-up     {report.Rounds:N0} checks, {report.FollowUpCancels:N0} cancels"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  elapsed       {report.Elapsed.TotalMilliseconds,10:N0} ms"));
        foreach (var id in report.RemainingIds)
        {
            output.WriteLine($"  open: {id}");
        }
    }

    private static void WriteIds(Utf8JsonWriter json, string name, IReadOnlyList<string> ids)
    {
        json.WriteStartArray(name);
        foreach (var id in ids)
        {
            json.WriteStringValue(id);
        }

        json.WriteEndArray();
    }

    private static string Name(IReadOnlyList<string> ids) =>
        string.Join(", ", ids.Take(IdsNamed)) + (ids.Count > IdsNamed ? string.Create(CultureInfo.InvariantCulture, $" and {ids.Count - IdsNamed:N0} more") : "");

    /// <summary>The outcomes only matter for one thing here: a refusal of the credentials (the report says the rest).</summary>
    private sealed class CredentialsWatch : ICancelListener
    {
        private int _refused;

        public bool CredentialsRefused => Volatile.Read(ref _refused) != 0;

        public void OnAcked(long tag, ReadOnlySpan<byte> orderId)
        {
        }

        public void OnRejected(long tag, ReadOnlySpan<byte> orderId, long code, VenueReason reason, ReadOnlySpan<byte> message)
        {
        }

        public void OnFailed(long tag, ReadOnlySpan<byte> orderId, CancelFailureReason reason, ReadOnlySpan<byte> detail)
        {
            if (reason == CancelFailureReason.AuthenticationFailed)
            {
                Volatile.Write(ref _refused, 1);
            }
        }

        public void OnExpired(long tag, ReadOnlySpan<byte> orderId)
        {
        }
    }
}
