namespace Oms.Transport.Connections;

/// <summary>A response being read: owned by the connection's reader thread alone.</summary>
/// <remarks>
/// One per stream entry, reused by every stream of that entry. It also remembers how the entry's last closed stream
/// closed, so a frame arriving on it later can be judged (RFC 9113 section 5.1) until a newer stream of the entry
/// closes.
/// </remarks>
internal sealed class ResponseAssembly
{
    private readonly SpareBuffers _spares;
    private byte[] _body = [];
    private int _closedStreamId;
    private StreamClosure _closure;

    // Connection-level credit charged for this stream's buffered DATA and not yet released. The reader adds, whoever
    // ends the stream (reader or timer) takes it, so it is touched with interlocked operations only.
    private int _heldCredit;

    public ResponseAssembly(SpareBuffers spares) => _spares = spares;

    public int StreamId { get; private set; }

    public int Status { get; set; }

    public int RetryAfterSeconds { get; set; }

    public long ServerDateUnixSeconds { get; set; }

    public bool HeadersComplete { get; set; }

    public int BodyLength { get; private set; }

    public ReceiveWindow Window;

    public ReadOnlySpan<byte> Body => _body.AsSpan(0, BodyLength);

    /// <summary>True while a body buffer is lent to this assembly: a stream ended by another thread leaves it here until the reader sweeps.</summary>
    public bool HoldsBuffer => _body.Length != 0;

    /// <summary>Adds a buffered DATA payload's length to the connection credit this stream holds.</summary>
    public void HoldCredit(int length) => Interlocked.Add(ref _heldCredit, length);

    /// <summary>Takes the connection credit this stream holds, for release; 0 when another thread took it first.</summary>
    public int TakeCredit() => Interlocked.Exchange(ref _heldCredit, 0);

    public void Begin(int streamId, ReceiveWindow window)
    {
        StreamId = streamId;
        Status = 0;
        RetryAfterSeconds = Http2ResponseHead.NoRetryAfter;
        ServerDateUnixSeconds = Http2ResponseHead.NoServerDate;
        HeadersComplete = false;
        BodyLength = 0;
        Window = window;
    }

    /// <summary>
    /// Appends DATA bytes; false when the body would exceed <paramref name="maxBodySize"/>, in which case the body is
    /// filled to exactly that size with the first of them, so the caller can report what the server began to say.
    /// </summary>
    public bool TryAppend(in ReadOnlySequence<byte> data, int maxBodySize)
    {
        var length = checked((int)data.Length);
        if (BodyLength + length > maxBodySize)
        {
            TryAppend(data.Slice(0, maxBodySize - BodyLength), maxBodySize);
            return false;
        }

        if (BodyLength + length > _body.Length)
        {
            // A body spread over several DATA frames is gathered in a buffer lent for as long as the stream is open:
            // the connection's spare buffers are reused, so steady state rents nothing once enough are in circulation.
            var needed = Math.Max(BodyLength + length, Math.Min(maxBodySize, Math.Max(SpareBuffers.BufferSize, _body.Length * 2)));
            var grown = _spares.Take(needed);
            _body.AsSpan(0, BodyLength).CopyTo(grown);
            _spares.Give(_body);
            _body = grown;
        }

        data.CopyTo(_body.AsSpan(BodyLength));
        BodyLength += length;
        return true;
    }

    /// <summary>Ends the response: the stream entry is free, and its buffer goes back to the spares.</summary>
    public void End()
    {
        StreamId = 0;
        BodyLength = 0;
        _spares.Give(_body);
        _body = [];
    }

    /// <summary>
    /// The body buffers of one connection's streams, lent while a stream gathers a body of several DATA frames.
    /// Reader thread only. Buffers of <see cref="BufferSize"/> octets are kept; larger ones go back to the shared pool.
    /// </summary>
    internal sealed class SpareBuffers
    {
        public const int BufferSize = 512;

        private readonly Stack<byte[]> _spares = new();

        public byte[] Take(int size)
        {
            if (size <= BufferSize && _spares.TryPop(out var spare))
            {
                return spare;
            }

            return ArrayPool<byte>.Shared.Rent(size);
        }

        public void Give(byte[] buffer)
        {
            if (buffer.Length == 0)
            {
                return;
            }

            if (buffer.Length == BufferSize)
            {
                _spares.Push(buffer);
            }
            else
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Forgets everything, for a new connection: no stream, no buffer, no credit, no closure remembered.</summary>
    public void Reset()
    {
        End();
        _heldCredit = 0;
        _closedStreamId = 0;
        _closure = StreamClosure.Unknown;
    }

    /// <summary>Remembers how a stream of this entry closed, replacing what was remembered about an older one.</summary>
    public void RecordClosure(int streamId, StreamClosure closure)
    {
        _closedStreamId = streamId;
        _closure = closure;
    }

    /// <summary>How <paramref name="streamId"/> closed, if it is the stream remembered here.</summary>
    public StreamClosure ClosureOf(int streamId) => streamId == _closedStreamId ? _closure : StreamClosure.Unknown;
}
