namespace Oms.Engine.Confirmation.WebSockets;

/// <summary>What one <see cref="WebSocketFrameReader.Read"/> produced.</summary>
internal enum WebSocketReadKind
{
    /// <summary>Nothing: the timeout passed first.</summary>
    None,

    /// <summary>Message octets copied into the caller's buffer (possibly none, for an empty frame).</summary>
    Data,

    /// <summary>A ping; its payload is <see cref="WebSocketFrameReader.ControlPayload"/>.</summary>
    Ping,

    /// <summary>A pong; its payload is <see cref="WebSocketFrameReader.ControlPayload"/>.</summary>
    Pong,

    /// <summary>A close; its payload (status code and reason) is <see cref="WebSocketFrameReader.ControlPayload"/>.</summary>
    Close,
}

/// <summary>The result of one <see cref="WebSocketFrameReader.Read"/>.</summary>
/// <param name="Kind">What was read.</param>
/// <param name="Count">For <see cref="WebSocketReadKind.Data"/>, the octets copied.</param>
/// <param name="Binary">For <see cref="WebSocketReadKind.Data"/>, whether the message is binary rather than text.</param>
/// <param name="EndOfMessage">For <see cref="WebSocketReadKind.Data"/>, whether these octets end the message.</param>
internal readonly record struct WebSocketRead(WebSocketReadKind Kind, int Count, bool Binary, bool EndOfMessage);
