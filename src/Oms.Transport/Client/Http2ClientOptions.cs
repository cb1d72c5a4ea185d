namespace Oms.Transport.Client;

/// <summary>How the HTTP/2 client connects and behaves.</summary>
internal sealed record Http2ClientOptions
{
    /// <summary>The server: <c>https://host[:port]</c> (TLS, ALPN h2) or <c>http://host[:port]</c> (h2c with prior knowledge).</summary>
    public required Uri BaseUri { get; init; }

    /// <summary>
    /// Where cleartext connections are read when not null: on the thread that waits in this poller (the sender),
    /// from the moment each connection's handshake is done, instead of on a reader thread of its own. TLS connections
    /// keep their reader threads (a TLS stream cannot be read without blocking).
    /// </summary>
    public Connections.SocketPoller? SocketPoller { get; init; }

    /// <summary>Persistent connections to keep open. Streams are spread over them.</summary>
    public int ConnectionCount { get; init; } = 2;

    /// <summary>PEM file of the one CA to trust instead of the system store (private venues, tests). Host names are still checked.</summary>
    public string? CaCertificatePath { get; init; }

    /// <summary>How long a TCP connect plus TLS handshake plus SETTINGS exchange may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a request may wait for its complete response before it is reset and reported as <see cref="Http2StreamFailure.Timeout"/>.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Interval of keep-alive PINGs, which also measure the round trip; <see cref="TimeSpan.Zero"/> sends none.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Our SETTINGS_INITIAL_WINDOW_SIZE: how much each response stream may send before we return credit.</summary>
    public int StreamReceiveWindow { get; init; } = 65_535;

    /// <summary>
    /// The connection-level receive window we grow to right after the preface, and the connection's buffer budget:
    /// credit is returned only for response bytes handed to the handler or discarded, never for bytes still buffered,
    /// so the server can never make one connection hold more than this many octets of unfinished bodies.
    /// </summary>
    public int ConnectionReceiveWindow { get; init; } = 1 << 20;

    /// <summary>Our own cap on concurrent streams per connection, below whatever the server allows.</summary>
    public int MaxConcurrentStreamsPerConnection { get; init; } = 1000;

    /// <summary>First delay before reconnecting a lost connection; doubles per failed attempt up to <see cref="ReconnectMaxDelay"/>, with jitter.</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest delay between reconnect attempts.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a connection must have been open, with at least one response served, before its loss resets the
    /// reconnect back-off. A connect that succeeds is not enough: a server that accepts and then drops or refuses every
    /// connection is reconnected to ever more slowly.
    /// </summary>
    public TimeSpan ReconnectBackoffResetAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Request timeouts in a row, with no response in between, after which a connection is retired (GOAWAY, closed,
    /// replaced with back-off) and its open streams fail as lost so that they are resent elsewhere.
    /// </summary>
    public int MaxConsecutiveTimeouts { get; init; } = 3;

    /// <summary>
    /// How long a PING may go unanswered before its connection is retired. A PING goes out on every request timeout and
    /// every <see cref="PingInterval"/>.
    /// </summary>
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The most frames one response header block may span (HEADERS plus CONTINUATION); more is a connection error.</summary>
    public int MaxHeaderBlockFrames { get; init; } = 32;

    /// <summary>How long a header block may stay open between its HEADERS and its END_HEADERS; longer is a connection error.</summary>
    public TimeSpan HeaderBlockTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// True (the default): connecting fails when no connection at all can be opened. False: the client starts anyway
    /// when the server is unreachable and keeps reconnecting in the background; requests meet
    /// <see cref="Http2SendResult.NoConnection"/> until one opens. A certificate or CA problem still fails at once:
    /// waiting would not fix it.
    /// </summary>
    public bool RequireConnectionAtStart { get; init; } = true;

    /// <summary>
    /// The largest response header list we accept (SETTINGS_MAX_HEADER_LIST_SIZE), in HPACK octets; also the most
    /// encoded octets one header block may carry.
    /// </summary>
    public int MaxResponseHeaderListSize { get; init; } = 64 * 1024;

    /// <summary>
    /// The largest response body we accept per stream. A larger one resets the stream with CANCEL and is handed to the
    /// handler as a truncated response (<see cref="Http2ResponseHead.IsTruncated"/>) carrying its first octets.
    /// </summary>
    public int MaxResponseBodySize { get; init; } = 64 * 1024;

    /// <summary>The first stream id of each connection (odd). Only tests change it, to reach the 2^31 roll-over quickly.</summary>
    public int FirstStreamId { get; init; } = 1;

    /// <summary>
    /// Tests only: return receive credit once a window is used up rather than half used, so that a test server can
    /// overrun a window with frames of legal size (half of 65,535 always exceeds the 16,384-octet frames we accept).
    /// </summary>
    internal bool HoldReceiveCreditUntilExhausted { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(BaseUri);
        if (!BaseUri.IsAbsoluteUri || (BaseUri.Scheme != Uri.UriSchemeHttps && BaseUri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"BaseUri must be an absolute http:// or https:// URL, not '{BaseUri}'.", nameof(BaseUri));
        }

        if (CaCertificatePath is not null && BaseUri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException("A pinned CA file only makes sense with an https:// URL.", nameof(CaCertificatePath));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(ConnectionCount, 1, nameof(ConnectionCount));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero, nameof(ConnectTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero, nameof(RequestTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(PingInterval, TimeSpan.Zero, nameof(PingInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(StreamReceiveWindow, 65_535, nameof(StreamReceiveWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(ConnectionReceiveWindow, 65_535, nameof(ConnectionReceiveWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentStreamsPerConnection, 1, nameof(MaxConcurrentStreamsPerConnection));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReconnectMinDelay, TimeSpan.Zero, nameof(ReconnectMinDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReconnectMaxDelay, ReconnectMinDelay, nameof(ReconnectMaxDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxResponseHeaderListSize, 1024, nameof(MaxResponseHeaderListSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxResponseBodySize, 1024, nameof(MaxResponseBodySize));
        if (ConnectionReceiveWindow < MaxResponseBodySize)
        {
            // Credit for a buffered body comes back only when it ends, so a longest body must fit the window.
            throw new ArgumentException(
                $"ConnectionReceiveWindow ({ConnectionReceiveWindow}) must be at least MaxResponseBodySize ({MaxResponseBodySize}).", nameof(ConnectionReceiveWindow));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(ReconnectBackoffResetAfter, TimeSpan.Zero, nameof(ReconnectBackoffResetAfter));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConsecutiveTimeouts, 1, nameof(MaxConsecutiveTimeouts));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PingTimeout, TimeSpan.Zero, nameof(PingTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxHeaderBlockFrames, 1, nameof(MaxHeaderBlockFrames));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeaderBlockTimeout, TimeSpan.Zero, nameof(HeaderBlockTimeout));
        if (FirstStreamId < 1 || (FirstStreamId & 1) == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(FirstStreamId), FirstStreamId, "Client stream ids are odd and positive.");
        }
    }
}
