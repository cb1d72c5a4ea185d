using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Oms.Engine.Tests.Confirmation;

/// <summary>
/// A minimal private-stream venue for the stream's tests: Kestrel, HTTP/2 cleartext only (like the simulator), WebSockets
/// over extended CONNECT. It checks each upgrade's signature with its own HMAC (not the production signer), refuses the
/// attempts a test asks it to, and runs the test's script on each accepted socket. Disposing it stops everything within
/// seconds.
/// </summary>
internal sealed class ScriptedStreamServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Func<StreamSession, Task> _script;
    private readonly Func<int, int> _refuseWith;
    private readonly CancellationTokenSource _stopping = new();
    private int _attempts;

    private ScriptedStreamServer(WebApplication app, Func<StreamSession, Task> script, Func<int, int>? refuseWith)
    {
        _app = app;
        _script = script;
        _refuseWith = refuseWith ?? (_ => 0);
    }

    public const string ApiKey = "stream-test-key";
    public const string Secret = "hV8FgjyJtpvVeAcMAgzgAFQCN36wmbWuN7o3WPcYcYhFd8qvE43gzFGVsFcCqMNk";

    public static ApiCredentials Credentials => new(ApiKey, Secret);

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Every upgrade attempt, accepted or not, in arrival order.</summary>
    public ConcurrentQueue<UpgradeAttempt> Attempts { get; } = new();

    /// <summary>Every accepted session.</summary>
    public ConcurrentQueue<StreamSession> Sessions { get; } = new();

    /// <param name="script">Runs on each accepted socket; the socket is aborted when it returns.</param>
    /// <param name="refuseWith">The HTTP status to refuse attempt number n (1-based) with, or 0 to accept it.</param>
    /// <param name="tlsCertificate">When set, TLS with this certificate (HTTP/1.1 and HTTP/2 by ALPN) and an https base URL on localhost.</param>
    /// <param name="http1Only">With TLS, HTTP/1.1 only: ALPN never picks h2, as at a venue without RFC 8441.</param>
    public static async Task<ScriptedStreamServer> StartAsync(
        Func<StreamSession, Task> script, Func<int, int>? refuseWith = null, X509Certificate2? tlsCertificate = null, bool http1Only = false)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                if (tlsCertificate is null)
                {
                    listen.Protocols = HttpProtocols.Http2;
                }
                else
                {
                    listen.Protocols = http1Only ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(tlsCertificate);
                }
            });
        });
        var app = builder.Build();
        var server = new ScriptedStreamServer(app, script, refuseWith);
        app.UseWebSockets();
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        server.BaseUri = tlsCertificate is null ? new UriBuilder("http", bound.Host, bound.Port).Uri : new UriBuilder("https", "localhost", bound.Port).Uri;
        return server;
    }

    /// <summary>The signature of <c>&lt;timestamp&gt;+&lt;prehash&gt;</c>, computed here without the production signer.</summary>
    public static string Sign(string timestamp, string prehash) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(timestamp + "+" + prehash)));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        foreach (var session in Sessions)
        {
            session.Socket.Abort();
        }

        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(bound.Token);
        }
        finally
        {
            await _app.DisposeAsync();
            _stopping.Dispose();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        int number = Interlocked.Increment(ref _attempts);
        var headers = context.Request.Headers;
        string timestamp = headers["x-auth-timestamp"].ToString();
        string signature = headers["x-auth-signature"].ToString();
        string prehash = (context.Request.Path.Value ?? "").Contains("/v2/", StringComparison.Ordinal) ? "v2/stream" : "stream";
        bool signed = headers["x-auth-key"].ToString() == ApiKey && timestamp.Length == 13 && signature == Sign(timestamp, prehash);
        Attempts.Enqueue(new UpgradeAttempt(Stopwatch.GetTimestamp(), number, context.Request.Protocol, context.Request.Path.Value ?? "", headers["x-auth-key"].ToString(), timestamp, signature, signed));
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        int refusal = signed ? _refuseWith(number) : StatusCodes.Status401Unauthorized;
        if (refusal != 0)
        {
            context.Response.StatusCode = refusal;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var session = new StreamSession(socket, number, _stopping.Token);
        Sessions.Enqueue(session);
        try
        {
            await _script(session);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
            // The client went away or the server is stopping: the script's end either way.
        }
        finally
        {
            socket.Abort();
        }
    }

    public sealed record UpgradeAttempt(long ArrivedAt, int Number, string Protocol, string Path, string Key, string Timestamp, string Signature, bool Signed);
}

/// <summary>One accepted stream socket, as the script sees it.</summary>
internal sealed class StreamSession(WebSocket socket, int number, CancellationToken stopping)
{
    private readonly byte[] _buffer = new byte[64 * 1024];

    public WebSocket Socket { get; } = socket;

    public int Number { get; } = number;

    public CancellationToken Stopping { get; } = stopping;

    /// <summary>Every text message the client sent, in order.</summary>
    public ConcurrentQueue<string> Received { get; } = new();

    public Task SendAsync(string json) => Socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, Stopping);

    /// <summary>The client's next message, or null when it closed or nothing came in time.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Stopping);
        bound.CancelAfter(timeout ?? TimeSpan.FromSeconds(10));
        int length = 0;
        try
        {
            while (true)
            {
                var result = await Socket.ReceiveAsync(_buffer.AsMemory(length), bound.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                length += result.Count;
                if (result.EndOfMessage)
                {
                    string text = Encoding.UTF8.GetString(_buffer, 0, length);
                    Received.Enqueue(text);
                    return text;
                }
            }
        }
        catch (OperationCanceledException) when (!Stopping.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Says connected, expects the subscription, acknowledges it with <paramref name="ackCode"/>; returns the subscription.</summary>
    public async Task<string?> HandshakeAsync(long ackCode = 0)
    {
        await SendAsync("""{"m":"connected","type":"auth"}""");
        string? sub;
        do
        {
            sub = await ReceiveAsync();
        }
        while (sub is not null && !sub.Contains("\"sub\"", StringComparison.Ordinal));

        if (sub is not null)
        {
            using var document = JsonDocument.Parse(sub);
            string id = document.RootElement.GetProperty("id").GetString()!;
            string channel = document.RootElement.GetProperty("ch").GetString()!;
            await SendAsync($$"""{"m":"sub","id":"{{id}}","ch":"{{channel}}","code":{{ackCode}}}""");
        }

        return sub;
    }

    /// <summary>Reads until the client closes or the server stops, answering pings with a pong stamped <paramref name="serverTime"/>.</summary>
    public async Task HoldAsync(Func<long>? serverTime = null)
    {
        while (!Stopping.IsCancellationRequested)
        {
            string? message = await ReceiveAsync(Timeout.InfiniteTimeSpan);
            if (message is null)
            {
                return;
            }

            if (message.Contains("\"ping\"", StringComparison.Ordinal))
            {
                long ts = serverTime?.Invoke() ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                await SendAsync($$"""{"m":"pong","code":0,"ts":{{ts}},"hp":2}""");
            }
        }
    }

    public Task CloseAsync() => Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", Stopping);
}

/// <summary>A throw-away CA and a localhost certificate it issued, for the stream's TLS tests.</summary>
internal sealed class TestAuthority : IDisposable
{
    public TestAuthority()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Oms stream test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = serverRequest.Create(ca, now.AddMinutes(-5), now.AddDays(1), [1, 2, 3, 4]);
        using var withKey = issued.CopyWithPrivateKey(serverKey);

        // A PFX round trip gives Kestrel a key it can use on every platform.
        Server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
        CaPath = Path.Combine(Path.GetTempPath(), $"oms-stream-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(CaPath, ca.ExportCertificatePem());
    }

    public X509Certificate2 Server { get; }

    public string CaPath { get; }

    public void Dispose()
    {
        Server.Dispose();
        File.Delete(CaPath);
    }
}
