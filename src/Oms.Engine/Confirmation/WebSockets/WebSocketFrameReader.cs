namespace Oms.Engine.Confirmation.WebSockets;

/// <summary>
/// Reads the venue's WebSocket frames (RFC 6455 section 5) off a byte stream: message octets straight into the caller's
/// buffer, fragment by fragment, and control frames whole, for the caller to answer. Allocates nothing.
/// </summary>
/// <remarks>
/// Frame headers and control frames are assembled in a small buffer of its own, so they may arrive split anywhere;
/// a data frame's payload goes from the source to the caller's buffer, through that buffer only for the octets that
/// came in with a header. One thread: the stream's.
/// </remarks>
internal sealed class WebSocketFrameReader
{
    /// <summary>The header buffer: a header and a control payload fit several times over.</summary>
    public const int BufferSize = 4 * 1024;

    private readonly IWebSocketByteSource _source;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _start;
    private int _end;
    private long _remaining;
    private bool _inFrame;
    private bool _fin;
    private WebSocketOpcode _message;
    private int _controlOffset;
    private int _controlLength;

    /// <summary>Reads frames from <paramref name="source"/>.</summary>
    public WebSocketFrameReader(IWebSocketByteSource source) => _source = source;

    /// <summary>The payload of the control frame the last <see cref="Read"/> returned; valid until the next call.</summary>
    public ReadOnlySpan<byte> ControlPayload => _buffer.AsSpan(_controlOffset, _controlLength);

    /// <summary>Reads the next message octets into <paramref name="destination"/>, or the next control frame.</summary>
    /// <param name="destination">Where message octets go; not empty.</param>
    /// <param name="timeoutMs">How long to wait for the source in all.</param>
    /// <returns>What was read; <see cref="WebSocketReadKind.None"/> when the timeout passed first.</returns>
    /// <exception cref="WebSocketFrameException">The venue sent a frame RFC 6455 does not allow.</exception>
    /// <exception cref="IOException">The byte stream ended or failed.</exception>
    public WebSocketRead Read(Span<byte> destination, int timeoutMs)
    {
        Debug.Assert(!destination.IsEmpty, "A read needs room for at least one octet.");
        long deadline = Stopwatch.GetTimestamp() + (timeoutMs * Stopwatch.Frequency / 1000);
        _controlLength = 0;
        while (true)
        {
            if (_inFrame)
            {
                return ReadPayload(destination, deadline);
            }

            if (WebSocketFrameHeader.TryRead(_buffer.AsSpan(_start, _end - _start), out var header, out int headerLength))
            {
                if (!header.Validate(out var error))
                {
                    throw new WebSocketFrameException(error);
                }

                if (header.IsControl)
                {
                    int frameLength = headerLength + (int)header.PayloadLength;
                    if (_end - _start >= frameLength)
                    {
                        _controlOffset = _start + headerLength;
                        _controlLength = (int)header.PayloadLength;
                        _start += frameLength;
                        return new WebSocketRead(ToKind(header.Opcode), 0, false, false);
                    }
                }
                else
                {
                    StartDataFrame(header);
                    _start += headerLength;
                    continue;
                }
            }

            if (!Fill(deadline))
            {
                return default;
            }
        }
    }

    private static WebSocketReadKind ToKind(WebSocketOpcode opcode) => opcode switch
    {
        WebSocketOpcode.Ping => WebSocketReadKind.Ping,
        WebSocketOpcode.Pong => WebSocketReadKind.Pong,
        _ => WebSocketReadKind.Close,
    };

    private static int RemainingMs(long deadline) =>
        (int)Math.Max(0, (deadline - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency);

    // RFC 6455 section 5.4: a message is one text or binary frame and any continuation frames, never interleaved with
    // another message (control frames may come between).
    private void StartDataFrame(WebSocketFrameHeader header)
    {
        if (header.Opcode == WebSocketOpcode.Continuation)
        {
            if (_message == WebSocketOpcode.Continuation)
            {
                throw new WebSocketFrameException(WebSocketFrameError.UnexpectedContinuation);
            }
        }
        else if (_message != WebSocketOpcode.Continuation)
        {
            throw new WebSocketFrameException(WebSocketFrameError.UnfinishedMessage);
        }
        else
        {
            _message = header.Opcode;
        }

        _inFrame = true;
        _fin = header.Fin;
        _remaining = header.PayloadLength;
    }

    private WebSocketRead ReadPayload(Span<byte> destination, long deadline)
    {
        int count = 0;
        if (_remaining > 0)
        {
            int wanted = (int)Math.Min(_remaining, destination.Length);
            if (_end > _start)
            {
                count = Math.Min(wanted, _end - _start);
                _buffer.AsSpan(_start, count).CopyTo(destination);
                _start += count;
            }
            else
            {
                count = _source.Read(destination.Slice(0, wanted), RemainingMs(deadline));
                if (count == 0)
                {
                    return default;
                }
            }

            _remaining -= count;
        }

        bool binary = _message == WebSocketOpcode.Binary;
        bool endOfMessage = false;
        if (_remaining == 0)
        {
            _inFrame = false;
            if (_fin)
            {
                endOfMessage = true;
                _message = WebSocketOpcode.Continuation;
            }
        }

        return new WebSocketRead(WebSocketReadKind.Data, count, binary, endOfMessage);
    }

    private bool Fill(long deadline)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            // Only a partial header or control frame is ever kept, far less than the buffer: moving it down makes room.
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        int read = _source.Read(_buffer.AsSpan(_end), RemainingMs(deadline));
        _end += read;
        return read != 0;
    }
}
