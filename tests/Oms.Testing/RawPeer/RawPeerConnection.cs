using System.Diagnostics;
using System.Net.Sockets;
using Oms.Transport.Http2;
using static Oms.Testing.Waiting.Waiting;

namespace Oms.Testing.RawPeer;

/// <summary>
/// One accepted connection of the <see cref="RawHttp2Peer"/>: a dedicated thread reads the client's frames with the
/// peer's own parser (<see cref="ClientFrame"/>) and answers with frames built by <see cref="RawFrame"/>; tests inject
/// bytes and observe what the client sent.
/// </summary>
/// <remarks>
/// The reading thread does blocking socket I/O into buffers allocated once, so serving requests allocates nothing
/// unless requests are decoded. Writes (answers from the reading thread, injections from tests) go through one lock.
/// Control frames the client sends are kept in <see cref="Frames"/>; HEADERS and DATA are only counted unless
/// <see cref="RawPeerOptions.RecordStreamFrames"/> asks for them too.
/// </remarks>
internal sealed class RawPeerConnection : IDisposable
{
    private const int ReceiveBufferSize = 1 << 20;
    private const int OutputBufferSize = 256 * 1024;
    private const byte EndStream = PeerFrames.EndStream, EndHeaders = PeerFrames.EndHeaders, Ack = PeerFrames.Ack;

    // RFC 9113 section 3.4: the client connection preface.
    private static readonly byte[] s_clientPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    private readonly Socket _socket;
    private readonly RawPeerOptions _options;
    private readonly Thread _thread;
    private readonly byte[] _receive;
    private readonly PeerOutput _out;
    private readonly Lock _stateLock = new();
    private readonly List<ObservedFrame> _frames;
    private readonly List<int> _held;
    private readonly ClientRequests _requests;
    private readonly EndlessBodyPump _pump;
    private readonly PeerReplies _replies;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _requestsReceived;
    private long _headersReceived;
    private string? _error;
    private int _disposed;
    private long _closedTicks;

    internal RawPeerConnection(Socket socket, RawPeerOptions options, int index)
    {
        _socket = socket;
        _options = options;
        Index = index;

        // A connection that is ended on opening needs no buffers for serving: the reconnect-loop memory test counts
        // every byte the process allocates, this peer's included.
        var serves = options.Opening == RawPeerOpening.Serve;
        _receive = new byte[serves ? ReceiveBufferSize : 0];
        _out = new PeerOutput(socket, serves ? OutputBufferSize : 256);
        _frames = new List<ObservedFrame>(serves ? 1024 : 4);
        _held = new List<int>(serves ? 1024 : 0);
        _requests = new ClientRequests(options.DecodeRequests);
        _pump = new EndlessBodyPump("raw-h2-peer-pump-" + index, () => Volatile.Read(ref _disposed) == 0 && !_closed.Task.IsCompleted, _out.SendNow);
        _replies = new PeerReplies(_out, options, _pump);
        _thread = new Thread(Run) { IsBackground = true, Name = "raw-h2-peer-" + index };
    }

    /// <summary>0 for the first connection the peer accepted, then 1, 2...</summary>
    public int Index { get; }

    /// <summary>When the peer accepted the connection (<see cref="Stopwatch"/> ticks).</summary>
    public long AcceptedTicks { get; } = Stopwatch.GetTimestamp();

    /// <summary>When the connection ended (<see cref="Stopwatch"/> ticks); 0 while it is open.</summary>
    public long ClosedTicks => Volatile.Read(ref _closedTicks);

    /// <summary>How long the connection has been (or was) open.</summary>
    public TimeSpan Lifetime => Stopwatch.GetElapsedTime(AcceptedTicks, ClosedTicks != 0 ? ClosedTicks : Stopwatch.GetTimestamp());

    /// <summary>Requests whose stream the client ended (END_STREAM on DATA or on the header block).</summary>
    public long RequestsReceived => Interlocked.Read(ref _requestsReceived);

    /// <summary>HEADERS frames received.</summary>
    public long HeadersReceived => Interlocked.Read(ref _headersReceived);

    /// <summary>Completes when the connection has ended, whoever ended it.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Something the peer could not handle (a header block it could not decode, a malformed frame); null when all went well.</summary>
    public string? Error
    {
        get
        {
            lock (_stateLock)
            {
                return _error;
            }
        }
    }

    /// <summary>The control frames received so far, in order (and the others with <see cref="RawPeerOptions.RecordStreamFrames"/>).</summary>
    public IReadOnlyList<ObservedFrame> Frames
    {
        get
        {
            lock (_stateLock)
            {
                return [.. _frames];
            }
        }
    }

    /// <summary>Decoded requests so far, in arrival order (only with <see cref="RawPeerOptions.DecodeRequests"/>).</summary>
    public IReadOnlyList<RawPeerRequest> Requests => _requests.Snapshot();

    /// <summary>Streams held without an answer, in arrival order.</summary>
    public IReadOnlyList<int> HeldStreams
    {
        get
        {
            lock (_stateLock)
            {
                return [.. _held];
            }
        }
    }

    /// <summary>Sends raw bytes now: any frame, well formed or not.</summary>
    public void Send(ReadOnlySpan<byte> bytes) => _out.SendNow(bytes);

    /// <summary>Sends a SETTINGS frame and applies its header table size to the request decoder once the client acknowledges it.</summary>
    public void SendSettings(params Http2Setting[] settings)
    {
        _requests.OnSettingsSent(settings);
        Send(PeerFrames.SettingsFrame([.. settings.Select(setting => (setting.Parameter, setting.Value))]));
    }

    /// <summary>Answers a held stream as <see cref="RawPeerReply.Answer"/> would have.</summary>
    public void Answer(int streamId)
    {
        lock (_stateLock)
        {
            _held.Remove(streamId);
        }

        lock (_out.Lock)
        {
            _replies.WriteUnderLock(streamId, RawPeerReply.Answer);
            _out.FlushUnderLock();
        }
    }

    /// <summary>Drops the TCP connection at once.</summary>
    public void Close()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        _socket.Close();
    }

    /// <summary>Waits for a control frame matching <paramref name="match"/>; null when none came in time.</summary>
    public async Task<ObservedFrame?> WaitForFrameAsync(Func<ObservedFrame, bool> match, TimeSpan timeout)
    {
        ObservedFrame? found = null;
        await WaitUntilAsync(() => (found = FirstFrame(match)) is not null, timeout);
        return found;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests have arrived.</summary>
    public Task<bool> WaitForRequestsAsync(long count, TimeSpan timeout) =>
        WaitUntilAsync(() => RequestsReceived >= count, timeout);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Close();
        if (_thread.IsAlive && !_thread.Join(TimeSpan.FromSeconds(5)))
        {
            throw new InvalidOperationException($"raw peer connection {Index} did not stop within 5 s");
        }

        if (!_pump.Join(TimeSpan.FromSeconds(5)))
        {
            throw new InvalidOperationException($"raw peer connection {Index}'s pump did not stop within 5 s");
        }
    }

    internal void Start() => _thread.Start();

    private ObservedFrame? FirstFrame(Func<ObservedFrame, bool> match)
    {
        foreach (var frame in Frames)
        {
            if (match(frame))
            {
                return frame;
            }
        }

        return null;
    }

    /// <summary>Keeps the connection open, reading and dropping whatever the client sends, until the client closes it.</summary>
    private void WaitForClientToClose()
    {
        var sink = new byte[4096];
        while (_socket.Receive(sink) > 0)
        {
        }
    }

    private void Run()
    {
        try
        {
            if (!ReadPreface())
            {
                return;
            }

            SendServerPreface();
            if (_options.Opening != RawPeerOpening.Serve)
            {
                if (_options.Opening == RawPeerOpening.GoAway)
                {
                    _out.SendNow(PeerFrames.GoAwayFrame(0, Http2ErrorCode.NoError));
                    WaitForClientToClose();
                }

                return;
            }

            ServeFrames();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The client or the test closed the connection.
        }
        catch (Exception e)
        {
            lock (_stateLock)
            {
                _error = e.ToString();
            }
        }
        finally
        {
            _socket.Close();
            Volatile.Write(ref _closedTicks, Stopwatch.GetTimestamp());
            _closed.TrySetResult();
        }
    }

    private void ServeFrames()
    {
        var filled = 0;
        while (true)
        {
            if (filled == _receive.Length)
            {
                throw new InvalidOperationException("A client frame does not fit the peer's receive buffer.");
            }

            var received = _socket.Receive(_receive.AsSpan(filled));
            if (received == 0)
            {
                return;
            }

            filled += received;
            var consumed = 0;
            while (ClientFrame.TryRead(_receive.AsSpan(consumed, filled - consumed), out var frame, out var length))
            {
                OnFrame(frame);
                consumed += length;
            }

            _receive.AsSpan(consumed, filled - consumed).CopyTo(_receive);
            filled -= consumed;
            lock (_out.Lock)
            {
                _out.FlushUnderLock();
            }
        }
    }

    private bool ReadPreface()
    {
        Span<byte> preface = stackalloc byte[s_clientPreface.Length];
        var filled = 0;
        while (filled < preface.Length)
        {
            var received = _socket.Receive(preface[filled..]);
            if (received == 0)
            {
                return false;
            }

            filled += received;
        }

        if (!preface.SequenceEqual(s_clientPreface))
        {
            throw new InvalidOperationException("The client did not send the HTTP/2 connection preface.");
        }

        return true;
    }

    // RFC 9113 section 3.4: the server's preface is a SETTINGS frame; section 6.9: WINDOW_UPDATE is R (1) and
    // Window Size Increment (31).
    private void SendServerPreface()
    {
        lock (_out.Lock)
        {
            if (_options.SendSettingsFirst)
            {
                _requests.OnSettingsSent(_options.Settings);
                _out.AppendSettingsUnderLock(_options.Settings);
            }

            else
            {
                _out.AppendUnderLock(PeerFrames.Ping, 0, 0, [1, 2, 3, 4, 5, 6, 7, 8]);
            }

            if (_options.ConnectionWindowIncrement > 0)
            {
                Span<byte> increment = stackalloc byte[4];
                RawFrame.WriteU32(increment, (uint)_options.ConnectionWindowIncrement);
                _out.AppendUnderLock(PeerFrames.WindowUpdate, 0, 0, increment);
            }

            _out.FlushUnderLock();
        }
    }

    private void OnFrame(ClientFrame frame)
    {
        if (_options.RecordStreamFrames && frame.Type is PeerFrames.Headers or PeerFrames.Continuation or PeerFrames.Data)
        {
            Record(frame, default, 0, 0, 0);
        }

        switch (frame.Type)
        {
            case PeerFrames.Headers:
                Interlocked.Increment(ref _headersReceived);
                if (_requests.OnHeaders(frame.StreamId, frame.HasFlag(EndStream), frame.Content(), frame.HasFlag(EndHeaders)))
                {
                    OnRequestComplete(frame.StreamId);
                }

                break;
            case PeerFrames.Continuation:
                if (_requests.OnFragment(frame.StreamId, frame.Payload, frame.HasFlag(EndHeaders)))
                {
                    OnRequestComplete(frame.StreamId);
                }

                break;
            case PeerFrames.Data:
                _requests.OnData(frame.StreamId, frame.Content());
                if (frame.HasFlag(EndStream))
                {
                    OnRequestComplete(frame.StreamId);
                }

                break;
            case PeerFrames.Settings:
                OnSettings(frame);
                break;
            case PeerFrames.Ping:
                Record(frame, default, 0, 0, ((ulong)RawFrame.ReadU32(frame.Payload) << 32) | RawFrame.ReadU32(frame.Payload[4..]));
                if (!frame.HasFlag(Ack) && _options.AnswerPings)
                {
                    lock (_out.Lock)
                    {
                        _out.AppendUnderLock(PeerFrames.Ping, Ack, 0, frame.Payload[..8]);
                    }
                }

                break;
            case PeerFrames.RstStream:
                Record(frame, (Http2ErrorCode)RawFrame.ReadU32(frame.Payload), 0, 0, 0);
                lock (_stateLock)
                {
                    _held.Remove(frame.StreamId);
                }

                _pump.Remove(frame.StreamId);
                break;
            case PeerFrames.GoAway:
                // RFC 9113 section 6.8: R (1), Last-Stream-ID (31), Error Code (32), Additional Debug Data (*).
                Record(frame, (Http2ErrorCode)RawFrame.ReadU32(frame.Payload[4..]), (int)(RawFrame.ReadU32(frame.Payload) & 0x7FFF_FFFF), 0, 0);
                break;
            case PeerFrames.WindowUpdate:
                var increment = (int)(RawFrame.ReadU32(frame.Payload) & 0x7FFF_FFFF);
                Record(frame, default, 0, increment, 0);
                _pump.OnWindowUpdate(frame.StreamId, increment);
                break;
            default:
                Record(frame, default, 0, 0, 0);
                break;
        }
    }

    private void OnSettings(ClientFrame frame)
    {
        Record(frame, default, 0, 0, 0);
        if (frame.HasFlag(Ack))
        {
            _requests.OnSettingsAcknowledged();
            return;
        }

        for (var offset = 0; offset + 6 <= frame.Payload.Length; offset += 6)
        {
            var parameter = (frame.Payload[offset] << 8) | frame.Payload[offset + 1];
            if (parameter == (int)Http2SettingsParameter.InitialWindowSize)
            {
                _pump.OnInitialWindowSize(RawFrame.ReadU32(frame.Payload[(offset + 2)..]));
            }
        }

        lock (_out.Lock)
        {
            _out.AppendUnderLock(PeerFrames.Settings, Ack, 0, []);
        }
    }

    private void OnRequestComplete(int streamId)
    {
        _requests.OnComplete(streamId);

        // Only this connection's reader counts requests. A held stream is on the held list before the count says the
        // request arrived, so a test that waits for the count and then answers always finds it there.
        var number = Interlocked.Read(ref _requestsReceived) + 1;
        var reply = _options.Reply?.Invoke(new RawPeerCall(Index, streamId, number)) ?? RawPeerReply.Answer;
        if (reply == RawPeerReply.Hold)
        {
            lock (_stateLock)
            {
                _held.Add(streamId);
            }
        }

        Interlocked.Increment(ref _requestsReceived);
        lock (_out.Lock)
        {
            _replies.WriteUnderLock(streamId, reply);
        }

        if (reply == RawPeerReply.HeadersThenClose)
        {
            Close();
        }
    }

    private void Record(ClientFrame frame, Http2ErrorCode code, int lastStreamId, int increment, ulong opaque)
    {
        lock (_stateLock)
        {
            _frames.Add(new ObservedFrame((Http2FrameType)frame.Type, (Http2FrameFlags)frame.Flags, frame.StreamId, code, lastStreamId, increment, opaque, frame.Payload.Length));
        }
    }
}
