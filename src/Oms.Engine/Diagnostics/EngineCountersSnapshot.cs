namespace Oms.Engine;

/// <summary>The engine's counters at one moment, copied without allocating.</summary>
/// <remarks>
/// Reconciliation: <see cref="Intents"/> = <see cref="Acked"/> + <see cref="Rejected"/> + <see cref="Failed"/> +
/// <see cref="Expired"/> + <see cref="Pending"/>, exactly, once the counters are read while no strategy is publishing
/// (each counter is read separately, so a snapshot taken under load can be off by the intents in motion).
/// </remarks>
public readonly record struct EngineCountersSnapshot
{
    /// <summary>Intents accepted by <c>TryCancel</c>.</summary>
    public long Intents { get; init; }

    /// <summary>Intents whose cancel the venue acknowledged (joined duplicates included).</summary>
    public long Acked { get; init; }

    /// <summary>Intents the venue refused with a business error.</summary>
    public long Rejected { get; init; }

    /// <summary>Intents that ended without the venue's answer.</summary>
    public long Failed { get; init; }

    /// <summary>Intents older than the venue's window when their turn came: never sent.</summary>
    public long Expired { get; init; }

    /// <summary>Intents accepted and not yet decided: in the ring, waiting, or in flight.</summary>
    public long Pending => Intents - Acked - Rejected - Failed - Expired;

    /// <summary>Intents that joined a cancel already in flight for the same order instead of sending their own.</summary>
    public long Coalesced { get; init; }

    /// <summary>HTTP requests sent, retries included.</summary>
    public long Requests { get; init; }

    /// <summary>Requests sent again with a new id after a transport loss or a retryable answer.</summary>
    public long Retries { get; init; }

    /// <summary>Answers whose echoed <c>id</c> was not the id sent on that stream.</summary>
    public long IdMismatches { get; init; }

    /// <summary>TryCancel calls refused because the ring was full.</summary>
    public long RingFullRefusals { get; init; }

    /// <summary>TryCancel calls refused for any reason (ring full, stopped, bad input).</summary>
    public long Refusals { get; init; }

    /// <summary>Answers 100011 (clock skew or stale): each is re-signed once.</summary>
    public long ClockSkewEvents { get; init; }

    /// <summary>
    /// The venue's clock minus ours, in whole seconds, read from the <c>date</c> header of the last 100011 answer that
    /// had one; 0 until then. A value beyond the venue's 30 s window means the host's clock needs fixing: re-signing
    /// cannot help.
    /// </summary>
    public long LastClockSkewSeconds { get; init; }

    /// <summary>
    /// Retryable answers (429, 403, 5xx, 510001, 100014) that carried a <c>retry-after</c>: each held every send, not
    /// only its own retry, until that time had passed, and decided at once the cancels that could not wait so long
    /// within the venue's window (Expired if never sent, else Failed <see cref="CancelFailureReason.VenueUnavailable"/>).
    /// </summary>
    public long RetryAfterHonoured { get; init; }

    /// <summary>Requests on the wire now.</summary>
    public long InFlight { get; init; }

    /// <summary>
    /// Intents failed unsent with <see cref="CancelFailureReason.StateTableFull"/> (also counted in <see cref="Failed"/>):
    /// anything above 0 means <see cref="CancelEngineSettings.OrderStateCapacity"/> is too small for the load; see its
    /// sizing rule.
    /// </summary>
    public long StateTableFull { get; init; }

    /// <summary>
    /// Order-state entries in use now (in flight, or final and retained): compare with
    /// <see cref="CancelEngineSettings.OrderStateCapacity"/> to see <see cref="StateTableFull"/> coming.
    /// </summary>
    public long OrderStates { get; init; }

    /// <summary>Ring slots in use now.</summary>
    public long RingOccupancy { get; init; }

    /// <summary>Exceptions thrown by the listener (counted and swallowed).</summary>
    public long ListenerExceptions { get; init; }

    /// <summary>True once the venue refused the credentials: the engine has stopped sending.</summary>
    public bool AuthenticationFailed { get; init; }

    /// <summary>
    /// True once an answer showed the venue accepts the credentials (an Ack, or any error judged after the signature);
    /// false until the first such answer. It stays true if the venue refuses the key later: read <see cref="AuthenticationFailed"/> too.
    /// </summary>
    public bool KeyProven { get; init; }

    /// <summary>Fates: the venue says the order is canceled.</summary>
    public long Canceled { get; init; }

    /// <summary>Fates: the order filled before the cancel took (too late).</summary>
    public long Filled { get; init; }

    /// <summary>Fates: the venue says the order is still open (the cancel did not take).</summary>
    public long Open { get; init; }

    /// <summary>Fates: the venue knows no such order.</summary>
    public long NotFound { get; init; }

    /// <summary>Fates: no source settled the order by the confirmation deadline.</summary>
    public long Unconfirmed { get; init; }

    /// <summary>Fates given so far, of every kind: equal to the decided intents once confirmation has caught up.</summary>
    public long Fates => Canceled + Filled + Open + NotFound + Unconfirmed;

    /// <summary>Orders waiting for their fate now.</summary>
    public long ConfirmationsPending { get; init; }

    /// <summary>Order-status requests sent.</summary>
    public long StatusRequests { get; init; }

    /// <summary>Order-status requests that brought no usable answer (asked again later).</summary>
    public long StatusFailures { get; init; }

    /// <summary>Order-stream connections after the first.</summary>
    public long StreamReconnects { get; init; }

    /// <summary>Order messages received on the stream.</summary>
    public long StreamMessages { get; init; }

    /// <summary>Order messages that found no room on their way to the consumer (status settles those orders).</summary>
    public long StreamNotesDropped { get; init; }

    /// <summary>Order messages for orders with no cancel in flight and no fate awaited (ignored).</summary>
    public long StreamMessagesUnmatched { get; init; }

    /// <summary>The venue's clock minus ours in milliseconds, from the stream's last pong (0 before the first).</summary>
    public long ClockOffsetMillis { get; init; }

    /// <summary>Batch cancels sent (each counted once in <see cref="Requests"/> too).</summary>
    public long BatchRequests { get; init; }

    /// <summary>Cancels sent inside batches.</summary>
    public long BatchOrders { get; init; }

    /// <summary>Cancel-all requests sent to the venue (one per <see cref="CancelEngine.CancelAllAsync"/> that got past its first query).</summary>
    public long CancelAllRequests { get; init; }

    /// <summary>True while the kill switch is engaged (<see cref="CancelEngine.KillSwitch"/>).</summary>
    public bool KillSwitchEngaged { get; init; }

    /// <summary>
    /// Cancels that could not go out when the consumer took them because others were already waiting: they queued
    /// behind them. This and the other <c>WaitedFor</c> counts say why a cancel's tick-to-wire includes a wait for the
    /// venue's capacity (<see cref="CancelEngine.CopyTickToWireSplit"/>); each cancel counts once, for its first send.
    /// </summary>
    public long WaitedBehindQueue { get; init; }

    /// <summary>Cancels that waited for the engine's rate limiter (<see cref="CancelEngineSettings.RateLimitPerSecond"/>).</summary>
    public long WaitedForRateLimit { get; init; }

    /// <summary>Cancels that waited for a stream: every connection at the venue's stream limit or out of send window.</summary>
    public long WaitedForStreams { get; init; }

    /// <summary>Cancels that waited for a connection (connecting, or reconnecting with back-off).</summary>
    public long WaitedForConnection { get; init; }

    /// <summary>Cancels held by a <c>retry-after</c>, or by the in-flight cap until the venue accepts the key.</summary>
    public long WaitedForHold { get; init; }

    /// <summary>Every cancel whose first send waited for the venue's capacity, whatever the cause.</summary>
    public long VenueWaits => WaitedBehindQueue + WaitedForRateLimit + WaitedForStreams + WaitedForConnection + WaitedForHold;
}
