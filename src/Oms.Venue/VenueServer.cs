using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Oms.Venue.Book;
using Oms.Venue.Connections;
using Oms.Venue.Handling;
using Oms.Venue.Stats;
using Oms.Venue.Streaming;
using Oms.Venue.Tls;

namespace Oms.Venue;

/// <summary>
/// The AscendEX futures cancel venue, simulated: a real HTTP/2 server on Kestrel that checks every request as the
/// contract says, keeps a book of open orders, misbehaves on request, and counts what it saw.
/// </summary>
/// <remarks>
/// Start it with <see cref="StartAsync"/>, stop it with <see cref="DisposeAsync"/>. Endpoints:
/// <c>DELETE /{group}/api/pro/v1/futures/order</c>, <c>DELETE /{group}/api/pro/v2/futures/order</c>, the batch cancel
/// <c>DELETE /{group}/api/pro/v1/futures/order/batch</c> and the cancel-all <c>DELETE /{group}/api/pro/v1/futures/order/all</c>
/// (and their v2 twins),
/// <c>GET /{group}/api/pro/v1/futures/order/status</c> (and its v2 twin), <c>GET /{group}/api/pro/v1/futures/order/open</c>,
/// the private order stream <c>/{group}/api/pro/v1/stream</c> (and <c>/v2/stream</c>, WebSocket over HTTP/2, RFC 8441)
/// and <c>GET /stats</c>. HTTP/2 only: h2c with prior knowledge, or TLS with ALPN <c>h2</c>.
/// Every member is safe to use from any thread.
/// </remarks>
public sealed class VenueServer : IAsyncDisposable
{
    /// <summary>How far a timestamp may be from the venue's clock, either way: the exchange's 30 s.</summary>
    public const long TimeWindowMs = 30_000;

    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(5);

    // The order endpoints other than the single cancel, each with its path after "/{group}" and its rules' profile.
    private static readonly (OrderRoute Route, VenueApiProfile Profile, string Suffix)[] s_orderRoutes =
    [
        (OrderRoute.Batch, VenueApiProfile.V1, BatchCancelEndpoint.V1Path),
        (OrderRoute.Batch, VenueApiProfile.V2, BatchCancelEndpoint.V2Path),
        (OrderRoute.CancelAll, VenueApiProfile.V1, CancelAllEndpoint.V1Path),
        (OrderRoute.CancelAll, VenueApiProfile.V2, CancelAllEndpoint.V2Path),
        (OrderRoute.Status, VenueApiProfile.V1, OrderQueryEndpoint.V1StatusPath),
        (OrderRoute.Status, VenueApiProfile.V2, OrderQueryEndpoint.V2StatusPath),
        (OrderRoute.OpenOrders, VenueApiProfile.V1, OrderQueryEndpoint.OpenOrdersPath),
    ];

    private readonly VenueOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private VenueCertificates? _certificates;
    private CancelEndpoint? _cancel;
    private OrderQueryEndpoint? _queries;
    private BatchCancelEndpoint? _batch;
    private CancelAllEndpoint? _cancelAll;
    private RateLimiter? _rateLimiter;
    private OrderStreamHub? _streamHub;
    private OrderStreamEndpoint? _stream;
    private VenueFaults _faults;
    private long _faultsSinceMs = Environment.TickCount64;
    private int _disposed;

    private VenueServer(VenueOptions options, VenueCredentials credentials)
    {
        _options = options;
        _faults = options.Faults;
        Credentials = credentials;
        Book = options.Book ?? new OrderBook();
        Stats = options.Stats ?? new VenueStats();
    }

    /// <summary>The account this venue accepts.</summary>
    public VenueCredentials Credentials { get; }

    /// <summary>The open orders.</summary>
    public OrderBook Book { get; }

    /// <summary>The counters.</summary>
    public VenueStats Stats { get; }

    /// <summary>The base URL, <c>http://127.0.0.1:port/</c> or <c>https://localhost:port/</c>.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The TCP port the venue listens on.</summary>
    public int Port => BaseUri.Port;

    /// <summary>True when serving TLS.</summary>
    public bool UsesTls => _options.UseTls;

    /// <summary>The max concurrent streams per connection the venue advertises.</summary>
    public int MaxConcurrentStreams => _options.MaxConcurrentStreams;

    /// <summary>The CA certificate (PEM) that issued the generated server certificate; null for h2c or given files.</summary>
    public string? CaCertificatePem => _certificates?.CaCertificatePem;

    /// <summary>The faults in force; assign a new object to change them while running.</summary>
    public VenueFaults Faults
    {
        get => Volatile.Read(ref _faults);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            Volatile.Write(ref _faults, value);
            Volatile.Write(ref _faultsSinceMs, Environment.TickCount64);
        }
    }

    internal CancellationToken Stopping => _stopping.Token;

    internal int MaxBodyBytes => _options.MaxBodyBytes;

    /// <summary>Milliseconds since the faults in force took effect (at start, or when last assigned).</summary>
    internal long FaultsAgeMs => Environment.TickCount64 - Volatile.Read(ref _faultsSinceMs);

    /// <summary>The venue's clock in Unix milliseconds, with the configured offset applied.</summary>
    public long NowMs() => _options.Clock.GetUtcNow().ToUnixTimeMilliseconds() + Faults.ClockOffsetMs;

    /// <summary>The full URL of a cancel endpoint for the venue's account group.</summary>
    /// <param name="v2">The v2 endpoint instead of the contract's v1.</param>
    public Uri CancelUri(bool v2 = false) =>
        new(BaseUri, "/" + Credentials.AccountGroup + (v2 ? VenueApiProfile.V2.PathSuffix : VenueApiProfile.V1.PathSuffix));

    /// <summary>The full URL of the private order stream for the venue's account group, <c>ws://</c> or <c>wss://</c>.</summary>
    /// <param name="v2">The v2 stream (<c>/api/pro/v2/stream</c>, channel <c>futures-order</c>) instead of v1 (<c>order:futures</c>).</param>
    public Uri StreamUri(bool v2 = false) =>
        new UriBuilder(new Uri(BaseUri, "/" + Credentials.AccountGroup + (v2 ? StreamProfile.V2.PathSuffix : StreamProfile.V1.PathSuffix)))
        {
            Scheme = UsesTls ? "wss" : "ws",
        }.Uri;

    /// <summary>Writes <see cref="CaCertificatePem"/> to a file, for clients that pin a CA file.</summary>
    public void WriteCaCertificate(string path)
    {
        var pem = CaCertificatePem ?? throw new InvalidOperationException("This venue has no generated CA: it serves h2c or a certificate from files.");
        File.WriteAllText(path, pem);
    }

    /// <summary>Starts a venue and returns once it accepts connections.</summary>
    public static async Task<VenueServer> StartAsync(VenueOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Faults.Validate();
        options.ValidateMatching();
        options.ValidateStream();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrentStreams, 1);
        if ((options.CertificatePath is null) != (options.KeyPath is null))
        {
            throw new ArgumentException("A certificate file and a key file go together: give both or neither.", nameof(options));
        }

        var venue = new VenueServer(options, options.Credentials ?? VenueCredentials.Generate());
        try
        {
            await venue.StartCoreAsync(cancellationToken).ConfigureAwait(false);
            return venue;
        }
        catch
        {
            await venue.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        if (_options.UseTls)
        {
            _certificates = _options.CertificatePath is not null
                ? VenueCertificates.FromPemFiles(_options.CertificatePath, _options.KeyPath!)
                : VenueCertificates.Generate();
        }

        var tracker = new ConnectionTracker(Stats);
        var matching = new MatchingRules(this, _options.Seed, _options.FillBeforeCancelShare, _options.FillAfterAckShare, _options.CancelDelayMs);
        _cancel = new CancelEndpoint(this, tracker, _options.AccountId, _options.Seed, matching);
        _queries = new OrderQueryEndpoint(this, _options.AccountId, _options.StatusLeavesOutUnknownIds);
        _batch = new BatchCancelEndpoint(this, _options.AccountId, _options.Seed, matching);
        _cancelAll = new CancelAllEndpoint(this, _options.AccountId, _options.Seed, matching);
        _rateLimiter = _options.RateLimitPerSecond > 0 ? new RateLimiter(_options.RateLimitPerSecond, _options.Clock) : null;
        _streamHub = new OrderStreamHub(Book);
        _stream = new OrderStreamEndpoint(this, _streamHub, _options.AccountId, _options.Seed, _options.StreamPingIntervalMs, _options.StreamQueueCapacity);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(host => host.ShutdownTimeout = s_stopTimeout);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.Http2.MaxStreamsPerConnection = _options.MaxConcurrentStreams;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Listen(_options.BindAddress, _options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.Use(next => connection => tracker.OnConnectionAsync(connection, next));
                if (_certificates is not null)
                {
                    listen.UseHttps(_certificates.Server);
                }
            });
        });

        var app = builder.Build();
        app.UseWebSockets();
        app.Run(HandleAsync);
        _app = app;
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _faultsSinceMs, Environment.TickCount64);

        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        // The generated certificate names localhost; only the standard loopback addresses are reached by that name.
        var isStandardLoopback = _options.BindAddress.Equals(System.Net.IPAddress.Loopback) || _options.BindAddress.Equals(System.Net.IPAddress.IPv6Loopback);
        var host = _options.UseTls && isStandardLoopback ? "localhost" : bound.Host;
        BaseUri = new UriBuilder(_options.UseTls ? "https" : "http", host, bound.Port).Uri;
    }

    private Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (TryMatchGroupPath(path, StreamProfile.V1.PathSuffix, out var streamGroup))
        {
            return _stream!.HandleAsync(context, StreamProfile.V1, streamGroup);
        }

        if (TryMatchGroupPath(path, StreamProfile.V2.PathSuffix, out streamGroup))
        {
            return _stream!.HandleAsync(context, StreamProfile.V2, streamGroup);
        }

        if (TryRouteOrderRequest(context, path) is { } handled)
        {
            return handled;
        }

        Stats.OnOtherRequest();
        if (path == "/stats" && HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.ContentType = "application/json";
            return context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(Stats.Snapshot(), VenueStatsJsonContext.Default.VenueStatsSnapshot)).AsTask();
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    /// <summary>The order endpoints, behind the rate limit; null when the path is none of them.</summary>
    private Task? TryRouteOrderRequest(HttpContext context, string path)
    {
        var route = MatchOrderRoute(path, out var profile, out var group);
        if (route == OrderRoute.None)
        {
            return null;
        }

        // The limit stands in front of the venue, as the exchange's CDN does: it counts requests whatever they hold.
        if (_rateLimiter is not null && !_rateLimiter.TryAcquire(context.Request.Headers["x-auth-key"].ToString()))
        {
            return AnswerRateLimitedAsync(context);
        }

        return route switch
        {
            OrderRoute.Cancel => _cancel!.HandleAsync(context, profile, group),
            OrderRoute.Batch => _batch!.HandleAsync(context, profile, group),
            OrderRoute.CancelAll => _cancelAll!.HandleAsync(context, profile.IsV2, group),
            OrderRoute.Status => _queries!.HandleStatusAsync(context, group, profile.IsV2),
            _ => _queries!.HandleOpenOrdersAsync(context, group),
        };
    }

    private static OrderRoute MatchOrderRoute(string path, out VenueApiProfile profile, out string group)
    {
        if (TryMatchCancelPath(path, out profile, out group))
        {
            return OrderRoute.Cancel;
        }

        foreach (var (route, candidate, suffix) in s_orderRoutes)
        {
            if (TryMatchGroupPath(path, suffix, out group))
            {
                profile = candidate;
                return route;
            }
        }

        profile = VenueApiProfile.V1;
        return OrderRoute.None;
    }

    private Task AnswerRateLimitedAsync(HttpContext context)
    {
        Stats.OnRateLimited();
        var response = context.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.ContentType = "text/html";
        response.ContentLength = VenueAnswers.TooManyRequestsHtml.Length;
        if (Faults.RetryAfterSeconds > 0)
        {
            response.Headers.RetryAfter = Faults.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return response.Body.WriteAsync(VenueAnswers.TooManyRequestsHtml, context.RequestAborted).AsTask();
    }

    private static bool TryMatchCancelPath(string path, out VenueApiProfile profile, out string group)
    {
        foreach (var candidate in (ReadOnlySpan<VenueApiProfile>)[VenueApiProfile.V1, VenueApiProfile.V2])
        {
            if (TryMatchGroupPath(path, candidate.PathSuffix, out group))
            {
                profile = candidate;
                return true;
            }
        }

        profile = VenueApiProfile.V1;
        group = "";
        return false;
    }

    private static bool TryMatchGroupPath(string path, string suffix, out string group)
    {
        // "/{group}{suffix}": the group is whatever single segment precedes the API path.
        if (path.Length > suffix.Length + 1 && path[0] == '/' && path.EndsWith(suffix, StringComparison.Ordinal))
        {
            var segment = path.AsSpan(1, path.Length - suffix.Length - 1);
            if (!segment.Contains('/'))
            {
                group = segment.ToString();
                return true;
            }
        }

        group = "";
        return false;
    }

    /// <summary>Stops serving: streams held open are ended, connections closed, within a few seconds.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_app is not null)
        {
            using var timeout = new CancellationTokenSource(s_stopTimeout);
            try
            {
                await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                await _app.DisposeAsync().ConfigureAwait(false);
            }
        }

        _streamHub?.Dispose();
        _certificates?.Dispose();
        _stopping.Dispose();
    }

    private enum OrderRoute
    {
        None,
        Cancel,
        Batch,
        CancelAll,
        Status,
        OpenOrders,
    }
}
