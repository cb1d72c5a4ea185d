using System.Collections.Concurrent;
using Oms.Transport.Connections;

namespace Oms.Transport.Client;

/// <summary>
/// A fixed number of persistent HTTP/2 connections to one server, with the send side owned by one thread.
/// </summary>
/// <remarks>
/// <para>Threads: <see cref="TrySend(Http2RequestTemplate, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, long)"/> and <see cref="Flush"/> belong to one sending thread (the engine's consumer).
/// Outcomes reach the <see cref="IHttp2ResponseHandler"/> on connection reader threads and on the client's timer
/// thread. <see cref="ConnectAsync"/> and <see cref="DisposeAsync"/> may be called from any thread.</para>
/// <para>Lost connections are re-established in the background with exponential back-off and jitter, while the others
/// keep serving. When no connection has room, <see cref="TrySend(Http2RequestTemplate, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, long)"/> says so at once: the client never queues.</para>
/// </remarks>
internal sealed class Http2Client : IHttp2RequestSender, IAsyncDisposable
{
    private readonly Http2ClientOptions _options;
    private readonly IHttp2ResponseHandler _handler;
    private readonly TransportConnector _connector;
    private readonly Http2Connection?[] _connections;
    private readonly bool[] _dirty;

    // Per connection index: reconnect attempts since the last connection there proved itself, and the delay being waited.
    private readonly int[] _failures;
    private readonly long[] _backoffMillis;

    // The memory of ended connections, one set per index, for the next connection there; and closed connections whose
    // memory the timer takes back once nothing of them runs (the timer is then between ticks, the reader has ended).
    private readonly ConnectionBuffers?[] _spareBuffers;
    private readonly ConcurrentQueue<(int Index, Http2Connection Connection)> _retired = new();

    // The reconnect loop of each index, if one runs: disposing waits for it, so no reader it started outlives the client.
    private readonly Task?[] _reconnecting;

    private static readonly TimeSpan s_readerWait = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _disposing = new();
    private readonly long _requestTimeoutTicks;
    private readonly long _pingIntervalTicks;
    private readonly bool _ownsCounters;

    // Every reader thread this client's connections started that had not ended when the last one was added: the list
    // never outgrows the connections alive at once by more than the ones that ended since.
    private readonly List<Thread> _readerThreads = [];
    private readonly Action<Thread> _onReaderStarting;
    private Timer? _timer;
    private long _lastPingTicks;
    private int _next;
    private int _timerBusy;
    private int _disposed;

    private Http2Client(Http2ClientOptions options, IHttp2ResponseHandler handler, TransportCounters? counters)
    {
        _options = options;
        _handler = handler;
        _connector = new TransportConnector(options);
        _connections = new Http2Connection?[options.ConnectionCount];
        _dirty = new bool[options.ConnectionCount];
        _failures = new int[options.ConnectionCount];
        _backoffMillis = new long[options.ConnectionCount];
        _spareBuffers = new ConnectionBuffers?[options.ConnectionCount];
        _reconnecting = new Task?[options.ConnectionCount];
        _requestTimeoutTicks = (long)(options.RequestTimeout.TotalSeconds * Stopwatch.Frequency);
        _pingIntervalTicks = (long)(options.PingInterval.TotalSeconds * Stopwatch.Frequency);
        _ownsCounters = counters is null;
        Counters = counters ?? new TransportCounters();
        _onReaderStarting = OnReaderStarting;
    }

    /// <summary>The transport's counters (also published as meter <c>Oms.Transport</c>).</summary>
    public TransportCounters Counters { get; }

    /// <inheritdoc />
    public bool IsConnected
    {
        get
        {
            for (var i = 0; i < _connections.Length; i++)
            {
                if (Volatile.Read(ref _connections[i]) is { IsOpen: true })
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Connections open now.</summary>
    public int OpenConnections => _connections.Count(c => c is { IsOpen: true });

    /// <summary>
    /// The reader threads this client's connections started, including those of connections since lost or that never
    /// finished connecting; threads seen to have ended may have been dropped. Every one of them that is still alive is
    /// here, so that tests can check none outlives the client.
    /// </summary>
    internal IReadOnlyList<Thread> ReaderThreads
    {
        get
        {
            lock (_readerThreads)
            {
                return [.. _readerThreads];
            }
        }
    }

    /// <summary>
    /// Opens <see cref="Http2ClientOptions.ConnectionCount"/> connections. Succeeds when at least one opens (the
    /// others keep trying in the background); throws when none can, unless
    /// <see cref="Http2ClientOptions.RequireConnectionAtStart"/> is false and the server was merely unreachable.
    /// </summary>
    /// <param name="options">Where and how to connect.</param>
    /// <param name="handler">Receives every request's outcome.</param>
    /// <param name="counters">Counters to share (e.g. with an engine that reports them); the client makes its own when null.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <exception cref="Http2ConnectException">No connection could be opened (and one was required, or TLS trust failed); the message says why.</exception>
    public static async Task<Http2Client> ConnectAsync(
        Http2ClientOptions options, IHttp2ResponseHandler handler, TransportCounters? counters = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        options.Validate();
        var client = new Http2Client(options, handler, counters);
        try
        {
            var attempts = Enumerable.Range(0, options.ConnectionCount).Select(i => client.TryOpenAsync(i, isReconnect: false, cancellationToken)).ToArray();
            var errors = await Task.WhenAll(attempts).ConfigureAwait(false);
            if (client.OpenConnections == 0 && (options.RequireConnectionAtStart || errors.Any(e => e is { IsTrustFailure: true })))
            {
                // Every attempt failed, or each connection opened and was closed or drained before this check.
                throw errors.FirstOrDefault(e => e is not null)
                    ?? new Http2ConnectException($"connecting to {options.BaseUri} failed: the server closed every connection as soon as it opened");
            }

            for (var i = 0; i < errors.Length; i++)
            {
                if (errors[i] is not null)
                {
                    client.StartReconnect(i, immediately: false);
                }
            }

            var period = TimeSpan.FromTicks(Math.Clamp(options.RequestTimeout.Ticks / 8, TimeSpan.TicksPerMillisecond * 5, TimeSpan.TicksPerMillisecond * 100));
            client._lastPingTicks = Stopwatch.GetTimestamp();
            client._timer = new Timer(static state => ((Http2Client)state!).OnTimer(), client, period, period);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public Http2SendResult TrySend(Http2RequestTemplate template, ReadOnlySpan<byte> firstVariableValue, ReadOnlySpan<byte> secondVariableValue, ReadOnlySpan<byte> body, long token) =>
        TrySend(template, [], firstVariableValue, secondVariableValue, body, token);

    /// <inheritdoc />
    public Http2SendResult TrySend(Http2RequestTemplate template, ReadOnlySpan<byte> pathQuery, ReadOnlySpan<byte> firstVariableValue, ReadOnlySpan<byte> secondVariableValue, ReadOnlySpan<byte> body, long token)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (Volatile.Read(ref _disposed) != 0)
        {
            return Http2SendResult.Disposed;
        }

        var deadline = Stopwatch.GetTimestamp() + _requestTimeoutTicks;
        var sawOpen = false;
        var sawSuspect = false;
        var count = _connections.Length;
        for (var i = 0; i < count; i++)
        {
            var index = (_next + i) % count;
            var connection = Volatile.Read(ref _connections[index]);
            if (connection is null)
            {
                continue;
            }

            if (connection.IsSuspect)
            {
                // A request timed out there and nothing has been answered since: a healthy connection comes first, so
                // a resend never goes back to where it timed out while another connection serves.
                sawSuspect = true;
                continue;
            }

            var result = TrySendOn(index, connection, template, pathQuery, firstVariableValue, secondVariableValue, body, token, deadline);
            if (result == Http2SendResult.Sent)
            {
                return result;
            }

            sawOpen |= result == Http2SendResult.NoCapacity;
        }

        if (sawSuspect)
        {
            for (var index = 0; index < count; index++)
            {
                if (Volatile.Read(ref _connections[index]) is { IsSuspect: true } connection)
                {
                    var result = TrySendOn(index, connection, template, pathQuery, firstVariableValue, secondVariableValue, body, token, deadline);
                    if (result == Http2SendResult.Sent)
                    {
                        return result;
                    }

                    sawOpen |= result == Http2SendResult.NoCapacity;
                }
            }
        }

        return sawOpen ? Http2SendResult.NoCapacity : Http2SendResult.NoConnection;
    }

    private Http2SendResult TrySendOn(
        int index, Http2Connection connection, Http2RequestTemplate template, ReadOnlySpan<byte> pathQuery, ReadOnlySpan<byte> firstVariableValue, ReadOnlySpan<byte> secondVariableValue, ReadOnlySpan<byte> body, long token, long deadline)
    {
        var result = connection.TrySend(template, pathQuery, firstVariableValue, secondVariableValue, body, token, deadline);
        if (result == Http2SendResult.Sent)
        {
            // Stay on this connection for the rest of the batch: one socket write carries the whole batch.
            _next = index;
            _dirty[index] = true;
        }

        return result;
    }

    /// <inheritdoc />
    public void Flush()
    {
        for (var i = 0; i < _dirty.Length; i++)
        {
            if (_dirty[i])
            {
                _dirty[i] = false;
                Volatile.Read(ref _connections[i])?.Flush();
            }
        }

        // The next batch starts on the next connection, spreading load without splitting a batch.
        _next = (_next + 1) % _connections.Length;
    }

    /// <summary>Closes every connection; requests in flight are reported as <see cref="Http2StreamFailure.Disposed"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        var closing = new List<Task>();
        for (var i = 0; i < _connections.Length; i++)
        {
            if (Interlocked.Exchange(ref _connections[i], null) is { } connection)
            {
                closing.Add(connection.DisposeAsync(Http2StreamFailure.Disposed));
            }
        }

        await Task.WhenAll(closing).ConfigureAwait(false);

        // A reconnect under way when the client was disposed ends its connection itself (and waits for its reader).
        var reconnecting = _reconnecting.Where(t => t is not null).Select(t => t!).ToArray();
        await Task.WhenAny(Task.WhenAll(reconnecting), Task.Delay(s_readerWait)).ConfigureAwait(false);

        // A connection that closed on its own just before is out of the table, and its reader may still be finishing
        // (its close completes before the thread returns): wait, boundedly, until no reader of this client runs.
        var waited = Stopwatch.StartNew();
        while (ReaderThreads.Any(t => t.IsAlive) && waited.Elapsed < s_readerWait)
        {
            await Task.Delay(1).ConfigureAwait(false);
        }

        _disposing.Dispose();
        if (_ownsCounters)
        {
            Counters.Dispose();
        }
    }

    private async Task<Http2ConnectException?> TryOpenAsync(int index, bool isReconnect, CancellationToken cancellationToken)
    {
        Counters.OnConnectAttempt();
        try
        {
            var buffers = Interlocked.Exchange(ref _spareBuffers[index], null);
            buffers?.Reset();
            var connection = await Http2Connection.ConnectAsync(
                _options, _handler, Counters, _connector, _onReaderStarting, buffers, free => Volatile.Write(ref _spareBuffers[index], free), cancellationToken)
                .ConfigureAwait(false);
            if (Volatile.Read(ref _disposed) != 0)
            {
                await connection.DisposeAsync(Http2StreamFailure.Disposed).ConfigureAwait(false);
                return new Http2ConnectException("the client was disposed while connecting");
            }

            Counters.OnConnectionOpened(isReconnect);
            Volatile.Write(ref _connections[index], connection);
            _ = connection.Closed.ContinueWith(
                closed => OnConnectionClosed(index, connection, closed.Result),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return null;
        }
        catch (Http2ConnectException e)
        {
            Counters.OnConnectFailure();
            return e;
        }
    }

    private void OnReaderStarting(Thread reader)
    {
        lock (_readerThreads)
        {
            // Only threads that have run and ended are dropped: one registered but not yet started is not alive either.
            _readerThreads.RemoveAll(static t => (t.ThreadState & System.Threading.ThreadState.Stopped) != 0);
            _readerThreads.Add(reader);
        }
    }

    private void OnConnectionClosed(int index, Http2Connection connection, Http2StreamFailure reason)
    {
        Counters.OnConnectionClosed();
        if (Interlocked.CompareExchange(ref _connections[index], null, connection) != connection || Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        _retired.Enqueue((index, connection));

        // Only a connection that served answers for a while resets the back-off; one that merely connected did not prove
        // the server well. Such a connection retired gracefully (GOAWAY drained, ids exhausted) is replaced at once;
        // every other loss, repeated GOAWAYs included, waits its turn in the back-off.
        var proven = connection.RanOutOfStreamIds || IsProven(connection);
        if (proven)
        {
            _failures[index] = 0;
        }

        StartReconnect(index, immediately: proven && reason != Http2StreamFailure.ProtocolError && connection.WasDraining);
    }

    /// <summary>Served at least one answer, and either many answers or for longer than the reset period.</summary>
    private bool IsProven(Http2Connection connection)
    {
        var served = connection.ResponsesServed;
        return served >= ProvenAfterResponses
            || (served > 0 && connection.OpenedTicks != 0 && Stopwatch.GetElapsedTime(connection.OpenedTicks) >= _options.ReconnectBackoffResetAfter);
    }

    /// <summary>Answers after which a connection counts as serving, however short its life: servers that retire connections after N requests are well.</summary>
    internal const int ProvenAfterResponses = 100;

    private void StartReconnect(int index, bool immediately) => Volatile.Write(ref _reconnecting[index], ReconnectAsync(index, immediately));

    private async Task ReconnectAsync(int index, bool immediately)
    {
        while (Volatile.Read(ref _disposed) == 0)
        {
            if (!immediately)
            {
                var delay = BackoffDelay(_failures[index]);
                _failures[index] = Math.Min(_failures[index] + 1, 30);
                SetBackoff(index, (long)delay.TotalMilliseconds);
                try
                {
                    await Task.Delay(delay, _disposing.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                finally
                {
                    SetBackoff(index, 0);
                }
            }

            immediately = false;
            if (await TryOpenAsync(index, isReconnect: true, _disposing.Token).ConfigureAwait(false) is null)
            {
                return;
            }
        }
    }

    /// <summary>Publishes the longest delay any connection index is waiting out.</summary>
    private void SetBackoff(int index, long millis)
    {
        Volatile.Write(ref _backoffMillis[index], millis);
        long longest = 0;
        for (var i = 0; i < _backoffMillis.Length; i++)
        {
            longest = Math.Max(longest, Volatile.Read(ref _backoffMillis[i]));
        }

        Counters.SetReconnectBackoff(longest);
    }

    /// <summary>Keeps the memory of retired connections that nothing runs in any more; timer thread, between ticks.</summary>
    private void TakeBackBuffers()
    {
        for (var n = _retired.Count; n > 0 && _retired.TryDequeue(out var retired); n--)
        {
            if (retired.Connection.IsQuiescent)
            {
                Volatile.Write(ref _spareBuffers[retired.Index], retired.Connection.Buffers);
            }
            else
            {
                _retired.Enqueue(retired);
            }
        }
    }

    /// <summary>The connection at <paramref name="index"/> now, or null while it is being replaced (tests).</summary>
    internal Http2Connection? ConnectionAt(int index) => Volatile.Read(ref _connections[index]);

    /// <summary>min * 2^attempt, capped, then scaled by a random factor in [0.5, 1.0) so many clients do not reconnect in step.</summary>
    private TimeSpan BackoffDelay(int attempt)
    {
        var ceiling = Math.Min(_options.ReconnectMaxDelay.TotalMilliseconds, _options.ReconnectMinDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (Random.Shared.NextDouble() * 0.5)));
    }

    private void OnTimer()
    {
        // A slow tick must not overlap the next one.
        if (Interlocked.Exchange(ref _timerBusy, 1) != 0)
        {
            return;
        }

        try
        {
            TakeBackBuffers();
            var now = Stopwatch.GetTimestamp();
            var ping = _pingIntervalTicks > 0 && now - _lastPingTicks >= _pingIntervalTicks;
            if (ping)
            {
                _lastPingTicks = now;
            }

            for (var i = 0; i < _connections.Length; i++)
            {
                if (Volatile.Read(ref _connections[i]) is { } connection)
                {
                    connection.OnTimer(now, ping);
                    connection.TryCloseIfDrained();
                }
            }
        }
        finally
        {
            Volatile.Write(ref _timerBusy, 0);
        }
    }
}
