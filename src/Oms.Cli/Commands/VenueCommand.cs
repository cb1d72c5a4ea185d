using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Oms.Cli.Arguments;
using Oms.Cli.Settings;
using Oms.Venue;

namespace Oms.Cli.Commands;

/// <summary><c>oms venue</c>: the venue simulator on its own, serving until stopped.</summary>
internal static class VenueCommand
{
    public const string Usage = "oms venue [--port P] [--tls] [--cert F --key F] [--api-key K --api-secret S --account-group G] [fault options]";

    public static readonly IReadOnlyList<OptionSpec> Options =
    [
        new("--settings", "FILE", "settings file (default ./runtimesettings.json when present)"),
        new("--port", "P", "TCP port to listen on (settings venue.port, default 8800; 0 picks a free one)"),
        new("--bind", "ADDRESS", "address to listen on (default 127.0.0.1)"),
        new("--tls", null, "serve TLS with ALPN h2 instead of h2c (prior knowledge)"),
        new("--cert", "FILE", "PEM server certificate for --tls (default: generate a CA and a certificate)"),
        new("--key", "FILE", "PEM private key matching --cert"),
        new("--ca-out", "FILE", "write the generated CA certificate (PEM) here, for clients to pin"),
        new("--api-key", "K", "the API key to accept (default: generated)"),
        new("--api-secret", "S", "the API secret to accept (default: generated)"),
        new("--account-group", "G", "the account group to accept (default: generated)"),
        new("--seed-orders", "N", "open orders to seed (settings venue.seedOrders, default 1000)"),
        new("--symbol", "S", "symbol of the seeded orders (settings venue.symbol, default BTC-PERP)"),
        new("--orders-out", "FILE", "write the seeded orders as 'symbol orderId' lines"),
        new("--max-concurrent-streams", "N", "SETTINGS_MAX_CONCURRENT_STREAMS per connection (settings venue.maxConcurrentStreams, default 100)"),
        new("--latency-ms", "MS", "fixed latency before every answer"),
        new("--jitter-ms", "MS", "random extra latency, uniform in [0, MS)"),
        new("--never-answer", "SHARE", "share of streams never answered (0..1)"),
        new("--server-error", "SHARE", "share answered HTTP 500 with 510001"),
        new("--too-many-requests", "SHARE", "share answered HTTP 429 with an HTML body"),
        new("--forbidden", "SHARE", "share answered HTTP 403 with an HTML body"),
        new("--retry-after", "SECONDS", "retry-after header on 429 and 403 answers"),
        new("--wrong-id", "SHARE", "share of answers echoing a wrong id"),
        new("--truncated-json", "SHARE", "share of answers with truncated JSON"),
        new("--non-json-body", "SHARE", "share of answers HTTP 200 with an HTML body instead of JSON"),
        new("--empty-body", "SHARE", "share of answers HTTP 200 with an empty body"),
        new("--reset-every", "N", "reset the connection at every Nth stream on it"),
        new("--goaway-every", "N", "send GOAWAY after every Nth stream on a connection"),
        new("--clock-offset-ms", "MS", "run the venue's clock ahead (or behind, negative) of real time"),
        new("--seed", "N", "seed for the fault draws (default fixed, for reproducible runs)"),
    ];

    public static async Task<int> RunAsync(ParsedArguments args, TextWriter output, CancellationToken stop)
    {
        var settings = RuntimeSettingsFile.Load(args.GetString("--settings"));
        var options = ReadOptions(args, settings);
        VenueServer venue;
        try
        {
            venue = await StartAsync(options, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            output.WriteLine("Stopped before serving.");
            return ExitCodes.Success;
        }

        await using var running = venue.ConfigureAwait(false);

        var symbol = args.GetString("--symbol") ?? settings.GetString("venue", "symbol", "BTC-PERP");
        var seedOrders = args.GetInt("--seed-orders", settings.GetInt("venue", "seedOrders", 1000), 0, 10_000_000);
        var seeded = venue.Book.SeedGenerated(seedOrders, symbol);
        if (args.GetString("--orders-out") is { } ordersOut)
        {
            await File.WriteAllLinesAsync(ordersOut, seeded.Select(id => symbol + " " + id), stop).ConfigureAwait(false);
        }

        if (args.GetString("--ca-out") is { } caOut)
        {
            if (venue.CaCertificatePem is null)
            {
                throw new UsageException("--ca-out needs --tls with a generated certificate");
            }

            venue.WriteCaCertificate(caOut);
        }

        var secretGiven = options.Credentials is not null;
        output.WriteLine($"Oms venue simulator listening on {venue.BaseUri} ({(venue.UsesTls ? "TLS, ALPN h2" : "h2c, prior knowledge")}, max {venue.MaxConcurrentStreams} streams per connection)");
        output.WriteLine($"  cancel (v1):   DELETE {venue.CancelUri()}");
        output.WriteLine($"  cancel (v2):   DELETE {venue.CancelUri(v2: true)}");
        output.WriteLine($"  stats:         GET {new Uri(venue.BaseUri, "/stats")}");
        output.WriteLine($"  account group: {venue.Credentials.AccountGroup}");
        output.WriteLine($"  api key:       {venue.Credentials.ApiKey}");
        output.WriteLine(secretGiven
            ? "  api secret:    (the one you gave)"
            : $"  api secret:    {venue.Credentials.ApiSecret}   (generated demo secret)");
        if (args.GetString("--ca-out") is { } written)
        {
            output.WriteLine($"  CA certificate written to {written}");
        }

        output.WriteLine($"  seeded {seeded.Count} open {symbol} orders, e.g.:");
        foreach (var orderId in seeded.Take(3))
        {
            output.WriteLine($"    {orderId}");
        }

        if (venue.Faults != VenueFaults.None)
        {
            output.WriteLine($"  faults: {venue.Faults}");
        }

        output.WriteLine("Serving until Ctrl+C.");
        try
        {
            await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM: fall through to the summary and a graceful stop.
        }

        var stats = venue.Stats;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Stopped. connections {stats.ConnectionsOpened}, streams {stats.Streams}, acked {stats.Acked}, rejected {stats.Rejected}, duplicate ids {stats.DuplicateRequestIds}"));
        return ExitCodes.Success;
    }

    /// <summary>Starts the venue; what the operator can fix (a port in use, a certificate that does not load) is a usage error.</summary>
    private static async Task<VenueServer> StartAsync(VenueOptions options, CancellationToken stop)
    {
        try
        {
            return await VenueServer.StartAsync(options, stop).ConfigureAwait(false);
        }
        catch (IOException e) when (FindSocketError(e) is { } socketError)
        {
            var reason = socketError.SocketErrorCode == SocketError.AddressAlreadyInUse ? "the address is already in use" : socketError.Message;
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"cannot listen on {options.BindAddress}:{options.Port}: {reason} (choose another --port, or 0 for a free one)"));
        }
        catch (CryptographicException e) when (options.CertificatePath is not null)
        {
            throw new UsageException($"cannot load the TLS certificate '{options.CertificatePath}' with key '{options.KeyPath}': {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    private static SocketException? FindSocketError(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is SocketException socketError)
            {
                return socketError;
            }
        }

        return null;
    }

    internal static VenueOptions ReadOptions(ParsedArguments args, RuntimeSettingsFile settings)
    {
        var key = args.GetString("--api-key");
        var secret = args.GetString("--api-secret");
        var group = args.GetString("--account-group");
        VenueCredentials? credentials = null;
        if (key is not null || secret is not null || group is not null)
        {
            if (key is null || secret is null || group is null)
            {
                throw new UsageException("--api-key, --api-secret and --account-group go together: give all three or none");
            }

            credentials = new VenueCredentials(key, secret, group);
        }

        var cert = args.GetString("--cert");
        var keyFile = args.GetString("--key");
        if ((cert is null) != (keyFile is null))
        {
            throw new UsageException("--cert and --key go together");
        }

        if (cert is not null && !args.Has("--tls"))
        {
            throw new UsageException("--cert and --key need --tls");
        }

        foreach (var file in new[] { cert, keyFile })
        {
            if (file is not null && !File.Exists(file))
            {
                throw new UsageException($"cannot read file '{file}'");
            }
        }

        var bind = IPAddress.Loopback;
        if (args.GetString("--bind") is { } bindText && !IPAddress.TryParse(bindText, out bind!))
        {
            throw new UsageException($"--bind needs an IP address, not '{bindText}'");
        }

        var faults = new VenueFaults
        {
            LatencyMs = args.GetInt("--latency-ms", 0, 0),
            JitterMs = args.GetInt("--jitter-ms", 0, 0),
            NeverAnswerShare = args.GetShare("--never-answer"),
            ServerErrorShare = args.GetShare("--server-error"),
            TooManyRequestsShare = args.GetShare("--too-many-requests"),
            ForbiddenShare = args.GetShare("--forbidden"),
            RetryAfterSeconds = args.GetInt("--retry-after", 0, 0),
            WrongIdShare = args.GetShare("--wrong-id"),
            TruncatedJsonShare = args.GetShare("--truncated-json"),
            NonJsonBodyShare = args.GetShare("--non-json-body"),
            EmptyBodyShare = args.GetShare("--empty-body"),
            ResetEveryNStreams = args.GetInt("--reset-every", 0, 0),
            GoAwayEveryNStreams = args.GetInt("--goaway-every", 0, 0),
            ClockOffsetMs = args.GetLong("--clock-offset-ms", 0),
        };
        try
        {
            faults.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }

        return new VenueOptions
        {
            Port = args.GetInt("--port", settings.GetInt("venue", "port", 8800), 0, 65535),
            BindAddress = bind,
            UseTls = args.Has("--tls"),
            CertificatePath = cert,
            KeyPath = keyFile,
            Credentials = credentials,
            MaxConcurrentStreams = args.GetInt("--max-concurrent-streams", settings.GetInt("venue", "maxConcurrentStreams", 100), 1),
            Faults = faults,
            Seed = args.GetInt("--seed", 20261125),
        };
    }
}
