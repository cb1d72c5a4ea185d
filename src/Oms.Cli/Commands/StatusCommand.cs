using System.Text.Json;
using Oms.Cli.Syntax;
using Oms.Cli.Settings;
using Oms.Engine;
using Oms.Engine.Confirmation;
using Oms.Engine.Venues.AscendEx;

namespace Oms.Cli.Commands;

/// <summary>
/// <c>oms status</c>: each order's status as the venue reports it, by the same signed order-status query the engine's
/// confirmation uses; ids the venue leaves out are shown as not found.
/// </summary>
internal static class StatusCommand
{
    /// <summary>What <c>--json</c> prints for an id the venue left out of its answer (the word of <see cref="OrderFate.NotFound"/>).</summary>
    public const string NotFoundStatus = nameof(OrderFate.NotFound);

    public static async Task<ExitCode> RunAsync(OptionValues args, CommandContext context)
    {
        var file = RuntimeSettingsFile.Load(args.GetString("--settings"));
        var orderIds = args.GetAll("--order-id").Distinct(StringComparer.Ordinal).ToList();
        if (orderIds.Count == 0)
        {
            throw new UsageException("--order-id is required (give it once per order)");
        }

        if (orderIds.FirstOrDefault(id => !IsQueryable(id)) is { } bad)
        {
            throw new UsageException($"order id '{bad}' holds a character other than letters, digits, '-', '_' and '.'");
        }

        var credentials = context.ReadCredentials();
        var baseUrl = args.GetString("--base-url") is { } url ? EngineSettingsReader.ParseUrl(url, "--base-url") : null;
        var settings = EngineSettingsReader.Read(file, args, baseUrl, args.GetString("--account-group"), 0, args.GetString("--ca-cert"));

        var found = new Dictionary<string, VenueOrder>(StringComparer.Ordinal);
        try
        {
            foreach (var batch in orderIds.Chunk(settings.Confirmation.MaxIdsPerStatusRequest))
            {
                foreach (var order in await VenueQueries.StatusAsync(settings, credentials, batch, context.Stop).ConfigureAwait(false))
                {
                    found[order.OrderId] = order;
                }
            }
        }
        catch (HttpRequestException e)
        {
            context.Error.WriteLine($"oms: cannot reach the venue at {settings.BaseUrl} for the order status: {e.Message.ReplaceLineEndings(" ")}");
            return ExitCode.Unreachable;
        }
        catch (VenueQueryException e) when (e.Code == 200001)
        {
            context.Error.WriteLine($"oms: the venue refused the credentials ({e.Message}) when asked for the order status");
            return ExitCode.CredentialsRefused;
        }
        catch (VenueQueryException e)
        {
            throw new UsageException($"the venue refused the order-status query: {e.Message}" + (e.Code == 100001 ? " (is the account group right?)" : ""));
        }

        if (args.Has("--json"))
        {
            WriteJson(orderIds, found, context.Output);
        }
        else
        {
            var width = orderIds.Max(id => id.Length);
            foreach (var id in orderIds)
            {
                context.Output.WriteLine(found.TryGetValue(id, out var order)
                    ? $"{id.PadRight(width)}  {order.Symbol}  {order.Status}"
                    : $"{id.PadRight(width)}  not found");
            }
        }

        return ExitCode.Success;
    }

    // The ids go into the query string joined by commas as the venue expects, so anything that would change how the
    // query reads (a comma, '&', '#', '%', a space) must not be in one; venue order ids are letters and digits.
    private static bool IsQueryable(string orderId) =>
        orderId.Length > 0 && orderId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static void WriteJson(IReadOnlyList<string> orderIds, Dictionary<string, VenueOrder> found, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartArray();
            foreach (var id in orderIds)
            {
                json.WriteStartObject();
                json.WriteString("orderId", id);
                if (found.TryGetValue(id, out var order))
                {
                    json.WriteString("symbol", order.Symbol);
                    json.WriteString("status", order.Status);
                }
                else
                {
                    json.WriteNull("symbol");
                    json.WriteString("status", NotFoundStatus);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
