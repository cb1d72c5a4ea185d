using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Oms.Transport.HPack;
using Oms.Transport.Http2;

namespace Oms.Testing.RawPeer;

/// <summary>
/// One accepted connection of the <see cref="RawHttp2Peer"/>: a dedicated thread reads the client's frames with the
/// project's <see cref="Http2FrameReader"/> and answers; tests inject bytes and observe what the client sent.
/// </summary>
/// <remarks>
/// The reading thread does blocking socket I/O into buffers allocated once, so serving requests allocates nothing
/// unless requests are decoded. Writes (answers from the reading thread, injections from tests) go through one lock.
/// Control frames the client sends are kept in <see cref="Frames"/>; HEADERS and DATA are only counted unless
/// <see cref="RawPeerOptions.RecordStreamFrames"/> asks for them too.
/// </remarks>
public sealed class RawPeerConnection : IDisposable
{
    private const int ReceiveBufferSize = 1 << 20;
    private const int OutputBufferSize = 256 * 1024;
    private const int HeaderListLimit = 256 * 1024;

    private static readonly byte[] s_statusOk = [0x88];

    private readonly Socket _socket;
    private readonly RawPeerOptions _options;
    private readonly Thread _thread;
    private readonly byte[] _receive;
    private readonly byte[] _output;
    private readonly Lock _sendLock = new();
    private readonly Lock _stateLock = new();
    private readonly List<ObservedFrame> _frames;
    private readonly List<int> _held;
    private readonly List<RawPeerRequest> _requests = [];
    private readonly Queue<int> _unackedTableSizes = new();
    private readonly HPackDecoder? _decoder;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _outputLength;
    private long _requestsReceived;
    private long _headersReceived;
    private int _headerBlockStream;
    private bool _headerBlockEndsStream;
    private RawPeerRequest? _headerBlockRequest;
    private string? _error;
    private int _disposed;
    private long _closedTicks;

    // Endless bodies (RawPeerReply.EndlessBody): the streams being pumped, and the client's flow-control credit as
    // this peer tracks it (RFC 9113 section 6.9): the connection window and each stream's, from the client's
    // SETTINGS_INITIAL_WINDOW_SIZE and its WINDOW_UPDATE frames. Guarded by _stateLock.
    private readonly Dictionary<int, long> _pumped = [];
    private long _clientConnectionWindow = 65_535;
    private long _clientInitialStreamWindow = 65_535;
    private Thread? _pump;

    internal RawPeerConnection(Socket socket, RawPeerOptions options, int index)
    {
        _socket = socket;
        _options = options;
        Index = index;

        // A connection that is ended on opening needs no buffers for serving: the reconnect-loop memory test counts
        // every byte the process allocates, this peer's included.
        var serves = options.Opening == RawPeerOpening.Serve;
        _receive = new byte[serves ? ReceiveBufferSize : 0];
        _output = new byte[serves ? OutputBufferSize : 256];
        _frames = new List<ObservedFrame>(serves ? 1024 : 4);
        _held = new List<int>(serves ? 1024 : 0);
        if (options.DecodeRequests)
        {
            _decoder = new HPackDecoder(HeaderListLimit);
        }

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
    public IReadOnlyList<RawPeerRequest> Requests
    {
        get
        {
            lock (_stateLock)
            {
                return [.. _requests];
            }
        }
    }

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
    public void Send(ReadOnlySpan<byte> bytes)
    {
        lock (_sendLock)
        {
            FlushUnderLock();
            SendAll(bytes);
        }
    }

    /// <summary>Sends a SETTINGS frame and applies its header table size to the request decoder once the client acknowledges it.</summary>
    public void SendSettings(params Http2Setting[] settings)
    {
        var frame = new byte[Http2FrameHeader.Size + (settings.Length * Http2Setting.Size)];
        Http2ControlFrameWriter.TryWriteSettings(frame, settings, out var written);
        lock (_stateLock)
        {
            _unackedTableSizes.Enqueue(TableSizeIn(settings));
        }

        Send(frame.AsSpan(0, written));
    }

    /// <summary>Answers a held stream as <see cref="RawPeerReply.Answer"/> would have.</summary>
    public void Answer(int streamId)
    {
        lock (_stateLock)
        {
            _held.Remove(streamId);
        }

        lock (_sendLock)
        {
            AppendAnswerUnderLock(streamId);
            FlushUnderLock();
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
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            foreach (var frame in Frames)
            {
                if (match(frame))
                {
                    return frame;
                }
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                return null;
            }

            await Task.Delay(5);
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> requests have arrived.</summary>
    public async Task<bool> WaitForRequestsAsync(long count, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (RequestsReceived < count)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            await Task.Delay(5);
        }

        return true;
    }

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

        if (_pump is { IsAlive: true } pump && !pump.Join(TimeSpan.FromSeconds(5)))
        {
            throw new InvalidOperationException($"raw peer connection {Index}'s pump did not stop within 5 s");
        }
    }

    /// <summary>Keeps the connection open, reading and dropping whatever the client sends, until the client closes it.</summary>
    private void WaitForClientToClose()
    {
        var sink = new byte[4096];
        while (_socket.Receive(sink) > 0)
        {
        }
    }

    private void TrackClientSettings(ReadOnlySequence<byte> payload)
    {
        var bytes = payload.ToArray();
        for (var offset = 0; offset + 6 <= bytes.Length; offset += 6)
        {
            if (BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(offset)) == (ushort)Http2SettingsParameter.InitialWindowSize)
            {
                lock (_stateLock)
                {
                    _clientInitialStreamWindow = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset + 2));
                }
            }
        }
    }

    /// <summary>
    /// Sends DATA on every endless stream, round robin, as far as the client's windows allow; waits a moment when
    /// they allow nothing. Ends with the connection.
    /// </summary>
    private void PumpEndlessBodies()
    {
        var chunk = new byte[Http2FrameHeader.Size + 16_384];
        chunk.AsSpan(Http2FrameHeader.Size).Fill((byte)'x');
        var streams = new List<int>();
        while (Volatile.Read(ref _disposed) == 0 && !_closed.Task.IsCompleted)
        {
            var sent = false;
            lock (_stateLock)
            {
                streams.Clear();
                streams.AddRange(_pumped.Keys);
            }

            foreach (var streamId in streams)
            {
                int length;
                lock (_stateLock)
                {
                    if (!_pumped.TryGetValue(streamId, out var streamWindow))
                    {
                        continue;
                    }

                    length = (int)Math.Min(16_384, Math.Min(streamWindow, _clientConnectionWindow));
                    if (length <= 0)
                    {
                        continue;
                    }

                    _pumped[streamId] = streamWindow - length;
                    _clientConnectionWindow -= length;
                }

                // RFC 9113 section 4.1, by hand: Length (24), Type DATA, no flags, Stream Identifier (31).
                chunk[0] = (byte)(length >> 16);
                chunk[1] = (byte)(length >> 8);
                chunk[2] = (byte)length;
                chunk[3] = PeerFrames.Data;
                chunk[4] = 0;
                BinaryPrimitives.WriteInt32BigEndian(chunk.AsSpan(5), streamId);
                lock (_sendLock)
                {
                    FlushUnderLock();
                    SendAll(chunk.AsSpan(0, Http2FrameHeader.Size + length));
                }

                sent = true;
            }

            if (!sent)
            {
                Thread.Sleep(1);
            }
        }
    }

    internal void Start() => _thread.Start();

    private static int TableSizeIn(ReadOnlySpan<Http2Setting> settings)
    {
        var size = -1;
        foreach (var setting in settings)
        {
            if (setting.Parameter == Http2SettingsParameter.HeaderTableSize)
            {
                size = (int)setting.Value;
            }
        }

        return size;
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
                    SendAll(PeerFrames.GoAwayFrame(0, Http2ErrorCode.NoError));
                    WaitForClientToClose();
                }

                return;
            }

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
                var buffer = new ReadOnlySequence<byte>(_receive, 0, filled);
                while (Http2FrameReader.TryReadFrame(ref buffer, Http2FrameHeader.MaxPayloadLength, out var header, out var payload))
                {
                    OnFrame(header, payload);
                }

                var consumed = filled - (int)buffer.Length;
                _receive.AsSpan(consumed, filled - consumed).CopyTo(_receive);
                filled -= consumed;
                lock (_sendLock)
                {
                    FlushUnderLock();
                }
            }
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

    private bool ReadPreface()
    {
        Span<byte> preface = stackalloc byte[Http2ControlFrameWriter.ClientPrefaceLength];
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

        if (!preface.SequenceEqual(Http2ControlFrameWriter.ClientPreface))
        {
            throw new InvalidOperationException("The client did not send the HTTP/2 connection preface.");
        }

        return true;
    }

    private void SendServerPreface()
    {
        lock (_sendLock)
        {
            var span = _output.AsSpan(_outputLength);
            int written;
            if (_options.SendSettingsFirst)
            {
                var settings = _options.Settings.ToArray();
                Http2ControlFrameWriter.TryWriteSettings(span, settings, out written);
                lock (_stateLock)
                {
                    _unackedTableSizes.Enqueue(TableSizeIn(settings));
                }
            }
            else
            {
                Http2ControlFrameWriter.TryWritePing(span, 0x0102030405060708, out written);
            }

            _outputLength += written;
            if (_options.ConnectionWindowIncrement > 0)
            {
                Http2ControlFrameWriter.TryWriteWindowUpdate(_output.AsSpan(_outputLength), 0, _options.ConnectionWindowIncrement, out written);
                _outputLength += written;
            }

            FlushUnderLock();
        }
    }

    private void OnFrame(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        if (_options.RecordStreamFrames && header.Type is Http2FrameType.Headers or Http2FrameType.Continuation or Http2FrameType.Data)
        {
            Record(header, default, 0, 0, 0);
        }

        switch (header.Type)
        {
            case Http2FrameType.Headers:
                OnHeaders(header, payload);
                break;
            case Http2FrameType.Continuation:
                OnHeaderFragment(header.StreamId, Http2FrameReader.ReadContinuation(header, payload), header.HasFlags(Http2FrameFlags.EndHeaders));
                break;
            case Http2FrameType.Data:
                var data = Http2FrameReader.ReadData(header, payload);
                if (_decoder is not null)
                {
                    FindRequest(header.StreamId)?.AddBody(data.ToArray());
                }

                if (header.HasFlags(Http2FrameFlags.EndStream))
                {
                    OnRequestComplete(header.StreamId);
                }

                break;
            case Http2FrameType.Settings:
                Record(header, default, 0, 0, 0);
                if (!header.HasFlags(Http2FrameFlags.Ack))
                {
                    TrackClientSettings(payload);
                }

                if (header.HasFlags(Http2FrameFlags.Ack))
                {
                    ApplyAcknowledgedSettings();
                }
                else
                {
                    lock (_sendLock)
                    {
                        EnsureRoom(Http2FrameHeader.Size);
                        Http2ControlFrameWriter.TryWriteSettingsAck(_output.AsSpan(_outputLength), out var written);
                        _outputLength += written;
                    }
                }

                break;
            case Http2FrameType.Ping:
                var opaque = BinaryPrimitives.ReadUInt64BigEndian(payload.FirstSpan);
                Record(header, default, 0, 0, opaque);
                if (!header.HasFlags(Http2FrameFlags.Ack) && _options.AnswerPings)
                {
                    lock (_sendLock)
                    {
                        EnsureRoom(Http2FrameHeader.Size + 8);
                        Http2ControlFrameWriter.TryWritePingAck(_output.AsSpan(_outputLength), opaque, out var written);
                        _outputLength += written;
                    }
                }

                break;
            case Http2FrameType.RstStream:
                Record(header, (Http2ErrorCode)BinaryPrimitives.ReadUInt32BigEndian(payload.FirstSpan), 0, 0, 0);
                lock (_stateLock)
                {
                    _held.Remove(header.StreamId);
                    _pumped.Remove(header.StreamId);
                }

                break;
            case Http2FrameType.GoAway:
                var goAway = Http2ControlFrameReader.ReadGoAway(header, payload);
                Record(header, goAway.ErrorCode, goAway.LastStreamId, 0, 0);
                break;
            case Http2FrameType.WindowUpdate:
                var increment = (int)(BinaryPrimitives.ReadUInt32BigEndian(payload.FirstSpan) & 0x7FFF_FFFF);
                Record(header, default, 0, increment, 0);
                lock (_stateLock)
                {
                    if (header.StreamId == 0)
                    {
                        _clientConnectionWindow += increment;
                    }
                    else if (_pumped.TryGetValue(header.StreamId, out var window))
                    {
                        _pumped[header.StreamId] = window + increment;
                    }
                }

                break;
            default:
                Record(header, default, 0, 0, 0);
                break;
        }
    }

    private void OnHeaders(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        Interlocked.Increment(ref _headersReceived);
        var block = Http2FrameReader.ReadHeaders(header, payload);
        _headerBlockStream = header.StreamId;
        _headerBlockEndsStream = header.HasFlags(Http2FrameFlags.EndStream);
        if (_decoder is not null)
        {
            var request = new RawPeerRequest(header.StreamId);
            lock (_stateLock)
            {
                _requests.Add(request);
            }

            _headerBlockRequest = request;
        }

        OnHeaderFragment(header.StreamId, block, header.HasFlags(Http2FrameFlags.EndHeaders));
    }

    private void OnHeaderFragment(int streamId, ReadOnlySequence<byte> fragment, bool endHeaders)
    {
        if (streamId != _headerBlockStream)
        {
            throw new InvalidOperationException($"CONTINUATION on stream {streamId} inside the header block of stream {_headerBlockStream}.");
        }

        if (_decoder is not null && _headerBlockRequest is { } request)
        {
            var bytes = fragment.ToArray();
            request.AddHeaderBlock(bytes);
            var handler = new RequestHeaderCollector(request);
            _decoder.Decode(bytes, endHeaders, handler);
        }

        if (endHeaders && _headerBlockEndsStream)
        {
            OnRequestComplete(streamId);
        }
    }

    private void OnRequestComplete(int streamId)
    {
        if (FindRequest(streamId) is { } request)
        {
            request.IsComplete = true;
        }

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
        switch (reply)
        {
            case RawPeerReply.Answer:
                lock (_sendLock)
                {
                    AppendAnswerUnderLock(streamId);
                }

                break;
            case RawPeerReply.Hold:
                break;
            case RawPeerReply.ResetRefused:
            case RawPeerReply.ResetCancel:
                var code = reply == RawPeerReply.ResetRefused ? Http2ErrorCode.RefusedStream : Http2ErrorCode.Cancel;
                lock (_sendLock)
                {
                    EnsureRoom(64);
                    Http2ControlFrameWriter.TryWriteRstStream(_output.AsSpan(_outputLength), streamId, code, out var written);
                    _outputLength += written;
                }

                break;
            case RawPeerReply.AnswerThenGoAway:
            case RawPeerReply.AnswerThenViolate:
                lock (_sendLock)
                {
                    AppendAnswerUnderLock(streamId);
                    FlushUnderLock();
                    SendAll(reply == RawPeerReply.AnswerThenGoAway ? PeerFrames.GoAwayFrame(streamId, Http2ErrorCode.NoError) : PeerFrames.DataFrame(0, [1]));
                }

                break;
            case RawPeerReply.EndlessBody:
                lock (_sendLock)
                {
                    EnsureRoom(64);
                    Http2FrameWriter.TryWriteHeaders(_output.AsSpan(_outputLength), streamId, s_statusOk, Http2FrameFlags.EndHeaders, out var headersLength);
                    _outputLength += headersLength;
                    FlushUnderLock();
                }

                lock (_stateLock)
                {
                    _pumped[streamId] = _clientInitialStreamWindow;
                    if (_pump is null)
                    {
                        _pump = new Thread(PumpEndlessBodies) { IsBackground = true, Name = "raw-h2-peer-pump-" + Index };
                        _pump.Start();
                    }
                }

                break;
            case RawPeerReply.EndlessHeaderBlock:
                lock (_sendLock)
                {
                    FlushUnderLock();
                    var more = SendAll(PeerFrames.HeadersFrame(streamId, s_statusOk, 0));
                    var continuation = PeerFrames.ContinuationFrame(streamId, [], 0);
                    for (var i = 0; more && i < 10_000_000; i++)
                    {
                        more = SendAll(continuation);
                    }
                }

                break;
            case RawPeerReply.UpperCaseFieldName:
                lock (_sendLock)
                {
                    FlushUnderLock();
                    SendAll(PeerFrames.HeadersFrame(streamId, [0x88, 0x00, 0x03, (byte)'X', (byte)'-', (byte)'A', 0x01, (byte)'1'], PeerFrames.EndHeaders));
                    SendAll(PeerFrames.DataFrame(streamId, _options.ResponseBody));
                }

                break;
            case RawPeerReply.HeadersThenClose:
                lock (_sendLock)
                {
                    EnsureRoom(64 + _options.ResponseBody.Length);
                    Http2FrameWriter.TryWriteHeaders(_output.AsSpan(_outputLength), streamId, s_statusOk, Http2FrameFlags.EndHeaders, out var written);
                    _outputLength += written;
                    var half = _options.ResponseBody.AsSpan(0, _options.ResponseBody.Length / 2);
                    Http2FrameWriter.TryWriteData(_output.AsSpan(_outputLength), streamId, half, Http2FrameFlags.None, out written);
                    _outputLength += written;
                    FlushUnderLock();
                }

                Close();
                break;
        }
    }

    private RawPeerRequest? FindRequest(int streamId)
    {
        if (_decoder is null)
        {
            return null;
        }

        lock (_stateLock)
        {
            for (var i = _requests.Count - 1; i >= 0; i--)
            {
                if (_requests[i].StreamId == streamId)
                {
                    return _requests[i];
                }
            }
        }

        return null;
    }

    private void ApplyAcknowledgedSettings()
    {
        int size;
        lock (_stateLock)
        {
            if (!_unackedTableSizes.TryDequeue(out size))
            {
                return;
            }
        }

        // RFC 7541 section 4.2: the new limit binds the client's encoder from the acknowledgement on.
        if (size >= 0 && _decoder is not null)
        {
            _decoder.MaxDynamicTableSizeLimit = size;
        }
    }

    private void Record(Http2FrameHeader header, Http2ErrorCode code, int lastStreamId, int increment, ulong opaque)
    {
        lock (_stateLock)
        {
            _frames.Add(new ObservedFrame(header.Type, header.Flags, header.StreamId, code, lastStreamId, increment, opaque, header.PayloadLength));
        }
    }

    // RFC 9113 section 8.3.2: HEADERS carrying :status 200 as static table entry 8 (one indexed octet, 0x88),
    // then the body in one DATA frame with END_STREAM.
    private void AppendAnswerUnderLock(int streamId)
    {
        EnsureRoom((2 * Http2FrameHeader.Size) + s_statusOk.Length + _options.ResponseBody.Length);
        Http2FrameWriter.TryWriteHeaders(_output.AsSpan(_outputLength), streamId, s_statusOk, Http2FrameFlags.EndHeaders, out var written);
        _outputLength += written;
        Http2FrameWriter.TryWriteData(_output.AsSpan(_outputLength), streamId, _options.ResponseBody, Http2FrameFlags.EndStream, out written);
        _outputLength += written;
    }

    private void EnsureRoom(int bytes)
    {
        if (_outputLength + bytes > _output.Length)
        {
            FlushUnderLock();
        }
    }

    private void FlushUnderLock()
    {
        if (_outputLength == 0)
        {
            return;
        }

        var length = _outputLength;
        _outputLength = 0;
        SendAll(_output.AsSpan(0, length));
    }

    /// <summary>Sends every byte; false when the client is gone (whatever it did not get no longer matters).</summary>
    private bool SendAll(ReadOnlySpan<byte> bytes)
    {
        try
        {
            while (!bytes.IsEmpty)
            {
                bytes = bytes[_socket.Send(bytes)..];
            }

            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Copies decoded fields into the request record.</summary>
    private sealed class RequestHeaderCollector(RawPeerRequest request) : IHPackHeaderHandler
    {
        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
            request.AddHeader(Encoding.ASCII.GetString(name), Encoding.ASCII.GetString(value));
    }
}
