namespace Oms.Venue;

/// <summary>What the simulator does wrong, on purpose. Every member defaults to "behave".</summary>
/// <remarks>
/// Shares are probabilities in [0, 1] drawn per stream from a seeded generator, so a run with the same seed and
/// the same request order misbehaves the same way. The stream-level shares (<see cref="NeverAnswerShare"/>,
/// <see cref="ServerErrorShare"/>, <see cref="TooManyRequestsShare"/>, <see cref="ForbiddenShare"/>) are mutually
/// exclusive and must add up to at most 1; streams they pick never reach the order book. The answer-level shares
/// (<see cref="WrongIdShare"/>, <see cref="TruncatedJsonShare"/>, <see cref="NonJsonBodyShare"/>,
/// <see cref="EmptyBodyShare"/>) are also mutually exclusive and add up to at most 1: they mangle the answer of a
/// request the venue did process, so the book changes but the client cannot read the outcome cleanly.
/// Replace the whole object on a running venue (<see cref="VenueServer.Faults"/>) to change behaviour mid-test.
/// </remarks>
public sealed record VenueFaults
{
    /// <summary>No faults at all.</summary>
    public static VenueFaults None { get; } = new();

    /// <summary>Fixed latency added before every answer, in milliseconds.</summary>
    public int LatencyMs { get; init; }

    /// <summary>Uniform random latency in [0, JitterMs) added on top of <see cref="LatencyMs"/>.</summary>
    public int JitterMs { get; init; }

    /// <summary>Share of streams that are never answered (held open until the client resets them or the venue stops).</summary>
    public double NeverAnswerShare { get; init; }

    /// <summary>Share of streams answered HTTP 500 with a <c>510001 SERVER_ERROR</c> JSON body.</summary>
    public double ServerErrorShare { get; init; }

    /// <summary>Share of streams answered HTTP 429 with an HTML body, as the exchange's CDN does.</summary>
    public double TooManyRequestsShare { get; init; }

    /// <summary>Share of streams answered HTTP 403 with an HTML body (seen from the CDN under load).</summary>
    public double ForbiddenShare { get; init; }

    /// <summary>Seconds sent in <c>retry-after</c> with 429 and 403 answers; 0 sends no header.</summary>
    public int RetryAfterSeconds { get; init; }

    /// <summary>Share of processed requests whose answer echoes a different <c>id</c> than the request's.</summary>
    public double WrongIdShare { get; init; }

    /// <summary>Share of processed requests whose answer body is cut in the middle of its JSON.</summary>
    public double TruncatedJsonShare { get; init; }

    /// <summary>Share of processed requests answered HTTP 200 with an HTML page instead of JSON, as a proxy in front of the venue may.</summary>
    public double NonJsonBodyShare { get; init; }

    /// <summary>Share of processed requests answered HTTP 200 with an empty body.</summary>
    public double EmptyBodyShare { get; init; }

    /// <summary>Every Nth stream on a connection resets the whole connection (TCP RST) instead of being answered; 0 never.</summary>
    public int ResetEveryNStreams { get; init; }

    /// <summary>After every Nth stream on a connection, the venue sends GOAWAY and closes it gracefully; 0 never.</summary>
    public int GoAwayEveryNStreams { get; init; }

    /// <summary>Added to the venue's clock, in milliseconds: a positive value makes the venue's time run ahead of the client's.</summary>
    public long ClockOffsetMs { get; init; }

    /// <summary>Latency added before every order status and open-orders answer, in milliseconds (on top of nothing else: the cancel faults do not apply there).</summary>
    public int StatusDelayMs { get; init; }

    /// <summary>Every order status query is answered HTTP 500 with 510001 SERVER_ERROR (after the delay), as a failing status service would be.</summary>
    public bool StatusFails { get; init; }

    /// <summary>Share of order messages the private stream leaves out, as the exchange's stream was seen to.</summary>
    /// <remarks>Which messages go missing is a pure function of the venue's seed and the order id, so every session misses the same ones.</remarks>
    public double StreamDropShare { get; init; }

    /// <summary>Every Nth order message a stream session sends, the venue drops that session without a close frame; 0 never.</summary>
    public int StreamCloseEveryN { get; init; }

    /// <summary>For this many milliseconds after these faults take effect (at start, or when assigned), stream upgrades are refused with HTTP 503.</summary>
    public int StreamRefuseMs { get; init; }

    /// <summary>Share of batch cancels refused with 300013 whose <c>info</c> also names an order that was not in the batch.</summary>
    /// <remarks>Drawn per batch; the extra entry's <c>orderId</c> differs from every order the batch named, so a client that matches entries to its orders can catch it.</remarks>
    public double BatchWrongInfoShare { get; init; }

    /// <summary>Share of recent open orders a cancel-all leaves open, as the exchange's best-effort cancel-all may.</summary>
    /// <remarks>
    /// Only orders placed or met by a cancel within the last <see cref="CancelAllSurvivorWindowMs"/> can survive; which
    /// ones is a pure function of the venue's seed and the order id. Survivors stay open and can be cancelled later.
    /// </remarks>
    public double CancelAllSurvivorShare { get; init; }

    /// <summary>How recent, in milliseconds, an order's placement or last cancel attempt must be for <see cref="CancelAllSurvivorShare"/> to spare it.</summary>
    public int CancelAllSurvivorWindowMs { get; init; } = 1000;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        CheckShare(NeverAnswerShare, nameof(NeverAnswerShare));
        CheckShare(ServerErrorShare, nameof(ServerErrorShare));
        CheckShare(TooManyRequestsShare, nameof(TooManyRequestsShare));
        CheckShare(ForbiddenShare, nameof(ForbiddenShare));
        CheckShare(WrongIdShare, nameof(WrongIdShare));
        CheckShare(TruncatedJsonShare, nameof(TruncatedJsonShare));
        CheckShare(NonJsonBodyShare, nameof(NonJsonBodyShare));
        CheckShare(EmptyBodyShare, nameof(EmptyBodyShare));
        CheckShare(StreamDropShare, nameof(StreamDropShare));
        CheckShare(BatchWrongInfoShare, nameof(BatchWrongInfoShare));
        CheckShare(CancelAllSurvivorShare, nameof(CancelAllSurvivorShare));
        if (NeverAnswerShare + ServerErrorShare + TooManyRequestsShare + ForbiddenShare > 1.0 + 1e-9)
        {
            throw new ArgumentException("The never-answer, server-error, too-many-requests and forbidden shares add up to more than 1.");
        }

        if (WrongIdShare + TruncatedJsonShare + NonJsonBodyShare + EmptyBodyShare > 1.0 + 1e-9)
        {
            throw new ArgumentException("The wrong-id, truncated-json, non-json-body and empty-body shares add up to more than 1.");
        }

        CheckNonNegative(LatencyMs, nameof(LatencyMs));
        CheckNonNegative(JitterMs, nameof(JitterMs));
        CheckNonNegative(RetryAfterSeconds, nameof(RetryAfterSeconds));
        CheckNonNegative(ResetEveryNStreams, nameof(ResetEveryNStreams));
        CheckNonNegative(GoAwayEveryNStreams, nameof(GoAwayEveryNStreams));
        CheckNonNegative(StatusDelayMs, nameof(StatusDelayMs));
        CheckNonNegative(StreamCloseEveryN, nameof(StreamCloseEveryN));
        CheckNonNegative(StreamRefuseMs, nameof(StreamRefuseMs));
        CheckNonNegative(CancelAllSurvivorWindowMs, nameof(CancelAllSurvivorWindowMs));
    }

    private static void CheckShare(double value, string name)
    {
        if (!(value >= 0.0 && value <= 1.0))
        {
            throw new ArgumentException($"{name} must be a share between 0 and 1, not {value}.", name);
        }
    }

    private static void CheckNonNegative(int value, string name)
    {
        if (value < 0)
        {
            throw new ArgumentException($"{name} must not be negative, not {value}.", name);
        }
    }
}
