using System.Buffers;
using Oms.Transport.Client;
using Oms.Transport.FlowControl;

namespace Oms.Transport.Connections;

/// <summary>A response being read: owned by the connection's reader thread alone.</summary>
internal sealed class ResponseAssembly
{
    private byte[] _body = [];

    public int StreamId { get; private set; }

    public int Status { get; set; }

    public int RetryAfterSeconds { get; set; }

    public long ServerDateUnixSeconds { get; set; }

    public bool HeadersComplete { get; set; }

    public int BodyLength { get; private set; }

    public ReceiveWindow Window;

    public ReadOnlySpan<byte> Body => _body.AsSpan(0, BodyLength);

    public void Begin(int streamId, int receiveWindow)
    {
        StreamId = streamId;
        Status = 0;
        RetryAfterSeconds = Http2ResponseHead.NoRetryAfter;
        ServerDateUnixSeconds = Http2ResponseHead.NoServerDate;
        HeadersComplete = false;
        BodyLength = 0;
        Window = new ReceiveWindow(receiveWindow);
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
}
