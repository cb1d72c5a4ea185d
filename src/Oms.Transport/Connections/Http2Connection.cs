using System.Net.Sockets;

namespace Oms.Transport.Connections;

/// <summary>
/// One persistent HTTP/2 client connection: its life (connect, health checks, retire, close) around the parts that
/// each belong to one thread.
/// </summary>
/// <remarks>
/// The sending (consumer) thread owns the <see cref="RequestWriter"/>; the connection's reader thread owns the
/// <see cref="ResponseReader"/>; the client's timer runs <see cref="OnTimer"/>. What they share says who does what:
/// the <see cref="StreamTable"/> (one completion per stream), the <see cref="PeerSendLimits"/> (its own short lock),
/// the <see cref="ControlFrameQueue"/>, the <see cref="ConnectionHealth"/> record and the <see cref="ConnectionState"/>.
/// Nothing waits on the write lock without a bound but the sender. docs/architecture.md follows a request through.
/// </remarks>
internal sealed class Http2Connection
{
    // RFC 9113 section 5.1.1: stream ids are 31 bits and never reused; stop opening streams a little before the end
    // so the last few in flight can finish, then roll over to a new connection.
    internal const int LastUsableStreamId = int.MaxValue - 2;

    /// <summary>The name of every connection's reader thread, as profilers and the load harness show it.</summary>
    public const string ReaderThreadName = "oms-h2-reader";

    private static readonly TimeSpan s_closeWait = TimeSpan.FromSeconds(2);

    private readonly Http2ClientOptions _options;
    private readonly TransportCounters _counters;
    private readonly StreamTable _streams;
    private readonly ConnectionReceiveCredit _connectionCredit;
    private readonly PeerSendLimits _limits;

    // The connect's PING answered, and the connection no longer open (GOAWAY received, or closed): the connect waits
    // for the first of the two after SETTINGS.
    private readonly long _connectPingOpaque;
    private readonly TaskCompletionSource<Http2StreamFailure> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Both pipes run inline and never pause: the reader thread fills and drains the inbound pipe itself, and the
    // sending thread moves the outbound pipe to the socket when it flushes, so no byte waits for another thread.
    private readonly RequestWriter _writer;
    private readonly ResponseReader _reader;

    private readonly Socket _socket;
    private readonly Stream _stream;
    private Thread? _readThread;
    private readonly bool _usesTls;

    private readonly ConnectionState _state = new();
    private int _closeReason = -1;

    private readonly ConnectionHealth _health;
    private readonly long _pingTimeoutTicks;
    private readonly long _headerBlockTimeoutTicks;

    private Http2Connection(
        Http2ClientOptions options, IHttp2ResponseHandler handler, TransportCounters counters, TransportConnector connector, ConnectionBuffers buffers, Socket socket, Stream stream)
    {
        _options = options;
        _counters = counters;
        _socket = socket;
        _stream = stream;
        Buffers = buffers;
        _connectionCredit = new ConnectionReceiveCredit(
            options.ConnectionReceiveWindow, options.HoldReceiveCreditUntilExhausted ? options.ConnectionReceiveWindow : Math.Max(1, options.ConnectionReceiveWindow / 2));
        _streams = new StreamTable(buffers, handler, counters, _connectionCredit, _control);
        _limits = new PeerSendLimits(_streams);
        _usesTls = connector.UsesTls;
        _writer = new RequestWriter(options, counters, _state, _streams, _limits, _control, buffers, stream, ShutDownSocket, connector.Authority, connector.UsesTls);
        _health = new ConnectionHealth(options.RequestTimeout);
        _pingTimeoutTicks = (long)(options.PingTimeout.TotalSeconds * Stopwatch.Frequency);
        _headerBlockTimeoutTicks = (long)(options.HeaderBlockTimeout.TotalSeconds * Stopwatch.Frequency);
        _connectPingOpaque = Stopwatch.GetTimestamp();
        _reader = new ResponseReader(
            options, counters, stream, _state, _streams, _limits, _control, _writer, _connectionCredit, _health, buffers, _connectPingOpaque, Abort);
    }

    /// <summary>The memory this connection works in; its owner may reuse it once <see cref="IsQuiescent"/>.</summary>
    public ConnectionBuffers Buffers { get; }

    /// <summary>True once the connection is closed and its reader has ended: nothing of it touches <see cref="Buffers"/> any more.</summary>
    /// <remarks>The client's timer is the one other thread that may; the client takes buffers back between its ticks.</remarks>
    public bool IsQuiescent => _closed.Task.IsCompleted && (_readThread is null || _reader.Ended.IsCompleted);

    /// <summary>Completes when the connection has closed, with the failure reported to its open streams.</summary>
    public Task<Http2StreamFailure> Closed => _closed.Task;

    /// <summary>True while new streams may be opened.</summary>
    public bool IsOpen => _state.IsOpen;

    /// <summary>True once GOAWAY arrived or stream ids ran out: existing streams finish, no new ones start.</summary>
    public bool IsDraining => _state.IsDraining;

    /// <summary>True when the connection was draining as it closed: retired gracefully rather than lost.</summary>
    /// <remarks>Written before <see cref="Closed"/> completes, so its continuations see it.</remarks>
    public bool WasDraining { get; private set; }

    /// <summary>Streams sent and not yet completed.</summary>
    public int ActiveStreams => _streams.ActiveStreams;

    /// <summary>True once stream ids ran out (RFC 9113 section 5.1.1): a retirement of our own, never the server's fault.</summary>
    public bool RanOutOfStreamIds => _state.RanOutOfStreamIds;

    /// <summary>When the connection finished its SETTINGS exchange (<see cref="Stopwatch"/> ticks).</summary>
    public long OpenedTicks { get; private set; }

    /// <summary>Responses handed to the handler so far: a connection that served none proved nothing.</summary>
    public long ResponsesServed => _health.ResponsesServed;

    /// <summary>
    /// True after a request timed out on this connection with no response since: the client sends elsewhere while
    /// another connection is healthy.
    /// </summary>
    public bool IsSuspect => _health.ConsecutiveTimeouts != 0;

    /// <summary>The error code of the last GOAWAY received, or null when none came.</summary>
    public Http2ErrorCode? GoAwayCode => _health.GoAwayCode;

    /// <summary>Connects, exchanges the preface and SETTINGS, and starts the read loop.</summary>
    /// <param name="options">Where and how to connect.</param>
    /// <param name="handler">Receives every request's outcome.</param>
    /// <param name="counters">The transport's counters.</param>
    /// <param name="connector">Opens the socket (and TLS).</param>
    /// <param name="onReaderStarting">
    /// Told of the reader thread just before it starts, even when connecting fails afterwards, so that its owner can
    /// check that every reader it caused has ended.
    /// </param>
    /// <param name="buffers">The memory to work in, empty; null to allocate it.</param>
    /// <param name="onBuffersFree">
    /// When connecting fails, given the buffers back once nothing of the failed connection uses them any more (not
    /// called when the reader does not end in time).
    /// </param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <exception cref="Http2ConnectException">Anything went wrong; nothing is left open.</exception>
    public static async Task<Http2Connection> ConnectAsync(
        Http2ClientOptions options,
        IHttp2ResponseHandler handler,
        TransportCounters counters,
        TransportConnector connector,
        Action<Thread>? onReaderStarting,
        ConnectionBuffers? buffers,
        Action<ConnectionBuffers>? onBuffersFree,
        CancellationToken cancellationToken)
    {
        buffers ??= new ConnectionBuffers(options);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        Socket socket;
        Stream stream;
        try
        {
            // The blocking connect and handshake run on a pool thread; the caller's thread stays free.
            (socket, stream) = await Task.Run(() => connector.Connect(timeout.Token), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Nothing of a connection exists yet: the buffers were never used.
            onBuffersFree?.Invoke(buffers);
            throw ConnectFailure(options, e, cancellationToken);
        }

        var connection = new Http2Connection(options, handler, counters, connector, buffers, socket, stream);
        try
        {
            await connection.StartAsync(onReaderStarting, timeout.Token).ConfigureAwait(false);
            return connection;
        }
        catch (Exception e)
        {
            connection.Abort(Http2StreamFailure.ConnectionLost);
            if (onBuffersFree is not null && await connection.WaitUntilQuiescentAsync().ConfigureAwait(false))
            {
                onBuffersFree(buffers);
            }

            throw ConnectFailure(options, e, cancellationToken);
        }
    }

    private static Http2ConnectException ConnectFailure(Http2ClientOptions options, Exception e, CancellationToken cancellationToken) => e switch
    {
        Http2ConnectException connect => connect,
        OperationCanceledException when !cancellationToken.IsCancellationRequested =>
            new Http2ConnectException($"connecting to {options.BaseUri} took longer than {options.ConnectTimeout.TotalSeconds:0.#} s", e),
        _ => new Http2ConnectException($"connecting to {options.BaseUri} failed: {e.Message}", e),
    };

    private async Task<bool> WaitUntilQuiescentAsync()
    {
        var ended = _readThread is null ? _closed.Task : Task.WhenAll(_closed.Task, _reader.Ended);
        await Task.WhenAny(ended, Task.Delay(s_closeWait)).ConfigureAwait(false);
        return IsQuiescent;
    }

    /// <summary>Sends the preface, starts the reader, and waits for the server's SETTINGS (and our PING's ACK).</summary>
    private async Task StartAsync(Action<Thread>? onReaderStarting, CancellationToken timeout)
    {
        _writer.SendPreface(_connectPingOpaque);
        if (_options.SocketPoller is { } poller && !_usesTls)
        {
            _reader.HandOverAfterConnect(poller, _socket);
        }

        _readThread = new Thread(_reader.Run) { IsBackground = true, Name = ReaderThreadName };
        onReaderStarting?.Invoke(_readThread);
        _readThread.Start();
        await _reader.SettingsReceived.WaitAsync(timeout).ConfigureAwait(false);

        // Not the PING's ACK itself: a server that leaves PINGs unanswered is retired by the health checks later.
        await Task.WhenAny(_reader.ConnectPingAcked, _state.LeftOpen, Task.Delay(_options.PingTimeout, timeout)).WaitAsync(timeout).ConfigureAwait(false);
        if (!IsOpen)
        {
            // SETTINGS and then GOAWAY (or a close) straight away: a connection that can carry nothing is a failed connect.
            var goAway = GoAwayCode is { } code ? $"GOAWAY {code}" : "closed the connection";
            throw new Http2ConnectException($"connecting to {_options.BaseUri} failed: the server {goAway} right after its SETTINGS");
        }

        OpenedTicks = Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// Periodic work from the client's timer: request timeouts, keep-alive PINGs, and the health checks that retire a
    /// connection that stopped answering or a header block that never ends.
    /// </summary>
    public void OnTimer(long nowTicks, bool sendPing)
    {
        if (_state.IsClosed)
        {
            return;
        }

        var timedOut = 0;
        for (var i = 0; i < _streams.Length; i++)
        {
            ref var entry = ref _streams.EntryAt(i);
            var deadline = Volatile.Read(ref entry.DeadlineTicks);
            if (Volatile.Read(ref entry.State) == StreamEntry.Open && nowTicks > deadline)
            {
                var streamId = entry.StreamId;

                var counts = _health.TryCountTimeout(deadline);
                if (_streams.TryFail(i, Http2StreamFailure.Timeout))
                {
                    timedOut++;
                    _counters.OnTimeout();
                    _control.Enqueue(ControlFrame.Reset(streamId, Http2ErrorCode.Cancel));
                }
                else if (counts)
                {
                    _health.UncountTimeout();
                }
            }
        }

        if (timedOut > 0)
        {
            // The reader gives back the buffers of streams that ended off its thread.
            _streams.MarkStale();
        }

        var headerBlockStarted = _health.HeaderBlockStartedTicks;
        if (headerBlockStarted != 0 && nowTicks - headerBlockStarted > _headerBlockTimeoutTicks)
        {
            // The reader is asleep inside a header block the peer never finishes: the connection is wedged.
            CloseForViolation(Http2ErrorCode.EnhanceYourCalm);
            return;
        }

        var pingSent = _health.PingSentTicks;
        if (_health.ConsecutiveTimeouts >= _options.MaxConsecutiveTimeouts || (pingSent != 0 && nowTicks - pingSent > _pingTimeoutTicks))
        {
            Retire();
            return;
        }

        if ((sendPing || timedOut > 0) && _health.TryStartPing(nowTicks))
        {
            // A timeout asks at once whether the peer still reads at all; the answer's absence retires the connection.
            _control.Enqueue(ControlFrame.Ping(nowTicks));
        }

        _writer.DrainControlIfPending();
    }

    /// <summary>
    /// Retires a connection that stopped answering: GOAWAY, close, and its open streams fail as lost, to be resent on
    /// another connection with new ids. The client replaces it with back-off.
    /// </summary>
    private void Retire()
    {
        if (_state.IsClosed)
        {
            return;
        }

        _counters.OnConnectionRetired();
        _control.Enqueue(ControlFrame.GoAway(Http2ErrorCode.NoError));
        WriteControlBeforeClose();
        Abort(Http2StreamFailure.ConnectionLost);
    }

    /// <summary>A connection error found off the reader thread: GOAWAY with its code, then close.</summary>
    private void CloseForViolation(Http2ErrorCode code)
    {
        if (_state.IsClosed)
        {
            return;
        }

        _counters.OnProtocolError();
        _control.Enqueue(ControlFrame.GoAway(code));
        WriteControlBeforeClose();
        Abort(Http2StreamFailure.ProtocolError);
    }

    /// <summary>
    /// Gets queued control frames (the GOAWAY above all) onto the socket before it closes, waiting a bounded time for
    /// the write side if the sender holds it: a GOAWAY is owed every time, not only when the lock is free at once.
    /// </summary>
    private void WriteControlBeforeClose() => _writer.WriteControlBeforeClose(ResponseReader.GoAwayWait);

    /// <summary>Writes one request; sending thread only (see <see cref="RequestWriter.TrySend"/>).</summary>
    public Http2SendResult TrySend(Http2RequestTemplate template, ReadOnlySpan<byte> pathQuery, ReadOnlySpan<byte> firstVariableValue, ReadOnlySpan<byte> secondVariableValue, ReadOnlySpan<byte> body, long token, long deadlineTicks) =>
        _writer.TrySend(template, pathQuery, firstVariableValue, secondVariableValue, body, token, deadlineTicks);

    /// <summary>Flushes what was written since the last flush; sending thread only.</summary>
    public void Flush() => _writer.Flush();

    /// <summary>Closes the connection for a reason: every open stream is failed with it, once.</summary>
    public void Abort(Http2StreamFailure reason)
    {
        if (!_state.TryClose(out var wasDraining))
        {
            return;
        }

        WasDraining = wasDraining;

        Interlocked.CompareExchange(ref _closeReason, (int)reason, -1);
        _limits.WaitForStreamsBeingOpened();

        // Dropping the socket first unblocks a sender stuck in a flush and the reader asleep in its blocking read.
        try
        {
            DropSocket();
            _stream.Dispose();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // Already broken: nothing more to release.
        }

        try
        {
            _streams.FailAll(reason);
            _writer.Complete();

            _reader.OnConnectionClosed();

            // After the socket is dropped, which unblocks a poller's thread stuck in a write under its lock.
            _reader.OnClosedWhilePolled(reason);
        }
        finally
        {
            // Always: the client replaces the connection when this completes.
            _closed.TrySetResult(reason);
        }
    }

    /// <summary>Closes gracefully when nothing is in flight; the client calls this on draining connections.</summary>
    public bool TryCloseIfDrained()
    {
        if (_state.IsDraining && _streams.ActiveStreams == 0)
        {
            _control.Enqueue(ControlFrame.GoAway(Http2ErrorCode.NoError));
            _writer.DrainControlIfPending();
            Abort(Http2StreamFailure.ConnectionLost);
            return true;
        }

        return false;
    }

    /// <summary>Stops reading and waits briefly for the read loop to end.</summary>
    public async Task DisposeAsync(Http2StreamFailure reason)
    {
        Abort(reason);
        if (_readThread is not null)
        {
            await Task.WhenAny(_reader.Ended, Task.Delay(s_closeWait)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Ends both directions at the TCP level, which wakes a thread blocked in a read or a write on the socket, then
    /// closes it.
    /// </summary>
    private void DropSocket()
    {
        ShutDownSocket();
        _reader.StopPolling();
        _socket.Dispose();
    }

    /// <summary>
    /// Ends both directions at the TCP level: a thread blocked in a read or a write on the socket wakes, and whoever
    /// reads it next (the reader thread, or the poller's) finds it ended and closes the connection.
    /// </summary>
    /// <remarks>
    /// All a failed write does, under the write lock: it must wait for nothing there. Closing the socket would wait for
    /// the poller's lock, which the poller's thread may hold while it waits for the write lock to end this connection.
    /// </remarks>
    private void ShutDownSocket()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Not connected or already closed: nobody can be blocked on it.
        }
    }



    private readonly ControlFrameQueue _control = new();
}
