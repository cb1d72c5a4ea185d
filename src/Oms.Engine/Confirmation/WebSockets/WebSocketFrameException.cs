namespace Oms.Engine.Confirmation.WebSockets;

/// <summary>The venue sent a frame RFC 6455 does not allow; the connection cannot go on.</summary>
internal sealed class WebSocketFrameException : IOException
{
    /// <summary>Creates the exception for <paramref name="error"/>.</summary>
    public WebSocketFrameException(WebSocketFrameError error)
        : base($"the venue sent a WebSocket frame RFC 6455 does not allow: {error}")
    {
        Error = error;
    }

    /// <summary>What was wrong with the frame.</summary>
    public WebSocketFrameError Error { get; }
}
