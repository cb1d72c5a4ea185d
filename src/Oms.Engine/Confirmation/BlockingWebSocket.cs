using System.Net.WebSockets;

namespace Oms.Engine.Confirmation;

/// <summary>
/// One connected <see cref="ClientWebSocket"/> (the fallback for a venue without RFC 8441) driven from one dedicated thread: the thread blocks on a receive or a
/// send with a timeout, and a receive still pending when the timeout passes stays pending, so the thread can send a
/// ping meanwhile and go back to waiting on the same receive.
/// </summary>
/// <remarks>
/// <para>
/// Why block instead of awaiting: the stream's thread stays one thread, so what it allocates per message is measurable
/// (<see cref="GC.GetAllocatedBytesForCurrentThread"/>) and nothing runs on the thread pool but the socket's own
/// completions, which only set an event here. The operations take no cancellation token: registering one allocates per
/// call, and <see cref="Abort"/> ends every pending operation instead.
/// </para>
/// <para>Threading: every method but <see cref="Abort"/> belongs to the stream thread; <see cref="Abort"/> is safe from any thread.</para>
/// </remarks>
internal sealed class BlockingWebSocket : IStreamSocket
{
    private readonly ClientWebSocket _socket;
    private readonly ManualResetEventSlim _receiveDone = new(false, spinCount: 0);
    private readonly ManualResetEventSlim _sendDone = new(false, spinCount: 0);
    private readonly Action _onReceiveDone;
    private readonly Action _onSendDone;
    private ValueTask<ValueWebSocketReceiveResult> _pendingReceive;
    private bool _receiving;
    private bool _receiveHooked;
    private volatile bool _aborted;

    public BlockingWebSocket(ClientWebSocket socket)
    {
        _socket = socket;
        _onReceiveDone = _receiveDone.Set;
        _onSendDone = _sendDone.Set;
    }

    /// <summary>Whether <see cref="Abort"/> was called.</summary>
    public bool IsAborted => _aborted;

    /// <summary>
    /// Waits up to <paramref name="timeoutMs"/> for a receive into <paramref name="buffer"/>, starting one unless one is
    /// already pending (then <paramref name="buffer"/> must be the same memory as when it started).
    /// </summary>
    /// <returns><see langword="false"/> when the timeout passed first: the receive stays pending.</returns>
    /// <exception cref="WebSocketException">The socket failed or was aborted.</exception>
    /// <exception cref="OperationCanceledException">The socket was aborted.</exception>
    public bool TryReceive(Memory<byte> buffer, int timeoutMs, out ValueWebSocketReceiveResult result)
    {
        if (!_receiving)
        {
            _pendingReceive = _socket.ReceiveAsync(buffer, CancellationToken.None);
            _receiving = true;
            _receiveHooked = false;
        }

        if (!_pendingReceive.IsCompleted)
        {
            if (!_receiveHooked)
            {
                // Reset before hooking: the only receive that can set the event from now on is this one.
                _receiveDone.Reset();
                _pendingReceive.GetAwaiter().UnsafeOnCompleted(_onReceiveDone);
                _receiveHooked = true;
            }

            // The event is also set by Abort, which completes the receive with an error an instant later.
            if (!_receiveDone.Wait(timeoutMs) || !_pendingReceive.IsCompleted)
            {
                result = default;
                return false;
            }
        }

        _receiving = false;
        result = _pendingReceive.GetAwaiter().GetResult();
        return true;
    }

    /// <summary>Sends one whole text message, waiting at most <paramref name="timeoutMs"/>.</summary>
    /// <returns><see langword="false"/> when the send did not finish in time: the connection is then no longer usable.</returns>
    /// <exception cref="WebSocketException">The socket failed or was aborted.</exception>
    public bool TrySend(ReadOnlyMemory<byte> message, int timeoutMs)
    {
        ValueTask send = _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        if (!send.IsCompleted)
        {
            _sendDone.Reset();
            send.GetAwaiter().UnsafeOnCompleted(_onSendDone);
            if (!_sendDone.Wait(timeoutMs) || !send.IsCompleted)
            {
                return false;
            }
        }

        send.GetAwaiter().GetResult();
        return true;
    }

    /// <summary>Ends the connection at once and wakes the stream thread; any thread, any number of times.</summary>
    public void Abort()
    {
        _aborted = true;
        _socket.Abort();
        _receiveDone.Set();
        _sendDone.Set();
    }

    /// <summary>Aborts and releases the socket; the stream thread, once it is done with it.</summary>
    public void Dispose()
    {
        Abort();
        _socket.Dispose();

        // The events are left to the collector: a completion still in flight on the thread pool may set them.
    }
}
