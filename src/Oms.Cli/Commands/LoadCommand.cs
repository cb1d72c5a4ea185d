using System.Globalization;
using Oms.Cli.Syntax;
using Oms.Cli.Settings;
using Oms.Engine;
using Oms.Engine.Venues;
using Oms.Engine.Venues.AscendEx;
using Oms.Load;

namespace Oms.Cli.Commands;

/// <summary><c>oms load</c>: the engine against any venue that speaks the contract.</summary>
internal static class LoadCommand
{

    public static async Task<ExitCode> RunAsync(OptionValues args, CommandContext context)
    {
        var file = RuntimeSettingsFile.Load(args.GetString("--settings"));
        var credentials = context.ReadCredentials();
        var count = args.GetInt("--orders", -1, 1, 100_000_000);
        var strategies = args.GetInt("--strategies", 2, 1, 64);
        if (count < 0 && !args.Has("--order-ids") && !args.Has("--open-orders"))
        {
            throw new UsageException("--orders is required (or --order-ids, or --open-orders)");
        }

        if (args.Has("--order-ids") && args.Has("--open-orders"))
        {
            throw new UsageException("--order-ids and --open-orders both say what to cancel: give one");
        }

        var baseUrl = args.GetString("--base-url") is { } url ? EngineSettingsReader.ParseUrl(url, "--base-url") : null;
        double? rate = args.Has("--rate") ? args.GetInt("--rate", 0, 0, 10_000_000) : null;
        // The limiter gets 20 % above the offered rate (retries spend tokens too, and a limiter exactly at the offered
        // rate lets the backlog grow without bound), unless --limit says what the engine may send: a mass cancel is
        // offered flat out while the engine keeps to the venue's limit and batches.
        double? limit = args.Has("--limit") ? args.GetInt("--limit", 0, 0, 10_000_000) : rate * 1.2;
        var settings = EngineSettingsReader.Read(file, args, baseUrl, args.GetString("--account-group"), limit, args.GetString("--ca-cert"));
        var offeredRate = rate ?? settings.RateLimitPerSecond;
        OrderSource orders;
        if (args.Has("--open-orders"))
        {
            var (open, failure) = await FetchOpenOrdersAsync(settings, credentials, count, context).ConfigureAwait(false);
            if (open is null)
            {
                return failure;
            }

            orders = open;
        }
        else
        {
            orders = args.GetString("--order-ids") is { } idsFile
                ? ReadOrderIds(idsFile, count, settings.Profile)
                : Generate(count, args.GetString("--symbol") ?? "BTC-PERP", settings.Profile);
        }

        settings = EngineSettingsReader.Validated(settings with
        {
            OrderStateCapacity = EngineSettingsReader.OrderStateCapacityFor(settings, orders.Count, offeredRate),

            // A limiter exactly at the offered rate turns every publishing hiccup into a backlog it can never drain:
            // allow 50 ms of catch-up on top of the rate.
            RateLimitBurst = Math.Max(settings.RateLimitBurst, (int)Math.Min(1_000_000, settings.RateLimitPerSecond / 20)),
        });

        var tally = new TallyListener();
        if (await EngineLauncher.StartAsync(settings, credentials, tally, context).ConfigureAwait(false) is not { } engine)
        {
            return ExitCode.Unreachable;
        }

        context.Error.WriteLine(EngineLauncher.WatchLine());

        await using (engine.ConfigureAwait(false))
        {
            // With --json, stdout holds the one JSON object alone.
            var reconciled = args.Has("--reconcile")
                ? await EngineLauncher.ReconcileAsync(engine, args.Has("--json") ? context.Error : context.Output, context).ConfigureAwait(false)
                : null;
            var result = await LoadRunner.RunAsync(engine, tally, orders, strategies, offeredRate, context.Error, context.Stop).ConfigureAwait(false);
            result.ReconcileOpenOrders = reconciled;
            var title = $"Oms load report: {settings.BaseUrl}";
            if (args.Has("--json"))
            {
                ReportWriter.WriteJson(result, context.Output);
            }
            else
            {
                ReportWriter.WriteText(result, context.Output, title, "the whole process: engine and strategy threads");
            }

            var written = ReportOutputs.TryWrite(args, result, title, ReportOutputs.Settings("oms load", settings, offeredRate, orders.Count, strategies), context.Error);

            if (result.Counters.AuthenticationFailed)
            {
                context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"oms: the venue refused the credentials ({tally.CredentialsRefusal ?? "200001 AUTHENTICATION_FAILED"}); stopped after {result.Counters.Requests} requests"));
                return ExitCode.CredentialsRefused;
            }

            if (GroupLooksWrong(tally.Acked, tally.Rejected, tally.RejectReasons) is { } hint)
            {
                context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"oms: {hint} '{settings.AccountGroup}' looks wrong"));
            }

            return ReportOutputs.After(Conclude(result, context.Error), written);
        }
    }

    /// <summary>
    /// The first words of a hint when every answer was 100001 INVALID_HTTP_INPUT and none an Ack: the venue answers
    /// that for a path whose account group is not the account's, the likeliest cause of a run that rejects everything.
    /// </summary>
    internal static string? GroupLooksWrong(long acked, long rejected, IReadOnlyDictionary<string, long> rejectReasons) =>
        acked == 0 && rejected > 0 && rejectReasons.TryGetValue("INVALID_HTTP_INPUT", out var invalid) && invalid == rejected
            ? "every cancel was rejected 100001 INVALID_HTTP_INPUT, which the venue answers to a path with another account's group (an account's group is data.accountGroup of GET /api/pro/v1/info): the account group"
            : null;

    /// <summary>
    /// The exit code of a finished load or demo run, with one line saying why when it is not 0: undecided intents first
    /// (1), then, only when the venue decided every intent, fates not confirmed by the deadline (6).
    /// </summary>
    internal static ExitCode Conclude(LoadResult result, TextWriter error)
    {
        if (result.Shortfall() is { } shortfall)
        {
            error.WriteLine("oms: " + shortfall);
            return ExitCode.Undecided;
        }

        if (result.UnconfirmedNote() is { } unconfirmed)
        {
            error.WriteLine("oms: " + unconfirmed);
            return ExitCode.Unconfirmed;
        }

        return ExitCode.Success;
    }

    /// <summary>
    /// The venue's open orders (at most <paramref name="limit"/> when positive), or null and the exit code, with one line
    /// said, when the venue cannot be reached (4) or refuses the credentials (3).
    /// </summary>
    private static async Task<(ListOrderSource? Orders, ExitCode Failure)> FetchOpenOrdersAsync(CancelEngineSettings settings, Oms.Engine.Signing.ApiCredentials credentials, int limit, CommandContext context)
    {
        IReadOnlyList<(string Symbol, string OrderId)> open;
        try
        {
            open = await OpenOrders.FetchAsync(settings, credentials, context.Stop).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            context.Error.WriteLine($"oms: cannot reach the venue at {settings.BaseUrl} for its open orders: {e.Message}");
            return (null, ExitCode.Unreachable);
        }
        catch (VenueQueryException e) when (e.Code == 200001)
        {
            context.Error.WriteLine($"oms: the venue refused the credentials ({e.Message}) when asked for its open orders");
            return (null, ExitCode.CredentialsRefused);
        }
        catch (VenueQueryException e)
        {
            throw new UsageException($"the venue refused the open-orders query: {e.Message}" + (e.Code == 100001 ? " (is the account group right?)" : ""));
        }

        context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"oms: the venue lists {open.Count:N0} open orders"));
        return (new ListOrderSource(limit > 0 ? [.. open.Take(limit)] : open), ExitCode.Success);
    }

    private static GeneratedOrderSource Generate(int count, string symbol, CancelProfile profile)
    {
        var orders = GeneratedOrderSource.StartingNow(count, symbol);
        Span<char> scratch = stackalloc char[OrderSource.MaxOrderIdLength];
        if (!profile.TryValidate(orders.GetOrderId(0, scratch), symbol, out var refusal))
        {
            throw new UsageException($"--symbol '{symbol}' cannot be cancelled with profile {profile.Name}: {Describe(refusal, profile, "", symbol)}");
        }

        return orders;
    }

    /// <summary>
    /// Reads 'symbol orderId' lines, each checked against <paramref name="profile"/> as the engine will check it, so a
    /// bad line stops the run before anything is sent instead of being refused (and skipped) halfway through.
    /// </summary>
    internal static ListOrderSource ReadOrderIds(string path, int limit, CancelProfile profile)
    {
        List<(string Symbol, string OrderId)> orders;
        try
        {
            orders = OrderIdsFile.Read(path, limit, (symbol, orderId) =>
                profile.TryValidate(orderId, symbol, out var refusal) ? null : Describe(refusal, profile, orderId, symbol));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read order ids file '{path}': {e.Message}");
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }

        if (orders.Count == 0)
        {
            throw new UsageException($"{path}: no order ids");
        }

        if (limit > orders.Count)
        {
            // Running fewer than asked without a word would pass for the run that was asked for.
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--orders {limit:N0} but {path} holds {orders.Count:N0} order ids: give at most that many, or leave --orders out to cancel them all"));
        }

        return new ListOrderSource(orders);
    }

    private static string Describe(CancelRefusal refusal, CancelProfile profile, string orderId, string symbol) => refusal switch
    {
        CancelRefusal.OrderIdEmpty => "empty order id",
        CancelRefusal.OrderIdLength when profile.MinOrderIdLength == profile.MaxOrderIdLength =>
            string.Create(CultureInfo.InvariantCulture, $"order id '{orderId}' has {orderId.Length} characters; profile {profile.Name} needs {profile.MaxOrderIdLength}"),
        CancelRefusal.OrderIdLength =>
            string.Create(CultureInfo.InvariantCulture, $"order id '{orderId}' has {orderId.Length} characters; profile {profile.Name} needs {profile.MinOrderIdLength} to {profile.MaxOrderIdLength}"),
        CancelRefusal.OrderIdCharacter => $"order id '{orderId}' holds a character profile {profile.Name} does not allow",
        CancelRefusal.SymbolEmpty => "empty symbol",
        CancelRefusal.SymbolTooLong => string.Create(CultureInfo.InvariantCulture, $"symbol '{symbol}' is longer than {CancelProfile.MaxSymbolLength} characters"),
        CancelRefusal.SymbolCharacter => $"symbol '{symbol}' holds a character outside visible ASCII",
        _ => refusal.ToString(),
    };
}
