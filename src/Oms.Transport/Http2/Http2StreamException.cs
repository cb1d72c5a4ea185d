namespace Oms.Transport.Http2;

/// <summary>
/// A stream error (RFC 9113 section 5.4.2): the peer broke the protocol on one stream only. The owner answers
/// with RST_STREAM carrying <see cref="ErrorCode"/> on <see cref="StreamId"/> and keeps the connection.
/// </summary>
internal sealed class Http2StreamException : Exception
{
    /// <summary>Creates a stream error with the stream and the code to send in RST_STREAM.</summary>
    /// <param name="streamId">The stream in error (never 0).</param>
    /// <param name="errorCode">The RFC 9113 section 7 error code.</param>
    /// <param name="message">What the peer did wrong, for logs.</param>
    public Http2StreamException(int streamId, Http2ErrorCode errorCode, string message)
        : base(message)
    {
        StreamId = streamId;
        ErrorCode = errorCode;
    }

    /// <summary>The stream to reset.</summary>
    public int StreamId { get; }

    /// <summary>The error code to send in the RST_STREAM frame.</summary>
    public Http2ErrorCode ErrorCode { get; }
}
