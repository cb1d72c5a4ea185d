using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Numerics;
using Oms.Transport.Client;
using Oms.Transport.Diagnostics;
using Oms.Transport.FlowControl;
using Oms.Transport.HPack;
using Oms.Transport.Http2;

namespace Oms.Transport.Connections;

/// <summary>
/// One persistent HTTP/2 client connection: a write side owned by the sending thread, a read loop that completes
/// streams, and a table of open streams both sides touch through a state word.
/// </summary>
/// <remarks>
/// <para>Threads: the sending (consumer) thread calls <see cref="TrySend"/> and <see cref="Flush"/> and writes to the
/// socket itself; the read loop runs on a dedicated thread of its own, asleep in a blocking read until bytes arrive
/// (no epoll hand-off, no thread-pool hop per answer); the pool's timer calls <see cref="OnTimer"/>. All writes to the output pipe happen under
/// <c>_writeLock</c>. Only the sending thread ever blocks on that lock: the reader and the timer queue control frames
/// (SETTINGS ACK, PING ACK, WINDOW_UPDATE, RST_STREAM, GOAWAY) and write them only if they get the lock at once;
/// otherwise the lock holder writes them before letting go. A reader that blocked on a writer stuck behind a full
/// socket could deadlock against a peer that is itself waiting for us to read.</para>
/// <para>What the reader learns from the peer and the sender must apply atomically (send windows, the initial stream
/// window, header table size changes) is guarded by <c>_peerLock</c>, which nobody holds across I/O or a callback, so
/// the reader may wait for it (see <c>.FlowControl.cs</c>).</para>
/// <para>Split by concern: this file holds the lifecycle, <c>.Write.cs</c> the send side, <c>.Read.cs</c> the frame
/// handling, <c>.FlowControl.cs</c> the peer's send windows.</para>
/// </remarks>
internal sealed partial class Http2Connection
{
    // RFC 9113 section 5.1.1: stream ids are 31 bits and never reused; stop opening streams a little before the end
    // so the last few in flight can finish, then roll over to a new connection.
    internal const int LastUsableStreamId = int.MaxValue - 2;

    /// <summary>The name of every connection's reader thread, as profilers and the load harness show it.</summary>
    public const string ReaderThreadName = "oms-h2-reader";

    private const int PipeSegmentSize = 64 * 1024;

    private static readonly TimeSpan s_closeWait = TimeSpan.FromSeconds(2);

    private static readonly PipeOptions s_inlinePipe = new(
        pauseWriterThreshold: 0, readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, minimumSegmentSize: PipeSegmentSize, useSynchronizationContext: false);

    private readonly Http2ClientOptions _options;
    private readonly IHttp2ResponseHandler _handler;
    private readonly TransportCounters _counters;
    private readonly TransportConnector _connector;
    private readonly StreamSlot[] _slots;
    private readonly ResponseAssembly[] _responses;
    private readonly int _slotMask;
    private readonly TaskCompletionSource _settingsReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Http2StreamFailure> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Both pipes run inline and never pause: the reader thread fills and drains the inbound pipe itself, and the
    // sending thread moves the outbound pipe to the socket when it flushes, so no byte waits for another thread.
    private readonly Pipe _inbound = new(s_inlinePipe);
    private readonly Pipe _outbound = new(s_inlinePipe);
    private readonly TaskCompletionSource _readLoopEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Socket? _socket;
    private Stream? _stream;
    private Thread? _readThread;

    // 0 open, 1 draining (GOAWAY received or stream ids exhausted: no new streams), 2 closed.
    private int _state;
    private int _activeStreams;
    private int _closeReason = -1;

    private Http2Connection(Http2ClientOptions options, IHttp2ResponseHandler handler, TransportCounters counters, TransportConnector connector)
    {
        _options = options;
        _handler = handler;
        _counters = counters;
        _connector = connector;

        // Slots are indexed by stream id, so at least twice the stream limit keeps a long-lived stream from blocking
        // new ids; TrySend skips ids whose slot is still busy.
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(256, options.MaxConcurrentStreamsPerConnection * 4));
        _slots = new StreamSlot[size];
        _responses = new ResponseAssembly[size];
        var spares = new ResponseAssembly.SpareBuffers();
        for (var i = 0; i < size; i++)
        {
            _responses[i] = new ResponseAssembly(spares);
        }

        _slotMask = size - 1;
        _nextStreamId = options.FirstStreamId;
        _encoder = new HPackEncoder();
        _decoder = new HPackDecoder(options.MaxResponseHeaderListSize);
        _connectionReceiveWindow = NewReceiveWindow(options.ConnectionReceiveWindow, options.HoldReceiveCreditUntilExhausted);
        _newStreamReceiveWindow = NewReceiveWindow(options.StreamReceiveWindow, options.HoldReceiveCreditUntilExhausted);
        _authority = System.Text.Encoding.ASCII.GetBytes(connector.Authority);
        _scheme = connector.UsesTls ? "https"u8.ToArray() : "http"u8.ToArray();
    }

    /// <summary>Completes when the connection has closed, with the failure reported to its open streams.</summary>
    public Task<Http2StreamFailure> Closed => _closed.Task;

    /// <summary>True while new streams may be opened.</summary>
    public bool IsOpen => Volatile.Read(ref _state) == 0;

    /// <summary>True once GOAWAY arrived or stream ids ran out: existing streams finish, no new ones start.</summary>
    public bool IsDraining => Volatile.Read(ref _state) == 1;

    /// <summary>True when the connection was draining as it closed: retired gracefully rather than lost.</summary>
    /// <remarks>Written before <see cref="Closed"/> completes, so its continuations see it.</remarks>
    public bool WasDraining { get; private set; }

    /// <summary>Streams sent and not yet completed.</summary>
    public int ActiveStreams => Volatile.Read(ref _activeStreams);

    /// <summary>Connects, exchanges the preface and SETTINGS, and starts the read loop.</summary>
    /// <param name="options">Where and how to connect.</param>
    /// <param name="handler">Receives every request's outcome.</param>
    /// <param name="counters">The transport's counters.</param>
    /// <param name="connector">Opens the socket (and TLS).</param>
    /// <param name="onReaderStarting">
    /// Told of the reader thread just before it starts, even when connecting fails afterwards, so that its owner can
    /// check that every reader it caused has ended.
    /// </param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <exception cref="Http2ConnectException">Anything went wrong; nothing is left open.</exception>
    public static async Task<Http2Connection> ConnectAsync(
        Http2ClientOptions options,
        IHttp2ResponseHandler handler,
        TransportCounters counters,
        TransportConnector connector,
        Action<Thread>? onReaderStarting,
        CancellationToken cancellationToken)
    {
        var connection = new Http2Connection(options, handler, counters, connector);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            // The blocking connect and handshake run on a pool thread; the caller's thread stays free.
            (connection._socket, connection._stream) = await Task.Run(() => connector.Connect(timeout.Token), CancellationToken.None).ConfigureAwait(false);
            connection.WritePrefaceUnderLock();
            lock (connection._writeLock)
            {
                connection.FlushUnderLock();
            }

            connection._readThread = new Thread(connection.ReadLoop) { IsBackground = true, Name = ReaderThreadName };
            onReaderStarting?.Invoke(connection._readThread);
            connection._readThread.Start();
            await connection._settingsReceived.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            return connection;
        }
        catch (Exception e) when (e is not Http2ConnectException)
        {
            connection.Abort(Http2StreamFailure.ConnectionLost);
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new Http2ConnectException($"connecting to {options.BaseUri} took longer than {options.ConnectTimeout.TotalSeconds:0.#} s", e);
            }

            throw new Http2ConnectException($"connecting to {options.BaseUri} failed: {e.Message}", e);
        }
        catch
        {
            connection.Abort(Http2StreamFailure.ConnectionLost);
            throw;
        }
    }

    /// <summary>Periodic work from the pool's timer: request timeouts and keep-alive PINGs.</summary>
    public void OnTimer(long nowTicks, bool sendPing)
    {
        if (Volatile.Read(ref _state) == 2)
        {
            return;
        }

        for (var i = 0; i < _slots.Length; i++)
        {
            ref var slot = ref _slots[i];
            if (Volatile.Read(ref slot.State) == StreamSlot.Open && nowTicks > Volatile.Read(ref slot.DeadlineTicks))
            {
                var streamId = slot.StreamId;
                if (TryComplete(ref slot, Http2StreamFailure.Timeout))
                {
                    _counters.OnTimeout();
                    QueueControl(ControlFrame.Reset(streamId, Http2ErrorCode.Cancel));
                }
            }
        }

        if (sendPing)
        {
            QueueControl(ControlFrame.Ping(Stopwatch.GetTimestamp()));
        }

        DrainControlIfPending();
    }

    /// <summary>Closes the connection for a reason: every open stream is failed with it, once.</summary>
    public void Abort(Http2StreamFailure reason)
    {
        var previous = Interlocked.Exchange(ref _state, 2);
        if (previous == 2)
        {
            return;
        }

        WasDraining = previous == 1;

        Interlocked.CompareExchange(ref _closeReason, (int)reason, -1);
        WaitForStreamsBeingOpened();

        // Dropping the socket first unblocks a sender stuck in a flush and the reader asleep in its blocking read.
        try
        {
            DropSocket();
            _stream?.Dispose();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // Already broken: nothing more to release.
        }

        try
        {
            FailAllOpenStreams(reason);
            lock (_writeLock)
            {
                // What is buffered and unsent is dropped with the pipe; every sender after this finds the state closed.
                Output.Complete();
            }

            if (_settingsReceived.TrySetException(new Http2ConnectException("the connection closed before the server's SETTINGS arrived")))
            {
                // Nobody awaits it when connecting failed earlier (refused, TLS) or timed out: mark the fault observed so
                // the finalizer does not raise TaskScheduler.UnobservedTaskException for it.
                _ = _settingsReceived.Task.Exception;
            }
        }
        finally
        {
            // Always: the pool replaces the connection when this completes.
            _closed.TrySetResult(reason);
        }
    }

    /// <summary>Closes gracefully when nothing is in flight; the pool calls this on draining connections.</summary>
    public bool TryCloseIfDrained()
    {
        if (Volatile.Read(ref _state) == 1 && Volatile.Read(ref _activeStreams) == 0)
        {
            QueueControl(ControlFrame.GoAway(Http2ErrorCode.NoError));
            DrainControlIfPending();
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
            await Task.WhenAny(_readLoopEnded.Task, Task.Delay(s_closeWait)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Ends both directions at the TCP level, which wakes a thread blocked in a read or a write on the socket, then
    /// closes it.
    /// </summary>
    private void DropSocket()
    {
        try
        {
            _socket?.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Not connected or already closed: nobody can be blocked on it.
        }

        _socket?.Dispose();
    }

    // The send side's pipe: frames are written into it under _writeLock and moved to the socket at each flush.
    private PipeWriter Output => _outbound.Writer;

    /// <summary>
    /// Called after <c>_state</c> changed: a sender that is opening a stream under <c>_peerLock</c> finishes first, so
    /// a scan of the slots after this sees its stream, and any sender that comes later sees the new state and opens none.
    /// </summary>
    private void WaitForStreamsBeingOpened()
    {
        _peerLock.Enter();
        _peerLock.Exit();
    }

    private static ReceiveWindow NewReceiveWindow(int size, bool holdCreditUntilExhausted) =>
        holdCreditUntilExhausted ? new ReceiveWindow(size, size) : new ReceiveWindow(size);

    private void FailAllOpenStreams(Http2StreamFailure reason)
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            TryComplete(ref _slots[i], reason);
        }
    }

    /// <summary>Fails the open streams above <paramref name="lastStreamId"/> as never processed (GOAWAY).</summary>
    private void FailStreamsAbove(int lastStreamId)
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            ref var slot = ref _slots[i];
            if (Volatile.Read(ref slot.State) == StreamSlot.Open && slot.StreamId > lastStreamId)
            {
                TryComplete(ref slot, Http2StreamFailure.NotProcessed);
            }
        }
    }

    /// <summary>Reports a failure for an open slot if nobody else has completed it; true when this call did.</summary>
    private bool TryComplete(ref StreamSlot slot, Http2StreamFailure failure)
    {
        if (Interlocked.CompareExchange(ref slot.State, StreamSlot.Completing, StreamSlot.Open) != StreamSlot.Open)
        {
            return false;
        }

        var token = slot.Token;
        Release(ref slot);
        try
        {
            _handler.OnFailure(token, failure);
        }
        catch (Exception)
        {
            _counters.OnHandlerException();
        }

        return true;
    }

    /// <summary>Reports a response for an open slot if nobody else has completed it.</summary>
    private bool TryComplete(ref StreamSlot slot, in Http2ResponseHead head, ReadOnlySpan<byte> body)
    {
        if (Interlocked.CompareExchange(ref slot.State, StreamSlot.Completing, StreamSlot.Open) != StreamSlot.Open)
        {
            return false;
        }

        var token = slot.Token;
        Release(ref slot);
        try
        {
            _handler.OnResponse(token, head, body);
        }
        catch (Exception)
        {
            _counters.OnHandlerException();
        }

        return true;
    }

    private void Release(ref StreamSlot slot)
    {
        Interlocked.Decrement(ref _activeStreams);
        _counters.OnStreamClosed();
        Volatile.Write(ref slot.State, StreamSlot.Free);
    }

    /// <summary>A control frame queued by a thread that does not own the write side.</summary>
    private readonly record struct ControlFrame(Http2FrameType Type, int StreamId, long Value, bool Ack)
    {
        public static ControlFrame SettingsAck() => new(Http2FrameType.Settings, 0, 0, true);

        public static ControlFrame Ping(long payload) => new(Http2FrameType.Ping, 0, payload, false);

        public static ControlFrame PingAck(long payload) => new(Http2FrameType.Ping, 0, payload, true);

        public static ControlFrame WindowUpdate(int streamId, int increment) => new(Http2FrameType.WindowUpdate, streamId, increment, false);

        public static ControlFrame Reset(int streamId, Http2ErrorCode code) => new(Http2FrameType.RstStream, streamId, (long)code, false);

        public static ControlFrame GoAway(Http2ErrorCode code) => new(Http2FrameType.GoAway, 0, (long)code, false);
    }

    private readonly ConcurrentQueue<ControlFrame> _control = new();
}
