using System.Globalization;
using Oms.Cli.Arguments;
using Oms.Cli.Load;
using Oms.Cli.Settings;
using Oms.Engine;
using Oms.Transport.Client;
using Oms.Venue.Book;

namespace Oms.Cli.Commands;

/// <summary><c>oms load</c>: the engine against any venue that speaks the contract.</summary>
internal static class LoadCommand
{
    public const string Usage = "oms load --base-url URL --account-group G --orders N [--symbol S] [--rate R] [--profile v1|v2] [--connections C] [--wait-strategy W] [--request-timeout-ms T] [--ca-cert FILE] [--order-ids FILE] [--json]";

    public static readonly IReadOnlyList<OptionSpec> Options =
    [
        new("--base-url", "URL", "the venue, e.g. https://ascendex.com or http://127.0.0.1:8800 (engine.baseUrl)"),
        new("--account-group", "G", "the account group (engine.accountGroup)"),
        new("--orders", "N", "cancels to send"),
        new("--symbol", "S", "symbol of generated order ids (default BTC-PERP)"),
        new("--rate", "R", "cancels per second, 0 for no limit (default engine.rateLimitPerSecond, 50)"),
        new("--ca-cert", "FILE", "PEM CA to trust instead of the system store (engine.caCertificate)"),
        new("--order-ids", "FILE", "lines of 'symbol orderId' to cancel instead of generated ids"),
        new("--strategies", "S", "strategy threads publishing intents (default 2)"),
        new("--json", null, "print only one JSON object with the results on stdout"),
        .. EngineSettingsReader.Options,
    ];

    public static async Task<int> RunAsync(ParsedArguments args, CommandContext context)
    {
        var file = RuntimeSettingsFile.Load(args.GetString("--settings"));
        var credentials = context.ReadCredentials();
        var count = args.GetInt("--orders", -1, 1, 100_000_000);
        if (count < 0 && !args.Has("--order-ids"))
        {
            throw new UsageException("--orders is required (or --order-ids)");
        }

        var baseUrl = args.GetString("--base-url") is { } url ? EngineSettingsReader.ParseUrl(url) : null;
        double? rate = args.Has("--rate") ? args.GetInt("--rate", 0, 0, 10_000_000) : null;
        // The limiter gets 20 % above the offered rate: retries spend tokens too, and a limiter exactly at the
        // offered rate lets the backlog grow without bound.
        var settings = EngineSettingsReader.Read(file, args, baseUrl, args.GetString("--account-group"), rate * 1.2, args.GetString("--ca-cert"));
        var offeredRate = rate ?? settings.RateLimitPerSecond;
        var orders = args.GetString("--order-ids") is { } idsFile
            ? ReadOrderIds(idsFile, count)
            : Generate(count, args.GetString("--symbol") ?? "BTC-PERP");
        settings = settings with
        {
            OrderStateCapacity = Math.Max(settings.OrderStateCapacity, (int)Math.Min(1 << 26, orders.Count * 2L)),

            // A limiter exactly at the offered rate turns every publishing hiccup into a backlog it can never drain:
            // allow 50 ms of catch-up on top of the rate.
            RateLimitBurst = Math.Max(settings.RateLimitBurst, (int)Math.Min(1_000_000, settings.RateLimitPerSecond / 20)),
        };

        var tally = new TallyListener();
        CancelEngine engine;
        try
        {
            engine = await CancelEngine.StartAsync(settings, credentials, tally, context.Stop).ConfigureAwait(false);
        }
        catch (Http2ConnectException e)
        {
            context.Error.WriteLine($"oms: cannot reach the venue at {settings.BaseUrl}: {e.Message}");
            return ExitCodes.Unreachable;
        }

        await using (engine.ConfigureAwait(false))
        {
            var result = await LoadRunner.RunAsync(engine, tally, orders, args.GetInt("--strategies", 2, 1, 64), offeredRate, context.Error, context.Stop).ConfigureAwait(false);
            if (args.Has("--json"))
            {
                ReportWriter.WriteJson(result, context.Output);
            }
            else
            {
                ReportWriter.WriteText(result, context.Output, $"Oms load report: {settings.BaseUrl}", "process total");
            }

            if (result.Counters.AuthenticationFailed)
            {
                context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"oms: the venue refused the credentials (200001 AUTHENTICATION_FAILED); stopped after {result.Counters.Requests} requests"));
                return ExitCodes.CredentialsRefused;
            }

            return result.Outcomes.Decided == result.Published ? ExitCodes.Success : ExitCodes.Incomplete;
        }
    }

    private static List<(string Symbol, string OrderId)> Generate(int count, string symbol)
    {
        var ids = new OrderIdFactory();
        return Enumerable.Range(0, count).Select(_ => (symbol, ids.Next())).ToList();
    }

    private static List<(string Symbol, string OrderId)> ReadOrderIds(string path, int limit)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read order ids file '{path}': {e.Message}");
        }

        var orders = new List<(string, string)>();
        for (var i = 0; i < lines.Length && (limit < 0 || orders.Count < limit); i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
            {
                throw new UsageException($"{path}:{i + 1}: expected 'symbol orderId'");
            }

            orders.Add((parts[0], parts[1]));
        }

        if (orders.Count == 0)
        {
            throw new UsageException($"{path}: no order ids");
        }

        return orders;
    }
}
