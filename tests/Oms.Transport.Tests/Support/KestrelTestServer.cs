using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Oms.Transport.Tests.Support;

/// <summary>
/// A plain Kestrel HTTP/2 server on loopback with odd endpoints, for client behaviour the venue has no reason to
/// show: <c>/ok</c>, <c>/reset</c> (RST_STREAM through <see cref="HttpContext.Abort"/>), <c>/large</c> (a 1 MiB
/// body), <c>/never</c> (no answer until the client gives up or the server stops), <c>/status/{code}</c> (with
/// the request's <c>x-retry-after</c>, if any, as its <c>retry-after</c>),
/// <c>/echo</c> (the request body back) and <c>/headers</c> (the request's method, path, scheme, host and
/// <c>content-type</c> and <c>x-*</c> headers, one <c>name=value</c> line each).
/// </summary>
/// <remarks>h2c with prior knowledge, or TLS with ALPN h2. Dispose to stop; held requests end at once.</remarks>
internal sealed class KestrelTestServer : IAsyncDisposable
{
    public const int LargeBodyLength = 1 << 20;

    private readonly CancellationTokenSource _stopping = new();

    // Every open connection by id, so that an endpoint can kill the whole connection it is answering on.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Microsoft.AspNetCore.Connections.ConnectionContext> _connections = new();
    private WebApplication? _app;
    private VenueCertificates? _certificates;
    private long _requests;
    private int _held;

    private KestrelTestServer()
    {
    }

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Requests that reached an endpoint.</summary>
    public long Requests => Volatile.Read(ref _requests);

    /// <summary>Requests on <c>/never</c> being held right now.</summary>
    public int Held => Volatile.Read(ref _held);

    public string? CaCertificatePem => _certificates?.CaCertificatePem;

    /// <summary>The body of <c>/large</c>: byte i is (i * 31 + i / 251) mod 256, so a shifted or dropped frame shows.</summary>
    public static byte[] LargeBody()
    {
        var body = new byte[LargeBodyLength];
        for (var i = 0; i < body.Length; i++)
        {
            body[i] = (byte)((i * 31) + (i / 251));
        }

        return body;
    }

    public static async Task<KestrelTestServer> StartAsync(KestrelTestServerOptions? options = null)
    {
        options ??= new KestrelTestServerOptions();
        var server = new KestrelTestServer();
        try
        {
            await server.StartCoreAsync(options);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public void WriteCaCertificate(string path) =>
        File.WriteAllText(path, CaCertificatePem ?? throw new InvalidOperationException("This server serves h2c."));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _app.StopAsync(timeout.Token);
            }
            finally
            {
                await _app.DisposeAsync();
            }
        }

        _certificates?.Dispose();
        _stopping.Dispose();
    }

    private async Task StartCoreAsync(KestrelTestServerOptions options)
    {
        if (options.UseTls)
        {
            _certificates = VenueCertificates.Generate();
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
            if (options.HeaderTableSize is { } size)
            {
                kestrel.Limits.Http2.HeaderTableSize = size;
            }

            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = options.Http1Only ? HttpProtocols.Http1 : HttpProtocols.Http2;
                listen.Use(next => async connection =>
                {
                    _connections[connection.ConnectionId] = connection;
                    try
                    {
                        await next(connection);
                    }
                    finally
                    {
                        _connections.TryRemove(connection.ConnectionId, out _);
                    }
                });
                if (_certificates is not null)
                {
                    listen.UseHttps(_certificates.Server);
                }
            });
        });

        var app = builder.Build();
        app.Run(HandleAsync);
        _app = app;
        await app.StartAsync();
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        BaseUri = new UriBuilder(options.UseTls ? "https" : "http", options.UseTls ? "localhost" : "127.0.0.1", bound.Port).Uri;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var path = context.Request.Path.Value ?? "";
        switch (path)
        {
            case "/ok":
                await context.Response.Body.WriteAsync("ok"u8.ToArray());
                return;
            case "/reset":
                context.Abort();
                return;
            case "/kill-connection":
                // Half a body on the wire, then the whole TCP connection dropped: not a stream reset, a lost connection.
                context.Response.ContentLength = 1000;
                await context.Response.Body.WriteAsync(new byte[500]);
                await context.Response.Body.FlushAsync();
                await Task.Delay(50);
                _connections[context.Connection.Id].Abort();
                return;
            case "/large":
                context.Response.ContentLength = LargeBodyLength;
                await context.Response.Body.WriteAsync(LargeBody());
                return;
            case "/never":
                await HoldAsync(context);
                return;
            case "/echo":
                await EchoAsync(context);
                return;
            case "/headers":
                await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(DescribeHeaders(context.Request)));
                return;
        }

        if (path.StartsWith("/status/", StringComparison.Ordinal) && int.TryParse(path.AsSpan(8), CultureInfo.InvariantCulture, out var status))
        {
            context.Response.StatusCode = status;
            if (context.Request.Headers.TryGetValue("x-retry-after", out var retryAfter))
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }

            if (status is not (204 or 304))
            {
                await context.Response.Body.WriteAsync(Encoding.ASCII.GetBytes("status " + status.ToString(CultureInfo.InvariantCulture)));
            }

            return;
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    private async Task HoldAsync(HttpContext context)
    {
        Interlocked.Increment(ref _held);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            await Task.Delay(Timeout.Infinite, linked.Token);
        }
        catch (OperationCanceledException)
        {
            context.Abort();
        }
        finally
        {
            Interlocked.Decrement(ref _held);
        }
    }

    private static async Task EchoAsync(HttpContext context)
    {
        using var copy = new MemoryStream();
        await context.Request.Body.CopyToAsync(copy);
        context.Response.ContentLength = copy.Length;
        await context.Response.Body.WriteAsync(copy.GetBuffer().AsMemory(0, (int)copy.Length));
    }

    private static string DescribeHeaders(HttpRequest request)
    {
        var text = new StringBuilder()
            .Append("method=").Append(request.Method).Append('\n')
            .Append("path=").Append(request.Path.Value).Append('\n')
            .Append("scheme=").Append(request.Scheme).Append('\n')
            .Append("host=").Append(request.Host.Value).Append('\n');
        foreach (var header in request.Headers.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            if (header.Key.Equals("content-type", StringComparison.OrdinalIgnoreCase) || header.Key.StartsWith("x-", StringComparison.OrdinalIgnoreCase))
            {
                text.Append(header.Key.ToLowerInvariant()).Append('=').Append(header.Value.ToString()).Append('\n');
            }
        }

        return text.ToString();
    }
}
