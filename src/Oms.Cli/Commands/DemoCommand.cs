using System.Globalization;
using Oms.Cli.Syntax;
using Oms.Cli.Settings;
using Oms.Engine;
using Oms.Engine.Signing;
using Oms.Load;
using Oms.Venue;
using Oms.Venue.Book;

namespace Oms.Cli.Commands;

/// <summary><c>oms demo</c>: the engine against the embedded venue simulator, no set-up, no credentials.</summary>
internal static class DemoCommand
{
    private const string Symbol = "BTC-PERP";

    /// <summary>Share of the demo's known orders that fill just before their cancel arrives (answered 300006).</summary>
    internal const double FillBeforeCancelShare = 0.02;

    /// <summary>Share of the demo's known orders whose cancel is acked but loses the race to a fill.</summary>
    internal const double FillAfterAckShare = 0.01;

    public static async Task<ExitCode> RunAsync(OptionValues args, CommandContext context)
    {
        var file = RuntimeSettingsFile.Load(args.GetString("--settings"));
        var count = args.GetInt("--orders", 20_000, 1, 10_000_000);
        var strategies = args.GetInt("--strategies", 4, 1, 64);
        var unknownShare = args.GetShare("--unknown-share");
        if (!args.Has("--unknown-share"))
        {
            unknownShare = 0.05;
        }

        var rate = args.GetInt("--rate", 5_000, 0, 10_000_000);
        var output = context.Output;

        // Some orders fill, before their cancel or after its Ack, so the report shows Filled fates beside Canceled ones.
        var venueOptions = new VenueOptions
        {
            UseTls = true,
            FillBeforeCancelShare = FillBeforeCancelShare,
            FillAfterAckShare = FillAfterAckShare,
            CancelDelayMs = VenueCommand.DefaultCancelDelayMs,
        };
        await using var venue = await VenueServer.StartAsync(venueOptions, context.Stop).ConfigureAwait(false);
        var caPath = Path.Combine(Path.GetTempPath(), $"oms-demo-ca-{Environment.ProcessId}-{Guid.NewGuid():N}.pem");
        venue.WriteCaCertificate(caPath);
        try
        {
            var orders = BuildOrders(venue, count, unknownShare);
            // The strategies offer the demo's rate; the engine's own limiter is off, as the simulator bans no one.
            var settings = EngineSettingsReader.Read(file, args, venue.BaseUri, venue.Credentials.AccountGroup, 0, caPath);
            settings = EngineSettingsReader.Validated(settings with { OrderStateCapacity = EngineSettingsReader.OrderStateCapacityFor(settings, count, rate) });
            var tally = new TallyListener();
            if (await EngineLauncher.StartAsync(settings, new ApiCredentials(venue.Credentials.ApiKey, venue.Credentials.ApiSecret), tally, context).ConfigureAwait(false) is not { } engine)
            {
                return ExitCode.Unreachable;
            }

            context.Error.WriteLine(EngineLauncher.WatchLine());
            await using (engine.ConfigureAwait(false))
            {
                output.WriteLine(Invariant($"Oms demo: {count:N0} cancels ({unknownShare:P0} of unknown orders) from {strategies} strategy threads"));
                output.WriteLine(Invariant($"  over {settings.Connections} HTTP/2 connections (TLS, ALPN h2, pinned CA) to the embedded venue simulator at {venue.BaseUri}"));
                output.WriteLine(Invariant($"  profile {settings.Profile.Name}, wait strategy {Oms.Engine.Sequencing.WaitStrategyFactory.GetName(settings.WaitStrategy)}, rate {(rate == 0 ? "unlimited" : rate.ToString("N0", CultureInfo.InvariantCulture) + "/s")}"));
                output.WriteLine(settings.Confirmation.Enabled
                    ? Invariant($"  fates confirmed from the order stream and status queries; the venue fills {FillBeforeCancelShare:P0} of orders before their cancel and {FillAfterAckShare:P0} after its Ack")
                    : "  fates not confirmed (--no-confirm)");
                var reconciled = args.Has("--reconcile") ? await EngineLauncher.ReconcileAsync(engine, output, context).ConfigureAwait(false) : null;
                var result = await LoadRunner.RunAsync(engine, tally, new ListOrderSource(orders), strategies, rate, context.Error, context.Stop).ConfigureAwait(false);
                result.ReconcileOpenOrders = reconciled;
                ReportWriter.WriteText(result, output, "Oms demo report", "the whole process: engine, strategy threads and the in-process venue simulator");
                output.WriteLine(Invariant($"  the venue saw {venue.Stats.CancelRequests:N0} cancel requests on {venue.Stats.ConnectionsOpened} connections, acked {venue.Stats.Acked:N0}, reused request ids {venue.Stats.DuplicateRequestIds}, filled before cancel {venue.Stats.FilledBeforeCancel:N0}, filled after ack {venue.Stats.FilledAfterAck:N0}"));
                var written = ReportOutputs.TryWrite(args, result, "Oms demo report", ReportOutputs.Settings("oms demo", settings, rate, orders.Count, strategies), context.Error);
                return ReportOutputs.After(LoadCommand.Conclude(result, context.Error), written);
            }
        }
        finally
        {
            File.Delete(caPath);
        }
    }

    private static List<(string Symbol, string OrderId)> BuildOrders(VenueServer venue, int count, double unknownShare)
    {
        var unknownCount = (int)Math.Round(count * unknownShare);
        var known = venue.Book.SeedGenerated(count - unknownCount, Symbol);
        var strangers = new OrderIdFactory();
        var orders = known.Select(id => (Symbol, id)).ToList();
        for (var i = 0; i < unknownCount; i++)
        {
            orders.Add((Symbol, strangers.Next()));
        }

        // A fixed shuffle: unknown orders are spread through the run, the same way every time.
        var random = new Random(20261125);
        for (var i = orders.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (orders[i], orders[j]) = (orders[j], orders[i]);
        }

        return orders;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
