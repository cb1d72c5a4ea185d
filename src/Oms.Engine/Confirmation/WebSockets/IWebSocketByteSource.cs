namespace Oms.Engine.Confirmation.WebSockets;

/// <summary>The bytes a WebSocket runs over, read with a timeout: the HTTP/2 tunnel's DATA, or a test's script.</summary>
internal interface IWebSocketByteSource
{
    /// <summary>Copies the next bytes of the byte stream into <paramref name="destination"/>, waiting at most <paramref name="timeoutMs"/> for the first.</summary>
    /// <param name="destination">Where to copy; not empty.</param>
    /// <param name="timeoutMs">How long to wait when nothing is buffered.</param>
    /// <returns>The bytes copied, at least 1; 0 when the timeout passed first.</returns>
    /// <exception cref="IOException">The byte stream ended or failed.</exception>
    int Read(Span<byte> destination, int timeoutMs);
}
