using System.Globalization;
using Oms.Engine.Sequencing;
using Oms.LoadHarness.Clients;
using Oms.LoadHarness.Load;
using Oms.LoadHarness.Reporting;
using Oms.LoadHarness.Venue;
using Oms.Transport.Client;

namespace Oms.LoadHarness;

/// <summary>
/// One harness run: start the venue process, drive the engine then the HttpClient yardstick through the same
/// runs against it, reconcile the counts, report, and stop the venue whatever happened.
/// </summary>
internal sealed class Harness(HarnessOptions options, TextWriter output, TextWriter log)
{
    public const int Verified = 0;
    public const int CountsDidNotReconcile = 1;
    public const int CouldNotRun = 3;

    public async Task<int> RunAsync()
    {
        string omsDll = options.OmsDll ?? LocateOmsDll();
        if (!File.Exists(omsDll))
        {
            await log.WriteLineAsync($"oms.dll not found at {omsDll}: build src/Oms.Cli (same configuration) or pass --oms-dll.").ConfigureAwait(false);
            return CouldNotRun;
        }

        IReadOnlyList<string> machine = MachineInfo.Describe();
        if (options.VenuePace)
        {
            return await RunVenuePaceAsync(omsDll, machine).ConfigureAwait(false);
        }

        VenueProcess venue;
        try
        {
            venue = await VenueProcess.StartAsync(omsDll, options.EffectiveSeedOrders, options.VenueStreams, log).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            await log.WriteLineAsync(e.Message).ConfigureAwait(false);
            return CouldNotRun;
        }

        // Whatever ends this process (Ctrl+C, an unhandled exception, a normal exit), the venue goes with it.
        ConsoleCancelEventHandler onCancel = (_, _) => venue.KillNow();
        EventHandler onExit = (_, _) => venue.KillNow();
        Console.CancelKeyPress += onCancel;
        AppDomain.CurrentDomain.ProcessExit += onExit;
        ClientReport engine;
        ClientReport httpClient;
        string? isolation;
        string venueDescription;
        try
        {
            await using (venue.ConfigureAwait(false))
            {
                venueDescription = $"Venue: `oms venue` process {venue.ProcessId} at {venue.BaseUri}, {venue.Orders.Length:N0} seeded orders, {options.VenueStreams} streams per connection.";
                await log.WriteLineAsync(venueDescription).ConfigureAwait(false);
                var pool = new OrderPool(venue.Orders, venue.Symbol);
                using var recorder = new PhaseRecorder(options.MaxCancelsPerRun);
                var runner = new PhaseRunner(venue, pool, recorder, log);

                await using (var client = new EngineLoadClient(options, venue))
                {
                    engine = await RunClientAsync(runner, client).ConfigureAwait(false);
                    isolation = client.LastIsolation;
                }

                await using (var client = new HttpClientLoadClient(options, venue))
                {
                    httpClient = await RunClientAsync(runner, client).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is Http2ConnectException or HttpRequestException or IOException)
        {
            await log.WriteLineAsync($"A client could not run against the venue: {e}").ConfigureAwait(false);
            return CouldNotRun;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            AppDomain.CurrentDomain.ProcessExit -= onExit;
        }

        string table = ComparisonReport.Table(options, engine, httpClient, isolation);
        if (options.Json)
        {
            await output.WriteLineAsync(ComparisonReport.Json(engine, httpClient)).ConfigureAwait(false);
        }
        else
        {
            await output.WriteLineAsync(string.Join(Environment.NewLine, machine)).ConfigureAwait(false);
            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync(table).ConfigureAwait(false);
        }

        if (ResultsFile() is { } file)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, ComparisonReport.Markdown(options, table, machine, venueDescription)).ConfigureAwait(false);
            await log.WriteLineAsync($"results written to {file}").ConfigureAwait(false);
        }

        return engine.Verified && httpClient.Verified ? Verified : CountsDidNotReconcile;
    }

    private async Task<int> RunVenuePaceAsync(string omsDll, IReadOnlyList<string> machine)
    {
        var scenario = new Pace.VenuePaceScenario(options, log);
        VenueProcess venue;
        try
        {
            venue = await VenueProcess.StartAsync(omsDll, options.PaceSeedOrders, options.VenueStreams, log, scenario.VenueArguments).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            await log.WriteLineAsync(e.Message).ConfigureAwait(false);
            return CouldNotRun;
        }

        ConsoleCancelEventHandler onCancel = (_, _) => venue.KillNow();
        EventHandler onExit = (_, _) => venue.KillNow();
        Console.CancelKeyPress += onCancel;
        AppDomain.CurrentDomain.ProcessExit += onExit;
        Pace.VenuePaceReport report;
        string venueDescription;
        try
        {
            await using (venue.ConfigureAwait(false))
            {
                venueDescription = $"Venue: `oms venue {string.Join(' ', scenario.VenueArguments)}` process {venue.ProcessId} at {venue.BaseUri}, {venue.Orders.Length:N0} seeded orders, {options.VenueStreams} streams per connection.";
                await log.WriteLineAsync(venueDescription).ConfigureAwait(false);
                report = await scenario.RunAsync(venue).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is Http2ConnectException or HttpRequestException or IOException)
        {
            await log.WriteLineAsync($"A client could not run against the venue: {e}").ConfigureAwait(false);
            return CouldNotRun;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            AppDomain.CurrentDomain.ProcessExit -= onExit;
        }

        string table = report.Table();
        if (options.Json)
        {
            await output.WriteLineAsync(report.Json()).ConfigureAwait(false);
        }
        else
        {
            await output.WriteLineAsync(string.Join(Environment.NewLine, machine)).ConfigureAwait(false);
            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync(table).ConfigureAwait(false);
        }

        if (ResultsFile("-venue-pace") is { } file)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, ComparisonReport.Markdown(options, table, machine, venueDescription).Replace("# Load harness: engine vs HttpClient", "# Load harness: engine vs HttpClient at the venue's pace", StringComparison.Ordinal)).ConfigureAwait(false);
            await log.WriteLineAsync($"results written to {file}").ConfigureAwait(false);
        }

        return report.Verified ? Verified : CountsDidNotReconcile;
    }

    private async Task<ClientReport> RunClientAsync(PhaseRunner runner, ILoadClient client)
    {
        int capacity = options.MaxCancelsPerRun;
        PhaseResult? warmup = options.WarmupSeconds > 0
            ? await runner.RunAsync(client, new PhaseSpec(PhaseKind.Warmup, options.WarmupSeconds, 0, 0, options.Concurrency, capacity)).ConfigureAwait(false)
            : null;
        PhaseResult steady = await runner.RunAsync(client, new PhaseSpec(PhaseKind.Steady, options.DurationSeconds, options.Rate, 0, options.Concurrency, capacity)).ConfigureAwait(false);
        PhaseResult flatOut = await runner.RunAsync(client, new PhaseSpec(PhaseKind.FlatOut, options.DurationSeconds, 0, 0, options.Concurrency, capacity)).ConfigureAwait(false);
        PhaseResult mass = await runner.RunAsync(client, new PhaseSpec(PhaseKind.Mass, 0, 0, options.MassCount, options.Concurrency, capacity)).ConfigureAwait(false);

        // The latency configuration comes last, one-in-flight first: its lead-in also settles the code of the
        // spinning consumer (a specialisation of its own) before the second steady run, whose engine is fresh
        // and has no lead-in. A client without a wait strategy has only the one-in-flight run.
        WaitStrategyKind? latencyStrategy = client.HasWaitStrategy ? options.LatencyWaitStrategy : null;
        PhaseResult oneInFlight = await runner.RunAsync(
            client,
            new PhaseSpec(PhaseKind.OneInFlight, 0, 0, options.OneInFlightCancels, 1, capacity) { LeadIn = options.OneInFlightLeadIn, WaitStrategy = latencyStrategy, IsolateConsumer = true }).ConfigureAwait(false);
        PhaseResult? steadyLatencyConfig = client.HasWaitStrategy
            ? await runner.RunAsync(
                client,
                new PhaseSpec(PhaseKind.Steady, options.DurationSeconds, options.Rate, 0, options.Concurrency, capacity) { WaitStrategy = latencyStrategy, IsolateConsumer = true }).ConfigureAwait(false)
            : null;
        return new ClientReport(client.Name, warmup, steady, flatOut, mass, oneInFlight, steadyLatencyConfig);
    }

    private string? ResultsFile(string suffix = "")
    {
        string? directory = options.ResultsDirectory;
        if (directory is null)
        {
            if (options.Quick || RepositoryRoot() is not { } root)
            {
                return null;
            }

            directory = Path.Combine(root, "bench", "results");
        }

        string date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return Path.Combine(directory, $"{date}{suffix}{(options.Quick ? "-quick" : "")}.md");
    }

    // The harness runs from bench/Oms.LoadHarness/bin/<configuration>/net10.0/; the venue's oms.dll is built
    // by the same configuration under src/Oms.Cli.
    private static string LocateOmsDll()
    {
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Release";
        string root = RepositoryRoot() ?? Directory.GetCurrentDirectory();
        return Path.Combine(root, "src", "Oms.Cli", "bin", configuration, "net10.0", "oms.dll");
    }

    private static string? RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Oms.slnx")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
