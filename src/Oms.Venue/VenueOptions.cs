using System.Net;
using Oms.Venue.Book;
using Oms.Venue.Stats;

namespace Oms.Venue;

/// <summary>How to start a <see cref="VenueServer"/>.</summary>
public sealed class VenueOptions
{
    /// <summary>The address to listen on; loopback unless told otherwise.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>The TCP port; 0 picks a free one (read it back from <see cref="VenueServer.BaseUri"/>).</summary>
    public int Port { get; init; }

    /// <summary>Serve TLS with ALPN <c>h2</c> instead of h2c with prior knowledge.</summary>
    public bool UseTls { get; init; }

    /// <summary>PEM certificate file for TLS; when null with <see cref="UseTls"/>, a CA and a server certificate are generated at start.</summary>
    public string? CertificatePath { get; init; }

    /// <summary>PEM private key file matching <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; init; }

    /// <summary>The account the venue accepts; generated demo credentials when null.</summary>
    public VenueCredentials? Credentials { get; init; }

    /// <summary>SETTINGS_MAX_CONCURRENT_STREAMS the venue advertises (and enforces) per connection.</summary>
    public int MaxConcurrentStreams { get; init; } = 100;

    /// <summary>The faults to start with; change them later through <see cref="VenueServer.Faults"/>.</summary>
    public VenueFaults Faults { get; init; } = VenueFaults.None;

    /// <summary>Seed of the generator that decides which streams get a fault, for reproducible runs.</summary>
    public int Seed { get; init; } = 20261125;

    /// <summary>The account id echoed in answers (<c>accountId</c>).</summary>
    public string AccountId { get; init; } = "futQ8mWZrUb2Mc5HvnoLc3f2Dbs4ApeW";

    /// <summary>The clock the venue judges timestamps by, before <see cref="VenueFaults.ClockOffsetMs"/> is added.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>How long a request body may be, in bytes; longer bodies are refused with <c>100001</c>.</summary>
    public int MaxBodyBytes { get; init; } = 1024;

    /// <summary>The book to serve; a new empty one when null.</summary>
    /// <remarks>Give a stopped venue's book (with its <see cref="Stats"/>) to restart it: the exchange kept its orders while its gateway was down.</remarks>
    public OrderBook? Book { get; init; }

    /// <summary>Share of cancelled orders that fill just before their cancel arrives: the cancel answers 300006 "The order is already filled or canceled.".</summary>
    /// <remarks>
    /// Which orders fill is a pure function of <see cref="Seed"/> and the order id, so the same seed and ids give the
    /// same fills whatever the arrival order. With <see cref="FillAfterAckShare"/> it adds up to at most 1.
    /// </remarks>
    public double FillBeforeCancelShare { get; init; }

    /// <summary>Share of cancelled orders whose cancel is acknowledged but loses the race to a fill: the order ends Filled, not Canceled.</summary>
    public double FillAfterAckShare { get; init; }

    /// <summary>How long after an Ack the order's cancel (or its fill, see <see cref="FillAfterAckShare"/>) takes effect, in milliseconds.</summary>
    /// <remarks>The order's status reads New until then. 0 (the default) applies it before the Ack is answered.</remarks>
    public int CancelDelayMs { get; init; }

    /// <summary>
    /// Whether the order status endpoint leaves ids it does not know out of its answer (the default), or refuses the
    /// whole request with 300006 INVALID_ORDER_ID. The public documents do not say which the exchange does.
    /// </summary>
    public bool StatusLeavesOutUnknownIds { get; init; } = true;

    /// <summary>How long a stream session's client may stay quiet before the venue pings it, in milliseconds; two unanswered pings end the session.</summary>
    /// <remarks>The exchange's figure is 15 s; tests shorten it.</remarks>
    public int StreamPingIntervalMs { get; init; } = 15_000;

    /// <summary>How many order messages a stream session may have waiting to be sent; past it the oldest is dropped and counted.</summary>
    public int StreamQueueCapacity { get; init; } = 4096;

    /// <summary>
    /// Requests per second each API key may send to the order endpoints together (single cancel, batch, cancel-all,
    /// order status, open orders), over any sliding second; past it the venue answers HTTP 429 with the CDN's HTML page.
    /// 0 (the default) sets no limit.
    /// </summary>
    /// <remarks>The exchange documents no REST limit (facts sheet, "Rate limits"): this lets a client's own limiter be tested against one.</remarks>
    public int RateLimitPerSecond { get; init; }

    /// <summary>The largest <see cref="RateLimitPerSecond"/>: the venue keeps one timestamp per request the limit allows.</summary>
    public const int MaxRateLimitPerSecond = 1_000_000;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first stream setting out of range.</summary>
    public void ValidateStream()
    {
        if (StreamPingIntervalMs < 1)
        {
            throw new ArgumentException($"{nameof(StreamPingIntervalMs)} must be at least 1, not {StreamPingIntervalMs}.", nameof(StreamPingIntervalMs));
        }

        if (StreamQueueCapacity < 1)
        {
            throw new ArgumentException($"{nameof(StreamQueueCapacity)} must be at least 1, not {StreamQueueCapacity}.", nameof(StreamQueueCapacity));
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first matching or rate-limit setting out of range.</summary>
    public void ValidateMatching()
    {
        if (!(FillBeforeCancelShare >= 0.0 && FillBeforeCancelShare <= 1.0))
        {
            throw new ArgumentException($"{nameof(FillBeforeCancelShare)} must be a share between 0 and 1, not {FillBeforeCancelShare}.", nameof(FillBeforeCancelShare));
        }

        if (!(FillAfterAckShare >= 0.0 && FillAfterAckShare <= 1.0))
        {
            throw new ArgumentException($"{nameof(FillAfterAckShare)} must be a share between 0 and 1, not {FillAfterAckShare}.", nameof(FillAfterAckShare));
        }

        if (FillBeforeCancelShare + FillAfterAckShare > 1.0 + 1e-9)
        {
            throw new ArgumentException("The fill-before-cancel and fill-after-ack shares add up to more than 1.");
        }

        if (CancelDelayMs < 0)
        {
            throw new ArgumentException($"{nameof(CancelDelayMs)} must not be negative, not {CancelDelayMs}.", nameof(CancelDelayMs));
        }

        if (RateLimitPerSecond is < 0 or > MaxRateLimitPerSecond)
        {
            throw new ArgumentException($"{nameof(RateLimitPerSecond)} must be between 0 and {MaxRateLimitPerSecond}, not {RateLimitPerSecond}.", nameof(RateLimitPerSecond));
        }
    }

    /// <summary>The counters to add to; new ones when null.</summary>
    /// <remarks>Given a stopped venue's counters, a restarted venue keeps counting where it left off, request ids seen included.</remarks>
    public VenueStats? Stats { get; init; }
}
