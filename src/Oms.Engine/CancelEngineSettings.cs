namespace Oms.Engine;

/// <summary>Everything an engine needs to know except the credentials, which never live in settings.</summary>
/// <remarks>The same keys as the <c>engine</c> section of <c>runtimesettings.json</c>. Immutable once built.</remarks>
public sealed record CancelEngineSettings
{
    /// <summary>The venue's base URL: <c>https://ascendex.com</c>, or a simulator's <c>http://127.0.0.1:port</c>.</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>The account group that prefixes every private path.</summary>
    public required string AccountGroup { get; init; }

    /// <summary>Which cancel API: <see cref="CancelProfile.V1"/> (the contract, default) or <see cref="CancelProfile.V2"/>.</summary>
    public CancelProfile Profile { get; init; } = CancelProfile.V1;

    /// <summary>Ring buffer slots (a power of two). Intents beyond this wait in the strategies (refused or blocking).</summary>
    public int RingSize { get; init; } = 16_384;

    /// <summary>
    /// How the consumer waits for work: <see cref="WaitStrategyKind.SpinThenPark"/> by default (no CPU when idle);
    /// <see cref="WaitStrategyKind.BusySpin"/> only with a core of its own.
    /// </summary>
    public WaitStrategyKind WaitStrategy { get; init; } = WaitStrategyKind.SpinThenPark;

    /// <summary>The default of <see cref="WaitSpin"/>.</summary>
    public static TimeSpan DefaultWaitSpin { get; } = TimeSpan.FromMicroseconds(DefaultWaitSpinMicroseconds);

    /// <summary>The default of <see cref="WaitSpin"/>, in microseconds (the settings file's unit).</summary>
    public const int DefaultWaitSpinMicroseconds = 2;

    /// <summary>
    /// How long a <see cref="WaitStrategyKind.SpinThenPark"/> consumer spins before it parks (ignored by the other
    /// strategies); zero to one second.
    /// </summary>
    /// <remarks>
    /// A spin catches an event that comes within it without an OS wake-up, and costs its length in CPU when none does.
    /// At a venue's pace events are hundreds of microseconds apart, so the default is short: see the README's
    /// "Choosing a wait strategy" for the measurements behind it.
    /// </remarks>
    public TimeSpan WaitSpin { get; init; } = DefaultWaitSpin;

    /// <summary>
    /// True to have the consumer read its connections' answers itself: it sleeps in one <c>epoll</c> wait on the
    /// sockets and on a wake-up descriptor the producers signal only while it sleeps, instead of on a futex while a
    /// reader thread per connection reads. Linux x86-64, cleartext connections and the parking strategies
    /// (<see cref="WaitStrategyKind.SpinThenPark"/>, <see cref="WaitStrategyKind.Blocking"/>) only; ignored elsewhere.
    /// </summary>
    public bool ReadOnConsumer { get; init; } = true;

    /// <summary>Persistent HTTP/2 connections.</summary>
    public int Connections { get; init; } = 2;

    /// <summary>How long one request may wait for its answer before it is reset and retried.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times a cancel may be sent again after a transport loss or a retryable venue answer.</summary>
    public int RetryAttempts { get; init; } = 3;

    /// <summary>Cancels per second the engine allows itself (token bucket); 0 turns the limiter off.</summary>
    public double RateLimitPerSecond { get; init; } = 50;

    /// <summary>How many cancels may go at once after a quiet period.</summary>
    public int RateLimitBurst { get; init; } = 20;

    /// <summary>
    /// Requests allowed on the wire before the venue's first answer shows it accepts the key (any Ack, any error other
    /// than 200001 or 100011, which may be judged before the signature); 4 by default, 0 for no such limit.
    /// </summary>
    /// <remarks>
    /// A refused key (200001) then reaches the venue this many times at most, however many cancels were waiting,
    /// instead of once for every stream the connections had room for: the facts sheet's "do not hammer the venue with a
    /// bad key". The price is paid once per engine: a burst published before the first answer waits one round trip.
    /// </remarks>
    public int InFlightUntilKeyProven { get; init; } = 4;

    /// <summary>
    /// False (the default): <see cref="CancelEngine.StartAsync"/> fails when the venue cannot be reached at all. True:
    /// it starts anyway and keeps reconnecting with back-off; cancels wait for a connection, within the venue's window
    /// (Expired if none comes in time). A TLS trust failure still fails the start.
    /// </summary>
    public bool StartWithoutVenue { get; init; }

    /// <summary>
    /// The CPU the consumer thread is pinned to (Linux only); null (the default) leaves it to the scheduler.
    /// </summary>
    /// <remarks>
    /// For the latency configuration: a <see cref="WaitStrategyKind.BusySpin"/> consumer on a core nothing else is
    /// scheduled on. Pinning the consumer does not keep other threads off its core: move them with
    /// <see cref="Platform.CpuAffinity"/> or start the process under <c>taskset</c>. The CPU must be one this
    /// process may use when the engine starts.
    /// </remarks>
    public int? ConsumerCpu { get; init; }

    /// <summary>Orders whose cancel state is tracked at once (in flight, or final and retained); 262,144 by default.</summary>
    /// <remarks>
    /// <para>
    /// <b>Sizing rule.</b> An entry is taken when the consumer takes an intent for an order not already in flight, and
    /// is free again at most <see cref="VenueWindow"/> (an intent is decided within it) + <see cref="OrderStateRetention"/>
    /// + 1 s (the sweep's lap) later. So the capacity must hold at least
    /// <c>peak sustained cancels per second × (30 s + OrderStateRetention + 1 s)</c>, plus room for bursts: 1.5 times
    /// that is a sound choice. Cancels answered at once free their entries 30 s sooner, but the rule must hold for a
    /// venue that stops answering. With the limiter on, the rate to plan for is <see cref="RateLimitPerSecond"/> plus
    /// <see cref="RingSize"/> / 28 s (intents that wait their whole window and expire unsent also hold an entry).
    /// </para>
    /// <para>
    /// The defaults (262,144 entries, 35 s retention) sustain 3,970 cancels/s with a silent venue and 7,280/s with a
    /// prompt one; the default limiter (50/s) with the default ring needs about 42,000. The table allocates
    /// 2 × capacity (rounded up to a power of two) slots of 64 bytes up front: 32 MiB at the default.
    /// </para>
    /// <para>
    /// <b>When it runs out.</b> The intent ends Failed with <see cref="CancelFailureReason.StateTableFull"/> (the
    /// listener hears it, unsent), counted in <see cref="EngineCountersSnapshot.StateTableFull"/> and meter
    /// <c>oms.engine.state_table_full</c>; <see cref="EngineCountersSnapshot.OrderStates"/> and meter
    /// <c>oms.engine.order_states</c> show the table filling before it does. The table never grows.
    /// </para>
    /// </remarks>
    public int OrderStateCapacity { get; init; } = DefaultOrderStateCapacity;

    /// <summary>The default <see cref="OrderStateCapacity"/>: 262,144 entries, 32 MiB.</summary>
    public const int DefaultOrderStateCapacity = 262_144;

    /// <summary>The largest <see cref="OrderStateCapacity"/> accepted: 2^24 entries, a 2 GiB table at 128 bytes an entry.</summary>
    public const int MaxOrderStateCapacity = CancelStateTable.MaxCapacity;

    /// <summary>How long a final cancel state stays queryable before its entry may be reused; 35 s by default.</summary>
    /// <remarks>
    /// Just over <see cref="VenueWindow"/>, so a strategy can still read the outcome of any cancel the venue could
    /// still be acting on. Longer retention needs a larger <see cref="OrderStateCapacity"/> (see its sizing rule). The
    /// consumer sweeps the table a bounded slice at a time, one lap per retention period (within 100 ms and 1 s), so
    /// a final entry is reclaimed at most one lap after its retention ends.
    /// </remarks>
    public TimeSpan OrderStateRetention { get; init; } = TimeSpan.FromSeconds(DefaultOrderStateRetentionSeconds);

    /// <summary>The default <see cref="OrderStateRetention"/> in seconds: 35, just over <see cref="VenueWindow"/>.</summary>
    public const int DefaultOrderStateRetentionSeconds = 35;

    /// <summary>Intents older than the venue's 30 s window minus this margin are Expired, not sent.</summary>
    public TimeSpan ExpiryMargin { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A PEM CA file to trust instead of the system store (private venues and the simulator).</summary>
    public string? CaCertificatePath { get; init; }

    /// <summary>First back-off before resending after a retryable venue answer (429, 5xx...); doubles per attempt.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The venue's window: requests older than this are refused by the exchange.</summary>
    public static TimeSpan VenueWindow { get; } = TimeSpan.FromSeconds(30);

    // The transport's limits against a venue that misbehaves; each is passed to the HTTP/2 client as it is, and the
    // README's fault section says what breaching it does.

    /// <summary>The largest answer body kept per stream (64 KiB); a longer one is cut, its stream reset, and the cancel fails BadResponse.</summary>
    public int MaxResponseBodySize { get; init; } = 64 * 1024;

    /// <summary>Each connection's receive window and buffer budget (1 MiB): what unfinished answer bodies may hold at once.</summary>
    public int ConnectionReceiveWindow { get; init; } = 1 << 20;

    /// <summary>The first reconnect delay (100 ms); it doubles per failed or unproven connection, with jitter.</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest reconnect delay (5 s).</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a connection must serve answers before its loss resets the reconnect back-off (5 s).</summary>
    public TimeSpan ReconnectBackoffResetAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Request timeouts in a row after which a connection is retired and replaced (3).</summary>
    public int MaxConsecutiveTimeouts { get; init; } = 3;

    /// <summary>Keep-alive PING interval (10 s); zero sends none except after a timeout.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a PING may go unanswered before its connection is retired (3 s).</summary>
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The most frames one answer's header block may span (32).</summary>
    public int MaxHeaderBlockFrames { get; init; } = 32;

    /// <summary>How long one answer's header block may stay unfinished (2 s).</summary>
    public TimeSpan HeaderBlockTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>When cancels are packed into the venue's batch cancel (<see cref="BatchCancelMode.Auto"/> by default: only a backlog is).</summary>
    public BatchCancelMode BatchCancel { get; init; } = BatchCancelMode.Auto;

    /// <summary>How each order's fate is confirmed after its cancel's outcome (on by default).</summary>
    public ConfirmationSettings Confirmation { get; init; } = new();

    /// <summary>The HTTP/2 client's options these settings make.</summary>
    internal Http2ClientOptions ToClientOptions() => new()
    {
        BaseUri = BaseUrl,
        ConnectionCount = Connections,
        CaCertificatePath = CaCertificatePath,
        RequestTimeout = RequestTimeout,
        RequireConnectionAtStart = !StartWithoutVenue,
        MaxResponseBodySize = MaxResponseBodySize,
        ConnectionReceiveWindow = ConnectionReceiveWindow,
        ReconnectMinDelay = ReconnectMinDelay,
        ReconnectMaxDelay = ReconnectMaxDelay,
        ReconnectBackoffResetAfter = ReconnectBackoffResetAfter,
        MaxConsecutiveTimeouts = MaxConsecutiveTimeouts,
        PingInterval = PingInterval,
        PingTimeout = PingTimeout,
        MaxHeaderBlockFrames = MaxHeaderBlockFrames,
        HeaderBlockTimeout = HeaderBlockTimeout,
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(BaseUrl);
        if (!BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttps && BaseUrl.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"BaseUrl must be an absolute http:// or https:// URL, not '{BaseUrl}'.", nameof(BaseUrl));
        }

        if (string.IsNullOrEmpty(AccountGroup) || AccountGroup.AsSpan().ContainsAnyExceptInRange((char)0x21, (char)0x7E) || AccountGroup.AsSpan().ContainsAny('/', '?', '#'))
        {
            throw new ArgumentException(
                $"AccountGroup must be one path segment of visible ASCII (no spaces, '/', '?' or '#'), not '{AccountGroup}'.", nameof(AccountGroup));
        }
        ArgumentNullException.ThrowIfNull(Profile);
        if (RingSize < 2 || !int.IsPow2(RingSize))
        {
            throw new ArgumentException($"RingSize must be a power of two of at least 2, not {RingSize}.", nameof(RingSize));
        }

        if (WaitSpin < TimeSpan.Zero || WaitSpin > SpinThenParkWaitStrategy.MaxSpin)
        {
            throw new ArgumentException($"WaitSpin must be between 0 and 1 s, not {WaitSpin}.", nameof(WaitSpin));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Connections, 1, nameof(Connections));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero, nameof(RequestTimeout));
        ArgumentOutOfRangeException.ThrowIfNegative(RetryAttempts, nameof(RetryAttempts));
        ArgumentOutOfRangeException.ThrowIfNegative(RateLimitPerSecond, nameof(RateLimitPerSecond));
        ArgumentOutOfRangeException.ThrowIfLessThan(RateLimitBurst, 1, nameof(RateLimitBurst));
        ArgumentOutOfRangeException.ThrowIfNegative(InFlightUntilKeyProven, nameof(InFlightUntilKeyProven));
        ArgumentOutOfRangeException.ThrowIfLessThan(OrderStateCapacity, 16, nameof(OrderStateCapacity));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(OrderStateCapacity, CancelStateTable.MaxCapacity, nameof(OrderStateCapacity));
        ArgumentOutOfRangeException.ThrowIfNegative(OrderStateRetention.Ticks, nameof(OrderStateRetention));
        if (ExpiryMargin < TimeSpan.Zero || ExpiryMargin >= VenueWindow)
        {
            throw new ArgumentException($"ExpiryMargin must be between 0 and 30 s, not {ExpiryMargin}.", nameof(ExpiryMargin));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RetryBackoff, TimeSpan.Zero, nameof(RetryBackoff));
        ArgumentNullException.ThrowIfNull(Confirmation, nameof(Confirmation));
        Confirmation.Validate();
        ToClientOptions().Validate();
        ValidateConsumerCpu();
    }

    private void ValidateConsumerCpu()
    {
        if (ConsumerCpu is not { } cpu)
        {
            return;
        }

        if (!Platform.CpuAffinity.IsSupported)
        {
            throw new ArgumentException("ConsumerCpu is supported on Linux only; leave it unset here.", nameof(ConsumerCpu));
        }

        if (!Platform.CpuAffinity.CanPin(cpu))
        {
            throw new ArgumentException(
                $"ConsumerCpu {cpu} is not a CPU this process may run on (offline, outside its cgroup's set, or out of range).", nameof(ConsumerCpu));
        }
    }
}
