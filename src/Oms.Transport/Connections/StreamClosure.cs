namespace Oms.Transport.Connections;

/// <summary>
/// How a stream reached the "closed" state (RFC 9113 section 5.1), which decides what a later frame on it means.
/// </summary>
internal enum StreamClosure
{
    /// <summary>Not remembered (closed too long ago, or by a timeout's reset): later frames are ignored.</summary>
    Unknown,

    /// <summary>The peer sent END_STREAM: any later frame but WINDOW_UPDATE, RST_STREAM or PRIORITY is a connection error STREAM_CLOSED.</summary>
    EndStreamReceived,

    /// <summary>The peer sent RST_STREAM: any later frame but PRIORITY is a stream error STREAM_CLOSED.</summary>
    ResetReceived,

    /// <summary>We sent RST_STREAM: frames the peer sent before seeing it are ignored.</summary>
    ResetSent,
}
