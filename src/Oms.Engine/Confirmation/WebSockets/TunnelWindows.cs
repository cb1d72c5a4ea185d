using Oms.Transport.Http2;

namespace Oms.Engine.Confirmation.WebSockets;

/// <summary>The tunnel's flow control (RFC 9113 section 6.9): what the venue may still send us, and what we may send it.</summary>
/// <remarks>The stream thread only. The tunnel has one stream, so the stream's windows and the connection's move together.</remarks>
internal sealed class TunnelWindows
{
    /// <summary>The receive window granted to the venue, per stream and for the connection: a burst far beyond any wait of ours.</summary>
    public const int ReceiveWindow = 1 << 20;

    /// <summary>Every window's size before SETTINGS or WINDOW_UPDATE change it (RFC 9113 section 6.9.2).</summary>
    public const int DefaultWindow = 65_535;

    /// <summary>The most <see cref="TryWriteCredit"/> writes: two WINDOW_UPDATE frames.</summary>
    public const int MaxCreditLength = 2 * (Http2FrameHeader.Size + 4);

    private int _streamReceive = ReceiveWindow;
    private int _connectionReceive = ReceiveWindow;
    private long _streamSend = DefaultWindow;
    private long _connectionSend = DefaultWindow;
    private int _peerInitialWindow = DefaultWindow;

    /// <summary>WINDOW_UPDATE frames written, stream and connection together.</summary>
    public int UpdatesWritten { get; private set; }

    /// <summary>Charges a DATA frame's whole payload, padding included, to both receive windows.</summary>
    /// <exception cref="Http2ConnectionException">FLOW_CONTROL_ERROR: the venue sent more than it was granted.</exception>
    public void OnDataReceived(int payloadLength)
    {
        if (payloadLength > _streamReceive || payloadLength > _connectionReceive)
        {
            throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, "the venue sent more DATA than its window allowed");
        }

        _streamReceive -= payloadLength;
        _connectionReceive -= payloadLength;
    }

    /// <summary>Writes a WINDOW_UPDATE for each window that is half used, giving all of it back.</summary>
    /// <param name="destination">At least <see cref="MaxCreditLength"/> octets.</param>
    /// <param name="streamOpen">Whether the stream can still receive: no update is owed to a stream the venue ended.</param>
    /// <returns>The octets written; 0 most of the time.</returns>
    public int TryWriteCredit(Span<byte> destination, bool streamOpen)
    {
        int length = 0;
        int used = ReceiveWindow - _connectionReceive;
        if (used >= ReceiveWindow / 2)
        {
            Http2ControlFrameWriter.TryWriteWindowUpdate(destination, 0, used, out length);
            _connectionReceive = ReceiveWindow;
            UpdatesWritten++;
        }

        used = ReceiveWindow - _streamReceive;
        if (used >= ReceiveWindow / 2 && streamOpen)
        {
            Http2ControlFrameWriter.TryWriteWindowUpdate(destination.Slice(length), Http2Tunnel.StreamId, used, out int written);
            length += written;
            _streamReceive = ReceiveWindow;
            UpdatesWritten++;
        }

        return length;
    }

    /// <summary>Takes <paramref name="length"/> octets of send window, when both windows have them.</summary>
    /// <returns><see langword="false"/> when either window is short; nothing is taken then.</returns>
    public bool TryTakeSend(int length)
    {
        if (length > _streamSend || length > _connectionSend)
        {
            return false;
        }

        _streamSend -= length;
        _connectionSend -= length;
        return true;
    }

    /// <summary>Adds a WINDOW_UPDATE's increment to the window it names; other streams' are ignored.</summary>
    public void OnWindowUpdate(int streamId, int increment)
    {
        if (streamId == 0)
        {
            _connectionSend += increment;
        }
        else if (streamId == Http2Tunnel.StreamId)
        {
            _streamSend += increment;
        }
    }

    /// <summary>Applies the venue's SETTINGS_INITIAL_WINDOW_SIZE: to the open stream as a difference (RFC 9113 section 6.9.2).</summary>
    public void OnInitialWindowSize(uint value)
    {
        _streamSend += (long)value - _peerInitialWindow;
        _peerInitialWindow = (int)value;
    }
}
