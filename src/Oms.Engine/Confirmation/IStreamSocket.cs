using System.Net.WebSockets;

namespace Oms.Engine.Confirmation;

/// <summary>
/// One connected WebSocket as the order stream's thread drives it: blocking receives and sends with timeouts, and an
/// abort any thread may call. <see cref="WebSockets.TunnelWebSocket"/> is ours over HTTP/2; <see cref="BlockingWebSocket"/>
/// wraps the runtime's client for venues that serve WebSockets over HTTP/1.1 only.
/// </summary>
/// <remarks>Every member but <see cref="Abort"/> belongs to the stream thread.</remarks>
internal interface IStreamSocket : IDisposable
{
    /// <summary>Waits up to <paramref name="timeoutMs"/> for message octets into <paramref name="buffer"/> (not empty).</summary>
    /// <remarks>After a timeout the next call must pass the same memory: the runtime's client may still be receiving into it.</remarks>
    /// <returns><see langword="false"/> when the timeout passed first.</returns>
    /// <exception cref="Exception">The connection failed or was aborted: an <see cref="IOException"/> or a <see cref="WebSocketException"/>.</exception>
    bool TryReceive(Memory<byte> buffer, int timeoutMs, out ValueWebSocketReceiveResult result);

    /// <summary>Sends one whole text message, waiting at most <paramref name="timeoutMs"/>.</summary>
    /// <returns><see langword="false"/> when the send did not finish in time: the connection is then no longer usable.</returns>
    bool TrySend(ReadOnlyMemory<byte> message, int timeoutMs);

    /// <summary>Ends the connection at once and wakes the stream thread; any thread, any number of times.</summary>
    void Abort();
}
