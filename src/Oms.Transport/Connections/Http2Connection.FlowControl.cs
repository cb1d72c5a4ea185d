using Oms.Transport.FlowControl;
using Oms.Transport.Http2;

namespace Oms.Transport.Connections;

/// <summary>
/// Send-side flow control (RFC 9113 section 6.9): the peer's connection window and one window per open stream, spent
/// by the sender and credited by the reader from WINDOW_UPDATE and SETTINGS_INITIAL_WINDOW_SIZE.
/// </summary>
/// <remarks>
/// <para>Every send window, the peer's initial stream window and the header table hand-off are guarded by
/// <c>_peerLock</c>. It is held for a few instructions, never across I/O or a handler callback, so the reader may
/// block on it: unlike <c>_writeLock</c>, whose holder may be stuck in a socket write. Lock order: <c>_writeLock</c>
/// (sender) before <c>_peerLock</c>; the reader takes <c>_peerLock</c> alone.</para>
/// <para>A request body goes out whole in one go, so a stream's window is spent once, when it opens. It is still kept
/// per open stream because the peer may move it afterwards, and moving it past 2^31-1 is an error to detect.</para>
/// </remarks>
internal sealed partial class Http2Connection
{
    private readonly Lock _peerLock = new();

    // RFC 9113 section 6.9.2: the connection window starts at 65,535 octets whatever SETTINGS say; only WINDOW_UPDATE
    // moves it.
    private FlowControlWindow _connectionSendWindow = new(FlowControlWindow.DefaultInitialSize);

    // The peer's SETTINGS_INITIAL_WINDOW_SIZE: the window each new stream starts with.
    private int _peerInitialWindow = Http2PeerSettings.DefaultInitialWindowSize;

    /// <summary>
    /// Spends the credit for a new stream's whole body from the connection window and from the stream's own window,
    /// which starts at the peer's initial window; nothing is spent when either holds too little.
    /// </summary>
    /// <remarks>Sending thread, under <c>_writeLock</c> and <c>_peerLock</c>.</remarks>
    private bool TryTakeSendCreditUnderPeerLock(ref StreamSlot slot, int bodyLength)
    {
        var streamWindow = new FlowControlWindow(_peerInitialWindow);
        if (bodyLength > _connectionSendWindow.Available || !streamWindow.TryConsume(bodyLength))
        {
            return false;
        }

        _connectionSendWindow.Consume(bodyLength);
        slot.SendWindow = streamWindow;
        return true;
    }

    /// <summary>Gives back the credit of a stream that was opened but never written (the sender failed in between).</summary>
    private void ReturnSendCredit(int bodyLength)
    {
        lock (_peerLock)
        {
            // Cannot push the window past 2^31-1 unless the peer already did with its own WINDOW_UPDATE; the reader
            // reports that one.
            if (bodyLength > 0)
            {
                _ = _connectionSendWindow.TryIncrease(bodyLength);
            }
        }
    }

    /// <summary>A WINDOW_UPDATE on stream 0: credit for the connection (RFC 9113 section 6.9.1). Reader thread.</summary>
    /// <exception cref="Http2ConnectionException">FLOW_CONTROL_ERROR when the window would exceed 2^31-1.</exception>
    private void CreditConnection(int increment)
    {
        lock (_peerLock)
        {
            if (!_connectionSendWindow.TryIncrease(increment))
            {
                throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, "WINDOW_UPDATE took the connection window past 2^31-1.");
            }
        }
    }

    /// <summary>A WINDOW_UPDATE on an open stream: credit for that stream (RFC 9113 section 6.9.1). Reader thread.</summary>
    /// <returns>False when the stream is not open here: the update is for a stream already closed.</returns>
    /// <exception cref="Http2StreamException">FLOW_CONTROL_ERROR when the stream's window would exceed 2^31-1.</exception>
    private bool TryCreditStream(int streamId, int increment)
    {
        ref var slot = ref _streams.SlotAt(_streams.IndexOf(streamId));
        lock (_peerLock)
        {
            if (Volatile.Read(ref slot.State) != StreamSlot.Open || slot.StreamId != streamId)
            {
                return false;
            }

            if (!slot.SendWindow.TryIncrease(increment))
            {
                throw new Http2StreamException(streamId, Http2ErrorCode.FlowControlError, "WINDOW_UPDATE took a stream window past 2^31-1.");
            }
        }

        return true;
    }

    /// <summary>
    /// A new SETTINGS_INITIAL_WINDOW_SIZE: every open stream's window moves by the difference, below zero if need be
    /// (RFC 9113 section 6.9.2), and new streams start with the new value. Reader thread, under <c>_peerLock</c>.
    /// </summary>
    /// <exception cref="Http2ConnectionException">FLOW_CONTROL_ERROR when a stream window would exceed 2^31-1.</exception>
    private void ApplyInitialWindowUnderPeerLock(int initialWindow)
    {
        var delta = initialWindow - _peerInitialWindow;
        if (delta == 0)
        {
            return;
        }

        // Slots are published Open under this lock, so no stream can open between this loop and the new value.
        for (var i = 0; i < _streams.Length; i++)
        {
            ref var slot = ref _streams.SlotAt(i);
            if (Volatile.Read(ref slot.State) == StreamSlot.Open && !slot.SendWindow.TryAdjustInitial(delta))
            {
                throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, "SETTINGS_INITIAL_WINDOW_SIZE took a stream window past 2^31-1.");
            }
        }

        _peerInitialWindow = initialWindow;
    }
}
