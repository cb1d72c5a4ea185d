using System.Net.Sockets;

namespace Oms.Transport.Connections;

/// <summary>
/// The read side handed to a <see cref="SocketPoller"/>: after the handshake the socket is read on the poller's thread
/// (<see cref="OnReadable"/>) instead of this connection's reader thread, and taken out again before it closes.
/// </summary>
internal sealed partial class ResponseReader
{
    /// <summary>
    /// Reads on the sending thread from the moment the connect's PING is answered: this thread then registers the
    /// socket with <paramref name="poller"/> and ends, and <see cref="OnReadable"/> reads from there on.
    /// </summary>
    /// <remarks>Before <see cref="Run"/> starts; only for a socket read directly (cleartext), never under TLS.</remarks>
    public void HandOverAfterConnect(SocketPoller poller, Socket socket)
    {
        _poller = poller;
        _socket = socket;
    }

    /// <inheritdoc/>
    /// <remarks>The poller's thread only, under its lock: reads whatever the socket holds and handles it.</remarks>
    public void OnReadable()
    {
        if (_endedOnce != 0 || _pollSlot == 0)
        {
            return;
        }

        var reason = Http2StreamFailure.ConnectionLost;
        var ends = true;
        try
        {
            while (true)
            {
                var received = SocketPoller.ReceiveAvailable(_fileDescriptor, _inbound.Writer.GetSpan(ReadSize));
                if (received == 0)
                {
                    break;
                }

                if (received < 0)
                {
                    ends = false;
                    return;
                }

                HandleReceived(received);
                if (received < ReadSize)
                {
                    // Most likely all there was; if not, the level-triggered poller calls again on its next pass.
                    ends = false;
                    return;
                }
            }
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            reason = FailureOf(e);
        }
        finally
        {
            if (ends)
            {
                End(reason);
            }
        }
    }

    /// <summary>
    /// Takes the socket out of the poller before it is disposed: the poller's thread no longer reads it, and the
    /// descriptor is released (disposing the socket waits for that). Does nothing for a reader with a thread of its own.
    /// </summary>
    /// <remarks>
    /// Any thread; after the socket is shut down, which unblocks a poller's thread stuck in a write under its lock.
    /// Never under the connection's write lock: the poller's thread may hold its own lock and wait for that one.
    /// </remarks>
    public void StopPolling()
    {
        // Under the lock the hand-over takes too, even when nothing is registered yet: the reader thread may hold its
        // reference on the socket and be about to register it, and the socket's dispose would then wait for a release
        // that only a poll brings.
        if (Volatile.Read(ref _poller) is { } poller)
        {
            poller.RunExclusive(() =>
            {
                _pollingStopped = true;
                Unregister();
            });
        }
    }

    /// <summary>
    /// The connection closed off the poller's thread: end here, at a moment the poller's thread is not reading. Does
    /// nothing for a reader with a thread of its own, which ends in its read.
    /// </summary>
    public void OnClosedWhilePolled(Http2StreamFailure reason)
    {
        if (_handedOver)
        {
            _poller!.RunExclusive(() => End(reason));
        }
    }

    private bool TryHandOver()
    {
        var handedOver = false;
        _poller!.RunExclusive(() => handedOver = TryHandOverExclusive());
        if (!handedOver)
        {
            Volatile.Write(ref _poller, null);
        }

        return handedOver;
    }

    /// <summary>The hand-over, under the poller's lock: <see cref="StopPolling"/> comes wholly before it or wholly after.</summary>
    private bool TryHandOverExclusive()
    {
        if (_pollingStopped)
        {
            // The connection is closing: keep reading here until the read fails.
            return false;
        }

        // The descriptor stays open while it is registered, even once the socket is disposed: closing it under the
        // poller would let a new socket take its number while the old registration still names it.
        var handle = _socket!.SafeHandle;
        var referenced = false;
        try
        {
            handle.DangerousAddRef(ref referenced);
            _fileDescriptor = handle.DangerousGetHandle();
            Volatile.Write(ref _pollSlot, _poller!.Register(_fileDescriptor, this));
            _handedOver = true;
            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The socket closed under the hand-over, or the poller is gone: keep reading here until the read fails.
            if (referenced)
            {
                handle.DangerousRelease();
            }

            return false;
        }
    }

    private void Unregister()
    {
        var slot = Interlocked.Exchange(ref _pollSlot, 0);
        if (slot > 0)
        {
            _poller!.Unregister(slot, this, _fileDescriptor);
            _socket!.SafeHandle.DangerousRelease();
        }
    }
}
