using System.Buffers;
using System.Net.Sockets;
using Oms.Transport.HPack;
using Oms.Transport.Http2;

namespace Oms.Engine.Confirmation.WebSockets;

/// <summary>
/// One HTTP/2 connection carrying one extended CONNECT stream (RFC 8441): the WebSocket's bytes, read and written on
/// the stream thread over a blocking socket, with the connection's duties done in passing.
/// </summary>
/// <remarks>
/// <para>
/// Duties: PING answered, the peer's SETTINGS applied and acknowledged, WINDOW_UPDATE sent for received DATA (stream
/// and connection) once half the window is used, so the venue never waits on us; GOAWAY, RST_STREAM, END_STREAM and
/// a closed socket end the tunnel with an <see cref="IOException"/>, which the order stream reports as a gap. Frames are
/// cut out of one reused buffer and DATA is copied from there to the reader: nothing is allocated once open.
/// </para>
/// <para>
/// Waiting: a read first polls the socket with the caller's timeout, so the thread wakes for its pings and its stop.
/// Over TLS a read that filled the room it was given may have left decrypted bytes inside the <c>SslStream</c>, which
/// the socket cannot show; the next read then goes straight to the stream. The room is kept far above a TLS record so
/// that this stays rare.
/// </para>
/// <para>Threading: the stream thread only, except <see cref="Abort"/>, which any thread may call to end a blocked read at once.</para>
/// </remarks>
internal sealed class Http2Tunnel : IWebSocketByteSource, IDisposable
{
    /// <summary>The tunnel's stream: the connection's first client stream.</summary>
    public const int StreamId = 1;

    private const int InputSize = 96 * 1024;
    private const int MinReadRoom = 64 * 1024;
    private const int MaxHeaderListSize = 16 * 1024;

    // RFC 8441 section 3; the transport's parameter list predates it, and an unknown identifier reaches us as is.
    private const Http2SettingsParameter EnableConnectProtocol = (Http2SettingsParameter)0x8;

    private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private readonly byte[] _input = new byte[InputSize];
    private readonly byte[] _output = new byte[Http2Setting.MinMaxFrameSize + Http2FrameHeader.Size];
    private readonly HPackDecoder _decoder = new(MaxHeaderListSize);
    private readonly HPackEncoder _encoder = new();
    private Stream? _stream;
    private bool _tls;
    private int _start;
    private int _end;
    private bool _lastReadFilled;
    private int _dataOffset;
    private int _dataRemaining;
    private bool _peerEnded;
    private readonly TunnelWindows _windows = new();
    private int _peerMaxFrameSize = Http2Setting.MinMaxFrameSize;
    private bool _peerSettingsSeen;
    private bool _peerConnectProtocol;
    private bool _headerBlockOpen;
    private bool _headerBlockEndsStream;
    private bool _responded;
    private ResponseStatus _status;
    private int _sendTimeoutMs = -1;
    private volatile bool _aborted;

    /// <summary>The status the venue answered the CONNECT with; 0 before the answer.</summary>
    public int ResponseStatusCode => _status.Status;

    /// <summary>WINDOW_UPDATE frames sent, stream and connection together.</summary>
    public int WindowUpdatesSent => _windows.UpdatesWritten;

    /// <summary>Whether <see cref="Abort"/> was called.</summary>
    public bool IsAborted => _aborted;

    /// <summary>
    /// Connects, exchanges the preface and SETTINGS, and when the venue allows extended CONNECT asks for the WebSocket;
    /// waits for the answer at most <paramref name="timeout"/> in all.
    /// </summary>
    /// <returns>How the attempt ended when the venue answered; the tunnel is usable only after <see cref="TunnelOutcome.Open"/>.</returns>
    /// <exception cref="IOException">The venue was unreachable, TLS failed, or the connection broke.</exception>
    /// <exception cref="TimeoutException">No answer within <paramref name="timeout"/>.</exception>
    /// <exception cref="Http2ConnectionException">The venue broke HTTP/2.</exception>
    public TunnelOutcome Open(TunnelRequest request, TimeSpan timeout)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        using var expiry = new CancellationTokenSource(timeout);
        using (expiry.Token.UnsafeRegister(static state => ((Http2Tunnel)state!).CloseSocket(), this))
        {
            try
            {
                _tls = request.Tls;
                _stream = TunnelConnector.Connect(_socket, request.Host, request.Port, request.Tls, request.Pinned, out bool http2);
                if (!http2)
                {
                    return TunnelOutcome.NoHttp2;
                }

                _socket.SendTimeout = (int)timeout.TotalMilliseconds;
                SendPreface();
                return Handshake(request, deadline);
            }
            catch (Exception e) when (expiry.IsCancellationRequested && !_aborted)
            {
                throw new TimeoutException($"no answer within {timeout.TotalSeconds:0} s", e);
            }
        }
    }

    /// <inheritdoc/>
    public int Read(Span<byte> destination, int timeoutMs)
    {
        long deadline = Stopwatch.GetTimestamp() + (timeoutMs * Stopwatch.Frequency / 1000);
        while (true)
        {
            if (_dataRemaining > 0)
            {
                int count = Math.Min(_dataRemaining, destination.Length);
                _input.AsSpan(_dataOffset, count).CopyTo(destination);
                _dataOffset += count;
                _dataRemaining -= count;
                return count;
            }

            if (_peerEnded)
            {
                throw new IOException("the venue ended the stream (END_STREAM)");
            }

            if (TryTakeFrame(out var header, out int offset))
            {
                Handle(header, offset);
            }
            else if (!Fill(deadline))
            {
                return 0;
            }
        }
    }

    /// <summary>Sends <paramref name="data"/> on the stream, in DATA frames no larger than the venue allows.</summary>
    /// <param name="data">The bytes: a few WebSocket frames, far below the send window.</param>
    /// <param name="timeoutMs">How long the socket may take to accept them.</param>
    /// <exception cref="IOException">The send window has no room (the venue is not reading), or the socket failed.</exception>
    public void Write(ReadOnlySpan<byte> data, int timeoutMs)
    {
        // Running out of send window is the venue not reading the stream at all: waiting for credit would hold up the
        // receiving side too, so the connection ends instead and is made again.
        if (!_windows.TryTakeSend(data.Length))
        {
            throw new IOException("the venue's flow-control window has no room for our message: it is not reading the stream");
        }

        if (timeoutMs != _sendTimeoutMs)
        {
            _socket.SendTimeout = timeoutMs;
            _sendTimeoutMs = timeoutMs;
        }

        while (true)
        {
            int chunk = Math.Min(data.Length, Math.Min(_peerMaxFrameSize, _output.Length - Http2FrameHeader.Size));
            Http2FrameWriter.TryWriteData(_output, StreamId, data.Slice(0, chunk), Http2FrameFlags.None, out int written);
            Stream.Write(_output, 0, written);
            data = data.Slice(chunk);
            if (data.IsEmpty)
            {
                return;
            }
        }
    }

    /// <summary>Ends the connection at once: a read or connect blocked on the stream thread returns or fails. Any thread, any number of times.</summary>
    public void Abort()
    {
        _aborted = true;
        CloseSocket();
    }

    /// <summary>Closes the connection; the stream thread, once done with it.</summary>
    public void Dispose()
    {
        Abort();
        try
        {
            _stream?.Dispose();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // Already broken: nothing more to release.
        }
    }

    private Stream Stream => _stream ?? throw new InvalidOperationException("The tunnel is not connected.");

    private static int ToMicroseconds(long deadline) =>
        (int)Math.Clamp((deadline - Stopwatch.GetTimestamp()) * 1_000_000 / Stopwatch.Frequency, 0, int.MaxValue);

    // RFC 9113 section 3.4: the preface, our SETTINGS, and the connection window raised to match the stream's.
    private void SendPreface()
    {
        Span<Http2Setting> settings =
        [
            new(Http2SettingsParameter.EnablePush, 0),
            new(Http2SettingsParameter.InitialWindowSize, TunnelWindows.ReceiveWindow),
            new(Http2SettingsParameter.MaxHeaderListSize, MaxHeaderListSize),
        ];
        Span<byte> frames = _output;
        Http2ControlFrameWriter.TryWriteClientPreface(frames, out int length);
        Http2ControlFrameWriter.TryWriteSettings(frames.Slice(length), settings, out int written);
        length += written;
        Http2ControlFrameWriter.TryWriteWindowUpdate(frames.Slice(length), 0, TunnelWindows.ReceiveWindow - TunnelWindows.DefaultWindow, out written);
        length += written;
        Stream.Write(_output, 0, length);
    }

    private TunnelOutcome Handshake(TunnelRequest request, long deadline)
    {
        bool asked = false;
        while (!_responded)
        {
            if (TryTakeFrame(out var header, out int offset))
            {
                // RFC 9113 section 3.4: the server's preface is a SETTINGS frame; anything else is not HTTP/2.
                if (!_peerSettingsSeen && header.Type != Http2FrameType.Settings)
                {
                    throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "the venue's first frame was not SETTINGS");
                }

                Handle(header, offset);
                if (_peerSettingsSeen && !asked)
                {
                    // RFC 8441 section 3: extended CONNECT only once the peer has said it understands it.
                    if (!_peerConnectProtocol)
                    {
                        return TunnelOutcome.NoExtendedConnect;
                    }

                    Stream.Write(ConnectRequest.Frame(_encoder, request, StreamId, _peerMaxFrameSize).Span);
                    asked = true;
                }
            }
            else if (!Fill(deadline))
            {
                throw new TimeoutException("the venue did not answer the stream's CONNECT in time");
            }
        }

        return _status.Status == 200 && !_peerEnded ? TunnelOutcome.Open : TunnelOutcome.Refused;
    }

    private bool TryTakeFrame(out Http2FrameHeader header, out int payloadOffset)
    {
        var buffered = new ReadOnlySequence<byte>(_input, _start, _end - _start);
        if (!Http2FrameReader.TryReadFrame(ref buffered, Http2Setting.MinMaxFrameSize, out header, out _))
        {
            payloadOffset = 0;
            return false;
        }

        payloadOffset = _start + Http2FrameHeader.Size;
        _start = payloadOffset + header.PayloadLength;
        return true;
    }

    // Called only once every DATA byte already taken has been handed out, so moving the unread bytes loses nothing.
    private bool Fill(long deadline)
    {
        Debug.Assert(_dataRemaining == 0, "DATA still to hand out lives in the buffer.");
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_input.Length - _end < MinReadRoom)
        {
            _input.AsSpan(_start, _end - _start).CopyTo(_input);
            _end -= _start;
            _start = 0;
        }

        if (!(_tls && _lastReadFilled) && !_socket.Poll(ToMicroseconds(deadline), SelectMode.SelectRead))
        {
            return false;
        }

        int room = _input.Length - _end;
        int read = Stream.Read(_input, _end, room);
        if (read == 0)
        {
            throw new IOException(_aborted ? "the stream was aborted" : "the venue closed the connection");
        }

        _end += read;
        _lastReadFilled = read == room;
        return true;
    }

    private void Handle(Http2FrameHeader header, int offset)
    {
        var payload = new ReadOnlySequence<byte>(_input, offset, header.PayloadLength);

        // RFC 9113 section 6.10: a header block is continued by CONTINUATION frames on its stream and nothing else.
        if (_headerBlockOpen != (header.Type == Http2FrameType.Continuation) || (_headerBlockOpen && header.StreamId != StreamId))
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "a header block was interrupted, or a CONTINUATION came without one");
        }

        switch (header.Type)
        {
            case Http2FrameType.Data:
                OnData(header, offset, payload);
                break;
            case Http2FrameType.Headers:
                _headerBlockEndsStream = header.HasFlags(Http2FrameFlags.EndStream);
                OnHeaderBlock(header, Http2FrameReader.ReadHeaders(header, payload).FirstSpan);
                break;
            case Http2FrameType.Continuation:
                OnHeaderBlock(header, Http2FrameReader.ReadContinuation(header, payload).FirstSpan);
                break;
            case Http2FrameType.Settings:
                OnSettings(header, payload);
                break;
            case Http2FrameType.Ping:
                ulong opaque = Http2ControlFrameReader.ReadPing(header, payload);
                if (!header.HasFlags(Http2FrameFlags.Ack))
                {
                    Http2ControlFrameWriter.TryWritePingAck(_output, opaque, out int written);
                    Stream.Write(_output, 0, written);
                }

                break;
            case Http2FrameType.GoAway:
                throw new IOException($"the venue sent GOAWAY ({Http2ControlFrameReader.ReadGoAway(header, payload).ErrorCode})");
            case Http2FrameType.RstStream:
                var code = Http2ControlFrameReader.ReadRstStream(header, payload);
                if (header.StreamId == StreamId)
                {
                    throw new IOException($"the venue reset the stream ({code})");
                }

                break;
            case Http2FrameType.WindowUpdate:
                _windows.OnWindowUpdate(header.StreamId, Http2ControlFrameReader.ReadWindowUpdate(header, payload));
                break;
            case Http2FrameType.PushPromise:
                // Our SETTINGS disabled push (RFC 9113 section 6.6).
                throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "PUSH_PROMISE with push disabled");
            case Http2FrameType.Priority:
                Http2ControlFrameReader.ValidatePriority(header);
                break;
            default:
                // RFC 9113 section 4.1: unknown frame types are ignored.
                break;
        }
    }

    private void OnData(Http2FrameHeader header, int offset, ReadOnlySequence<byte> payload)
    {
        var data = Http2FrameReader.ReadData(header, payload);
        if (header.StreamId != StreamId || !_responded)
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "DATA on a stream that is not the open tunnel");
        }

        // RFC 9113 section 6.9: padding counts against the window as much as data does.
        _windows.OnDataReceived(header.PayloadLength);
        _dataOffset = offset + (header.HasFlags(Http2FrameFlags.Padded) ? 1 : 0);
        _dataRemaining = (int)data.Length;
        _peerEnded = header.HasFlags(Http2FrameFlags.EndStream);
        int credit = _windows.TryWriteCredit(_output, streamOpen: !_peerEnded);
        if (credit != 0)
        {
            Stream.Write(_output, 0, credit);
        }
    }

    private void OnHeaderBlock(Http2FrameHeader header, ReadOnlySpan<byte> fragment)
    {
        if (header.StreamId != StreamId)
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "HEADERS on a stream we did not open");
        }

        bool end = header.HasFlags(Http2FrameFlags.EndHeaders);
        _headerBlockOpen = !end;

        // Trailers after the answer go through the decoder too, to keep its table in step, but leave the status alone.
        var capture = _responded ? default : _status;
        _decoder.Decode(fragment, end, ref capture);
        if (!_responded)
        {
            _status = capture;
        }

        if (end)
        {
            _responded = true;
            _peerEnded |= _headerBlockEndsStream;
        }
    }

    private void OnSettings(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        foreach (var setting in Http2ControlFrameReader.ReadSettings(header, payload))
        {
            switch (setting.Parameter)
            {
                case Http2SettingsParameter.MaxFrameSize:
                    _peerMaxFrameSize = (int)setting.Value;
                    break;
                case Http2SettingsParameter.InitialWindowSize:
                    _windows.OnInitialWindowSize(setting.Value);
                    break;
                case Http2SettingsParameter.HeaderTableSize:
                    _encoder.SetMaxTableSize((int)Math.Min(setting.Value, int.MaxValue));
                    break;
                case EnableConnectProtocol:
                    // RFC 8441 section 3: 0 or 1, and once sent as 1 it cannot be taken back.
                    if (setting.Value > 1 || (_peerConnectProtocol && setting.Value == 0))
                    {
                        throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "an invalid SETTINGS_ENABLE_CONNECT_PROTOCOL");
                    }

                    _peerConnectProtocol = setting.Value == 1;
                    break;
            }
        }

        if (!header.HasFlags(Http2FrameFlags.Ack))
        {
            _peerSettingsSeen = true;
            Http2ControlFrameWriter.TryWriteSettingsAck(_output, out int written);
            Stream.Write(_output, 0, written);
        }
    }

    private void CloseSocket()
    {
        try
        {
            // Shutdown wakes a thread blocked in poll or recv on this socket; closing alone may not.
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Not connected yet, or already closed: closing below still ends a pending connect.
        }

        _socket.Dispose();
    }
}
