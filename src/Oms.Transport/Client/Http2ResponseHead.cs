namespace Oms.Transport.Client;

/// <summary>What the transport keeps of a response's header block: the status and the server's back-off hint.</summary>
/// <remarks>Only these two headers are kept so that reading a response allocates nothing; everything else is decoded (HPACK needs it) and dropped.</remarks>
public readonly struct Http2ResponseHead
{
    /// <summary>The value of <see cref="RetryAfterSeconds"/> when the response carried no usable <c>retry-after</c>.</summary>
    public const int NoRetryAfter = -1;

    /// <summary>Creates a response head.</summary>
    /// <param name="status">The <c>:status</c> pseudo-header.</param>
    /// <param name="retryAfterSeconds">Seconds the server asks the client to wait, or <see cref="NoRetryAfter"/>.</param>
    public Http2ResponseHead(int status, int retryAfterSeconds = NoRetryAfter)
    {
        Status = status;
        RetryAfterSeconds = retryAfterSeconds;
    }

    /// <summary>The <c>:status</c> pseudo-header.</summary>
    public int Status { get; }

    /// <summary>
    /// The <c>retry-after</c> header in seconds (RFC 9110 section 10.2.3): the delta-seconds form as given, the
    /// HTTP-date form as the seconds from the moment the header was read until that date (0 when it has passed);
    /// <see cref="NoRetryAfter"/> when the header is absent or malformed.
    /// </summary>
    public int RetryAfterSeconds { get; }

    /// <summary>True when the server sent a usable <c>retry-after</c>.</summary>
    public bool HasRetryAfter => RetryAfterSeconds >= 0;
}
