using System.Buffers;
using Oms.Transport.Client;
using Oms.Transport.FlowControl;

namespace Oms.Transport.Connections;

/// <summary>A response being read: owned by the connection's reader thread alone.</summary>
/// <remarks>
/// One per stream slot, reused by every stream of that slot. It also remembers how the slot's last closed stream
/// closed, so a frame arriving on it later can be judged (RFC 9113 section 5.1) until a newer stream of the slot
/// closes.
/// </remarks>
internal sealed class ResponseAssembly
{
    private byte[] _body = [];
    private int _closedStreamId;
    private StreamClosure _closure;

    public int StreamId { get; private set; }

    public int Status { get; set; }

    public int RetryAfterSeconds { get; set; }

    public bool HeadersComplete { get; set; }

    public int BodyLength { get; private set; }

    public ReceiveWindow Window;

    public ReadOnlySpan<byte> Body => _body.AsSpan(0, BodyLength);

    public void Begin(int streamId, ReceiveWindow window)
    {
        StreamId = streamId;
        Status = 0;
        RetryAfterSeconds = Http2ResponseHead.NoRetryAfter;
        HeadersComplete = false;
        BodyLength = 0;
        Window = window;
    }

    /// <summary>Appends DATA bytes; false when the body would exceed <paramref name="maxBodySize"/>.</summary>
    public bool TryAppend(in ReadOnlySequence<byte> data, int maxBodySize)
    {
        var length = checked((int)data.Length);
        if (BodyLength + length > maxBodySize)
        {
            return false;
        }

        if (BodyLength + length > _body.Length)
        {
            // Grows to the largest body seen on this slot and stays: steady-state responses then reuse it.
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(BodyLength + length, Math.Min(maxBodySize, Math.Max(512, _body.Length * 2))));
            _body.AsSpan(0, BodyLength).CopyTo(grown);
            if (_body.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_body);
            }

            _body = grown;
        }

        data.CopyTo(_body.AsSpan(BodyLength));
        BodyLength += length;
        return true;
    }

    public void End() => StreamId = 0;

    /// <summary>Remembers how a stream of this slot closed, replacing what was remembered about an older one.</summary>
    public void RecordClosure(int streamId, StreamClosure closure)
    {
        _closedStreamId = streamId;
        _closure = closure;
    }

    /// <summary>How <paramref name="streamId"/> closed, if it is the stream remembered here.</summary>
    public StreamClosure ClosureOf(int streamId) => streamId == _closedStreamId ? _closure : StreamClosure.Unknown;
}
