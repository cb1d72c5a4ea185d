using System.Net.WebSockets;
using Oms.Engine.Signing;
using Oms.Transport.Connections;

namespace Oms.Engine.Confirmation;

/// <summary>
/// The venue's private order stream: one WebSocket, authenticated in the upgrade, subscribed to the order channel,
/// kept alive with pings, reconnected with back-off whenever it ends. Each order message goes to the
/// <see cref="IOrderStreamSink"/>; every live period that ends is reported as a gap, since the venue replays nothing.
/// </summary>
/// <remarks>
/// <para>
/// One dedicated background thread (<c>oms-stream</c>) runs everything: connect, subscribe, receive, answer pings,
/// send its own pings, back off; the sink is called on it. The socket is driven by blocking waits with timeouts
/// (<see cref="IStreamSocket"/>) so that this thread is the only one whose work grows with the messages. After a
/// connection is up, receiving, parsing and delivering a message allocate nothing: one 16 KiB buffer is reused, a
/// larger message is assembled in a pooled buffer up to <see cref="MaxMessageSize"/> and skipped (counted) beyond it.
/// </para>
/// <para>
/// The connection is our own WebSocket over HTTP/2 extended CONNECT (RFC 8441, <see cref="WebSockets.TunnelWebSocket"/>)
/// whenever the venue speaks it: h2c prior knowledge over cleartext, ALPN <c>h2</c> over TLS. When TLS picks HTTP/1.1
/// or the venue's SETTINGS do not enable extended CONNECT, that attempt gives way to the runtime's
/// <see cref="ClientWebSocket"/> over an HTTP/1.1 upgrade (<see cref="BlockingWebSocket"/>), which allocates a little
/// per message; <see cref="Transport"/> says which one carries the stream. Certificates are verified like the
/// transport's: by the system store, or by the pinned CA file only.
/// </para>
/// <para>Counters and <see cref="ClockOffsetMillis"/> are safe to read from any thread.</para>
/// </remarks>
internal sealed partial class OrderStream : IAsyncDisposable
{
    /// <summary>The receive buffer: order messages are a few hundred bytes.</summary>
    public const int ReceiveBufferSize = 16 * 1024;

    /// <summary>The largest message assembled; longer ones are skipped and counted in <see cref="OversizedMessages"/>.</summary>
    public const int MaxMessageSize = 1024 * 1024;

    /// <summary>Ping intervals without any message after which the connection is presumed dead (the venue ends a session after two missed pings).</summary>
    public const int SilentIntervals = 3;

    private static readonly TimeSpan s_connectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(5);
    private static readonly byte[] s_ping = OrderStreamProtocol.Ping.ToArray();
    private static readonly byte[] s_pong = OrderStreamProtocol.Pong.ToArray();

    private readonly Uri _streamUri;
    private readonly bool _tls;
    private readonly ApiCredentials _credentials;
    private readonly CancelSigner _signer;
    private readonly PinnedCertificateAuthority? _pinned;
    private readonly ConfirmationSettings _settings;
    private readonly IOrderStreamSink _sink;
    private readonly TimeProvider _time;
    private readonly byte[] _subscribe;
    private readonly byte[] _receiveBuffer = new byte[ReceiveBufferSize];
    private readonly byte[] _orderIdScratch = new byte[OrderStreamProtocol.OrderIdScratchLength];
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Random _jitter = new();
    private Thread? _thread;
    private IStreamSocket? _socket;
    private int _transport;
    private long _pingSentTimestamp;
    private volatile string? _lastFailure;
    private int _disposed;
    private long _clockOffsetMillis;
    private long _clockSamples;
    private long _reconnects;
    private long _messages;
    private long _connectFailures;
    private long _gaps;
    private long _oversizedMessages;

    /// <summary>Prepares a stream; nothing connects before <see cref="Start"/>.</summary>
    /// <param name="baseUrl">The venue's base URL (<c>https://</c> for <c>wss://</c>, <c>http://</c> for <c>ws://</c>); only its host and port are used.</param>
    /// <param name="accountGroup">The account group that prefixes the stream's path.</param>
    /// <param name="profile">The API version: it picks the path, the prehash and the channel.</param>
    /// <param name="credentials">The key and secret that sign the upgrade.</param>
    /// <param name="caCertificatePath">A PEM CA file to trust instead of the system store, or <see langword="null"/>.</param>
    /// <param name="settings">The ping interval and the reconnect delays.</param>
    /// <param name="sink">Told every order message, every live period and every gap, on the stream's thread.</param>
    /// <param name="time">The wall clock signed into the upgrade and compared with the venue's; intervals use the monotonic clock.</param>
    /// <exception cref="ArgumentException">A setting is out of range, the URL is not http or https, or the group is not one path segment.</exception>
    /// <exception cref="Http2ConnectException">The CA file cannot be read.</exception>
    public OrderStream(
        Uri baseUrl,
        string accountGroup,
        CancelProfile profile,
        ApiCredentials credentials,
        string? caCertificatePath,
        ConfirmationSettings settings,
        IOrderStreamSink sink,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(sink);
        settings.Validate();
        if (baseUrl.Scheme != Uri.UriSchemeHttps && baseUrl.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException("The base URL must be http or https.", nameof(baseUrl));
        }

        // BuildPath checks the group is one segment of visible ASCII; the stream's own path is then built from it.
        _ = profile.BuildPath(accountGroup);
        _tls = baseUrl.Scheme == Uri.UriSchemeHttps;
        _streamUri = new UriBuilder(_tls ? "wss" : "ws", baseUrl.Host, baseUrl.Port, OrderStreamProtocol.Path(profile.Version, accountGroup)).Uri;
        _credentials = credentials;
        _signer = new CancelSigner(credentials, OrderStreamProtocol.Prehash(profile.Version));
        _pinned = caCertificatePath is null ? null : PinnedCertificateAuthority.Load(caCertificatePath);
        _settings = settings;
        _sink = sink;
        _time = time ?? TimeProvider.System;
        _subscribe = OrderStreamProtocol.Subscribe(profile.Version).ToArray();
    }

    /// <summary>The stream's URL, e.g. <c>wss://ascendex.com/4/api/pro/v1/stream</c>.</summary>
    public Uri StreamUri => _streamUri;

    /// <summary>The venue's clock minus ours in ms, from the latest pong (corrected by half its round trip); 0 before the first.</summary>
    public long ClockOffsetMillis => Volatile.Read(ref _clockOffsetMillis);

    /// <summary>How many pongs have set <see cref="ClockOffsetMillis"/>.</summary>
    public long ClockSamples => Volatile.Read(ref _clockSamples);

    /// <summary>Connections made after the first.</summary>
    public long Reconnects => Volatile.Read(ref _reconnects);

    /// <summary>Order messages received.</summary>
    public long Messages => Volatile.Read(ref _messages);

    /// <summary>Connection attempts that failed before the WebSocket was open: unreachable, TLS, refused upgrade, timeout.</summary>
    public long ConnectFailures => Volatile.Read(ref _connectFailures);

    /// <summary>Gaps reported to the sink.</summary>
    public long Gaps => Volatile.Read(ref _gaps);

    /// <summary>Messages longer than <see cref="MaxMessageSize"/>, skipped.</summary>
    public long OversizedMessages => Volatile.Read(ref _oversizedMessages);

    /// <summary>Why the last connection ended or failed, for operators; never holds credentials. <see langword="null"/> before any.</summary>
    public string? LastFailure => _lastFailure;

    /// <summary>Which client carried the latest connection that opened; <see cref="StreamTransport.None"/> before any.</summary>
    internal StreamTransport Transport => (StreamTransport)Volatile.Read(ref _transport);

    /// <summary>Whether the stream's thread is running.</summary>
    internal bool IsRunning => _thread?.IsAlive == true;

    /// <summary>Starts the stream's thread; it connects at once.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public void Start()
    {
        var thread = new Thread(Run) { Name = "oms-stream", IsBackground = true };
        if (Interlocked.CompareExchange(ref _thread, thread, null) is not null)
        {
            throw new InvalidOperationException("The order stream runs once; create another to start again.");
        }

        thread.Start();
    }

    /// <summary>Ends the stream: aborts the socket, wakes the thread and waits for it, at most 5 s.</summary>
    /// <returns><see langword="true"/> when the thread has ended (or never started).</returns>
    /// <remarks>No gap is reported for a stop: the owner knows. Any thread, any number of times.</remarks>
    public async Task<bool> StopAsync()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return true;
        }

        _stop.Cancel();

        // Cancel is a full fence and the thread publishes its socket with Interlocked.Exchange, then checks the token:
        // either the thread sees the stop or this sees the socket.
        Volatile.Read(ref _socket)?.Abort();
        if (Volatile.Read(ref _thread) is null)
        {
            return true;
        }

        try
        {
            await _exited.Task.WaitAsync(s_stopTimeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Stops the stream; releases the signer once the thread has ended.</summary>
    public async ValueTask DisposeAsync()
    {
        if (await StopAsync().ConfigureAwait(false) && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _signer.Dispose();
            _stop.Dispose();
        }
    }

    private void Run()
    {
        try
        {
            RunUntilStopped();
        }
        finally
        {
            _exited.TrySetResult();
        }
    }

    private void RunUntilStopped()
    {
        // The consumer must hear of a stream it cannot rely on: once when the first attempt fails, then once per live
        // period that ends; failed attempts in between add nothing it does not know.
        bool owesGap = true;
        bool connectedBefore = false;
        int failures = 0;
        while (!_stop.IsCancellationRequested)
        {
            var ending = new ConnectionEnding();
            try
            {
                RunConnection(ref connectedBefore, ref ending);
            }
            catch (Exception e)
            {
                // Whatever ends a connection (the socket, a stop aborting it, a sink that threw) must not end the
                // thread, let alone the process.
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                _lastFailure = Describe(e);
            }

            if (_stop.IsCancellationRequested)
            {
                return;
            }

            owesGap |= ending.WentLive;
            if (owesGap)
            {
                owesGap = false;
                Interlocked.Increment(ref _gaps);
                ReportGap();
            }

            // A connection that stayed live a while was not part of a failure streak.
            failures = ending.LiveFor >= _settings.StreamReconnectMaxDelay ? 1 : failures + 1;
            var delay = ReconnectBackoff.Delay(failures, _settings.StreamReconnectMinDelay, _settings.StreamReconnectMaxDelay, _jitter.NextDouble());
            _stop.Token.WaitHandle.WaitOne(delay);
        }
    }

    private void ReportGap()
    {
        try
        {
            _sink.OnStreamGap();
        }
        catch (Exception e)
        {
            _lastFailure = "the stream's sink failed on a gap: " + e.Message;
        }
    }

    private static long ToTimestampTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private static int ToTimeoutMs(long timestampTicks) =>
        (int)Math.Clamp((timestampTicks * 1000 / Stopwatch.Frequency) + 1, 1, int.MaxValue);

    // Runtime messages name the URL and the failure, never request headers, so they carry no credentials.
    private static string Describe(Exception e) =>
        e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;

    private enum StreamState
    {
        AwaitingConnected,
        AwaitingSubAck,
        Live,
    }

    private struct ConnectionEnding
    {
        public bool WentLive;
        public TimeSpan LiveFor;
    }
}
