using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Oms.Cli.Syntax;
using Oms.Cli.Settings;
using Oms.Venue;

namespace Oms.Cli.Commands;

/// <summary><c>oms venue</c>: the venue simulator on its own, serving until stopped.</summary>
internal static class VenueCommand
{
    /// <summary>The settings section the simulator reads its defaults from.</summary>
    public const string Section = "venue";

    /// <summary>How long after an Ack the standalone venue lets a cancel take effect: small, as the exchange's own lag is.</summary>
    public const int DefaultCancelDelayMs = 2;

    /// <summary>The keys of the <c>venue</c> section and what each accepts.</summary>
    public static readonly IReadOnlyDictionary<string, SettingSpec> SettingsKeys = new Dictionary<string, SettingSpec>(StringComparer.Ordinal)
    {
        ["port"] = SettingSpec.WholeNumber(0, 65535),
        ["maxConcurrentStreams"] = SettingSpec.WholeNumber(1, int.MaxValue),
        ["seedOrders"] = SettingSpec.WholeNumber(0, 10_000_000),
        ["symbol"] = SettingSpec.Text(nullable: false),
    };

    public static async Task<ExitCode> RunAsync(OptionValues args, CommandContext context)
    {
        var (output, stop) = (context.Output, context.Stop);
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
            return ExitCode.Success;
        }

        await using var running = venue.ConfigureAwait(false);

        var symbol = args.GetString("--symbol") ?? settings.GetString(Section, "symbol", "BTC-PERP");
        var seedOrders = args.GetInt("--seed-orders", settings.GetInt(Section, "seedOrders", 1000), 0, 10_000_000);
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

        if (args.GetString("--env-out") is { } envOut)
        {
            WriteEnvironment(envOut, venue, symbol, seeded);
        }

        var secretGiven = options.Credentials is not null;
        output.WriteLine($"Oms venue simulator listening on {venue.BaseUri} ({(venue.UsesTls ? "TLS, ALPN h2" : "h2c, prior knowledge")}, max {venue.MaxConcurrentStreams} streams per connection)");
        output.WriteLine($"  cancel (v1):   DELETE {venue.CancelUri()}");
        output.WriteLine($"  cancel (v2):   DELETE {venue.CancelUri(v2: true)}");
        output.WriteLine($"  batch cancel:  DELETE {new Uri(venue.BaseUri, "/" + venue.Credentials.AccountGroup + "/api/pro/v1/futures/order/batch")} (v2: /api/pro/v2/futures/order/batch)");
        output.WriteLine($"  cancel all:    DELETE {new Uri(venue.BaseUri, "/" + venue.Credentials.AccountGroup + "/api/pro/v1/futures/order/all")} (v2: /api/pro/v2/futures/order/all)");
        output.WriteLine($"  status:        GET {new Uri(venue.BaseUri, "/" + venue.Credentials.AccountGroup + "/api/pro/v1/futures/order/status")}?orderId=ID[,ID...]");
        output.WriteLine($"  open orders:   GET {new Uri(venue.BaseUri, "/" + venue.Credentials.AccountGroup + "/api/pro/v1/futures/order/open")}");
        output.WriteLine($"  order stream:  {venue.StreamUri()} (v2: {venue.StreamUri(v2: true)}; WebSocket over HTTP/2, RFC 8441)");
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

        if (args.GetString("--env-out") is { } envWritten)
        {
            output.WriteLine($"  shell variables written to {envWritten} (source it: . {envWritten})");
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
            $"Stopped. connections {stats.ConnectionsOpened}, streams {stats.Streams}, acked {stats.Acked}, rejected {stats.Rejected}, duplicate ids {stats.DuplicateRequestIds}, canceled {stats.OrdersCanceled}, filled before cancel {stats.FilledBeforeCancel}, filled after ack {stats.FilledAfterAck}, status requests {stats.StatusRequests}, batches {stats.BatchRequests}, cancel-alls {stats.CancelAllRequests}, rate-limited {stats.RateLimited}, stream sessions {stats.StreamSessions}, stream messages {stats.StreamMessagesSent}"));
        return ExitCode.Success;
    }

    /// <summary>Starts the venue; what the operator can fix (a port in use, a certificate that does not load) is a usage error.</summary>
    /// <summary>
    /// Writes what a shell needs to probe this venue as <c>export</c> lines, readable by the owner only (it holds the
    /// secret), and moved into place whole, so a script waiting for the file never reads half of it.
    /// </summary>
    internal static void WriteEnvironment(string path, VenueServer venue, string symbol, IReadOnlyList<string> seeded)
    {
        var group = venue.Credentials.AccountGroup;
        var lines = new (string Name, string Value)[]
        {
            ("OMS_BASE_URL", venue.BaseUri.ToString()),
            ("OMS_ACCOUNT_GROUP", group),
            ("OMS_CANCEL_URL", venue.CancelUri().ToString()),
            ("OMS_STATUS_URL", new Uri(venue.BaseUri, "/" + group + "/api/pro/v1/futures/order/status").ToString()),
            ("OMS_OPEN_ORDERS_URL", new Uri(venue.BaseUri, "/" + group + "/api/pro/v1/futures/order/open").ToString()),
            ("OMS_STATS_URL", new Uri(venue.BaseUri, "/stats").ToString()),
            ("OMS_STREAM_URL", venue.StreamUri().ToString()),
            (CommandContext.ApiKeyVariable, venue.Credentials.ApiKey),
            (CommandContext.ApiSecretVariable, venue.Credentials.ApiSecret),
            ("OMS_SYMBOL", symbol),
            ("OMS_ORDER", seeded.Count > 0 ? seeded[0] : ""),
            ("OMS_ORDERS", string.Join(' ', seeded.Take(10))),
        };
        var text = string.Concat(lines.Select(line => $"export {line.Name}='{line.Value.Replace("'", "'\\''", StringComparison.Ordinal)}'\n"));
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

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

    internal static VenueOptions ReadOptions(OptionValues args, RuntimeSettingsFile settings)
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
            StatusDelayMs = args.GetInt("--status-delay-ms", 0, 0),
            StatusFails = args.Has("--status-fails"),
            StreamDropShare = args.GetShare("--stream-drop-share"),
            StreamCloseEveryN = args.GetInt("--stream-close-every", 0, 0),
            StreamRefuseMs = args.GetInt("--stream-refuse-ms", 0, 0),
            BatchWrongInfoShare = args.GetShare("--batch-wrong-info-share"),
            CancelAllSurvivorShare = args.GetShare("--cancel-all-survivors"),
            CancelAllSurvivorWindowMs = args.GetInt("--cancel-all-survivor-window-ms", 1000, 0),
        };
        var options = new VenueOptions
        {
            Port = args.GetInt("--port", settings.GetInt(Section, "port", 8800), 0, 65535),
            BindAddress = bind,
            UseTls = args.Has("--tls"),
            CertificatePath = cert,
            KeyPath = keyFile,
            Credentials = credentials,
            MaxConcurrentStreams = args.GetInt("--max-concurrent-streams", settings.GetInt(Section, "maxConcurrentStreams", 100), 1),
            Faults = faults,
            Seed = args.GetInt("--seed", 20261125),
            FillBeforeCancelShare = args.GetShare("--fill-before-cancel"),
            FillAfterAckShare = args.GetShare("--fill-after-ack"),
            CancelDelayMs = args.GetInt("--cancel-delay-ms", DefaultCancelDelayMs, 0),
            StatusLeavesOutUnknownIds = !args.Has("--status-refuses-unknown"),
            StreamPingIntervalMs = args.GetInt("--stream-ping-ms", 15_000, 1),
            RateLimitPerSecond = args.GetInt("--rate-limit", 0, 0, VenueOptions.MaxRateLimitPerSecond),
        };
        try
        {
            faults.Validate();
            options.ValidateMatching();
            options.ValidateStream();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }

        return options;
    }
}
