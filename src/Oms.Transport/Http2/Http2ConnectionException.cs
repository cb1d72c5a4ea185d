namespace Oms.Transport.Http2;

/// <summary>
/// A connection error (RFC 9113 section 5.4.1): the peer broke the protocol in a way that leaves the whole
/// connection unusable. The owner answers with GOAWAY carrying <see cref="ErrorCode"/> and closes the connection.
/// </summary>
internal sealed class Http2ConnectionException : Exception
{
    /// <summary>Creates a connection error with the code to send in GOAWAY.</summary>
    /// <param name="errorCode">The RFC 9113 section 7 error code.</param>
    /// <param name="message">What the peer did wrong, for logs.</param>
    public Http2ConnectionException(Http2ErrorCode errorCode, string message)
        : base(message)
    {
        ErrorCode = errorCode;
    }

    /// <summary>The error code to send in the GOAWAY frame.</summary>
    public Http2ErrorCode ErrorCode { get; }
}
