namespace Oms.Engine;

/// <summary>
/// How the engine learns each order's fate after its cancel's outcome: from the venue's private order stream, and by
/// asking the order status where the stream is silent (see <see cref="OrderFate"/>).
/// </summary>
public sealed record ConfirmationSettings
{
    /// <summary>The most order ids one status request may carry (AscendEX documents no limit; 20 by default).</summary>
    public const int MaxIdsPerStatusRequestLimit = 100;

    /// <summary>Whether fates are confirmed at all (on by default). Off: no stream, no status requests, no fates.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Whether to subscribe to the venue's private order stream (on by default); off, status alone settles fates.</summary>
    public bool UseStream { get; init; } = true;

    /// <summary>How long after an Ack to wait for the stream before asking by status (1 s by default).</summary>
    public TimeSpan StreamWait { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long after the cancel's outcome a fate may take before it is <see cref="OrderFate.Unconfirmed"/> (30 s by default).</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How soon to ask again while the venue still says an acked order is open (250 ms by default).</summary>
    public TimeSpan RecheckInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The most order ids one status request carries (20 by default, at most <see cref="MaxIdsPerStatusRequestLimit"/>).</summary>
    public int MaxIdsPerStatusRequest { get; init; } = 20;

    /// <summary>
    /// The most orders waiting for their fate at once (65,536 by default, about 13 MiB allocated at start); beyond it a
    /// fate is <see cref="OrderFate.Unconfirmed"/> at once, counted. Size it for the largest burst of cancels the
    /// strategy sends within <see cref="StreamWait"/> plus a status round trip.
    /// </summary>
    public int Capacity { get; init; } = 65_536;

    /// <summary>How often the engine pings the stream (15 s by default); the pong's server time is a clock-offset sample.</summary>
    public TimeSpan StreamPingInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The shortest wait before reconnecting the stream (250 ms by default); doubled per failure, jittered.</summary>
    public TimeSpan StreamReconnectMinDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest wait before reconnecting the stream (10 s by default).</summary>
    public TimeSpan StreamReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(StreamWait, TimeSpan.Zero, nameof(StreamWait));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Deadline, TimeSpan.Zero, nameof(Deadline));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RecheckInterval, TimeSpan.Zero, nameof(RecheckInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxIdsPerStatusRequest, 1, nameof(MaxIdsPerStatusRequest));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxIdsPerStatusRequest, MaxIdsPerStatusRequestLimit, nameof(MaxIdsPerStatusRequest));
        ArgumentOutOfRangeException.ThrowIfLessThan(Capacity, 1, nameof(Capacity));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(StreamPingInterval, TimeSpan.Zero, nameof(StreamPingInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(StreamReconnectMinDelay, TimeSpan.Zero, nameof(StreamReconnectMinDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(StreamReconnectMaxDelay, StreamReconnectMinDelay, nameof(StreamReconnectMaxDelay));
    }
}
