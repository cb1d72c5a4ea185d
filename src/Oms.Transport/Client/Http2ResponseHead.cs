namespace Oms.Transport.Client;

/// <summary>What the transport keeps of a response's header block: the status, the server's back-off hint and its clock.</summary>
/// <remarks>Only these headers are kept so that reading a response allocates nothing; everything else is decoded (HPACK needs it) and dropped.</remarks>
internal readonly struct Http2ResponseHead
{
    /// <summary>The value of <see cref="RetryAfterSeconds"/> when the response carried no usable <c>retry-after</c>.</summary>
    public const int NoRetryAfter = -1;

    /// <summary>Creates a response head.</summary>
    /// <param name="status">The <c>:status</c> pseudo-header.</param>
    /// <param name="retryAfterSeconds">Seconds the server asks the client to wait, or <see cref="NoRetryAfter"/>.</param>
    /// <param name="serverDateUnixSeconds">The response's <c>date</c> header in Unix seconds, or <see cref="NoServerDate"/>.</param>
    /// <param name="isTruncated">True when the body exceeded the limit and only its first octets are given.</param>
    public Http2ResponseHead(int status, int retryAfterSeconds = NoRetryAfter, long serverDateUnixSeconds = NoServerDate, bool isTruncated = false)
    {
        Status = status;
        RetryAfterSeconds = retryAfterSeconds;
        ServerDateUnixSeconds = serverDateUnixSeconds;
        IsTruncated = isTruncated;
    }

    /// <summary>
    /// True when the body grew past <see cref="Http2ClientOptions.MaxResponseBodySize"/>: the stream was reset with
    /// CANCEL and the body given is only its first octets, never a whole answer to act on.
    /// </summary>
    public bool IsTruncated { get; }

    /// <summary>The value of <see cref="ServerDateUnixSeconds"/> when the response carried no usable <c>date</c>.</summary>
    public const long NoServerDate = long.MinValue;

    /// <summary>
    /// The server's clock when it answered, from the <c>date</c> header (RFC 9110 section 6.6.1), in whole seconds
    /// since the Unix epoch; <see cref="NoServerDate"/> when absent or malformed. Coarse, and free: the way to tell how
    /// far the local clock is from the server's when the server says a timestamp is out of its window.
    /// </summary>
    public long ServerDateUnixSeconds { get; }

    /// <summary>True when the server sent a usable <c>date</c>.</summary>
    public bool HasServerDate => ServerDateUnixSeconds != NoServerDate;

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
