namespace Oms.Engine;

/// <summary>Receives the one outcome of every accepted cancel intent, identified by the strategy's tag.</summary>
/// <remarks>
/// Every call arrives on the engine's consumer thread (named <c>oms-consumer</c>), one at a time, never on a strategy
/// thread. Keep callbacks short and non-blocking: the consumer sends the next cancels only after the callback
/// returns. Spans are valid during the call only. Exceptions thrown by a callback are counted
/// (<see cref="EngineCountersSnapshot.ListenerExceptions"/>) and swallowed.
/// </remarks>
public interface ICancelListener
{
    /// <summary>The venue acknowledged the cancel (Ack: received, not necessarily done; see the facts sheet).</summary>
    void OnAcked(long tag, ReadOnlySpan<byte> orderId);

    /// <summary>The venue refused the cancel with a business error.</summary>
    /// <param name="tag">The strategy's tag.</param>
    /// <param name="orderId">The order id, ASCII.</param>
    /// <param name="code">The venue's code, e.g. 300006.</param>
    /// <param name="reason">The venue's reason, parsed.</param>
    /// <param name="message">The venue's message, raw JSON string content (possibly truncated).</param>
    void OnRejected(long tag, ReadOnlySpan<byte> orderId, long code, VenueReason reason, ReadOnlySpan<byte> message);

    /// <summary>The engine could not get an answer, or the venue's answer fails the cancel (credentials refused, no permission).</summary>
    /// <param name="tag">The strategy's own reference.</param>
    /// <param name="orderId">The order id, ASCII.</param>
    /// <param name="reason">Why the cancel failed.</param>
    /// <param name="detail">
    /// For <see cref="CancelFailureReason.AuthenticationFailed"/> and <see cref="CancelFailureReason.PermissionDenied"/>
    /// decided by the venue's answer: the venue's <c>code reason: message</c>, e.g.
    /// <c>200001 AUTHENTICATION_FAILED: API signature mismatch</c>. For an odd body (not JSON, truncated, unexpected
    /// status): its first bytes. Otherwise empty. At most 96 bytes.
    /// </param>
    void OnFailed(long tag, ReadOnlySpan<byte> orderId, CancelFailureReason reason, ReadOnlySpan<byte> detail);

    /// <summary>The intent was older than the venue's 30 s window when its turn came: never sent.</summary>
    void OnExpired(long tag, ReadOnlySpan<byte> orderId);

    /// <summary>
    /// The venue's answer echoed another request id than the one sent. Called just before that cancel's outcome (which
    /// follows the answer: the HTTP/2 stream it came on is what ties it to the request). Also counted in
    /// <see cref="EngineCountersSnapshot.IdMismatches"/>. Does nothing unless implemented.
    /// </summary>
    /// <param name="tag">The strategy's tag.</param>
    /// <param name="orderId">The order id, ASCII.</param>
    /// <param name="sentId">The request id the engine sent.</param>
    /// <param name="echoedId">The id the venue echoed (at most 32 bytes kept).</param>
    void OnIdMismatch(long tag, ReadOnlySpan<byte> orderId, ReadOnlySpan<byte> sentId, ReadOnlySpan<byte> echoedId)
    {
    }

    /// <summary>
    /// The order's fate, after its cancel's outcome: what the venue says became of the order (canceled, filled first,
    /// still open, unknown), or <see cref="OrderFate.Unconfirmed"/> when no source said so by the confirmation deadline.
    /// Exactly once per accepted intent while confirmation is on (<see cref="ConfirmationSettings.Enabled"/>), always
    /// after that intent's outcome, on the consumer thread. Does nothing unless implemented.
    /// </summary>
    /// <param name="tag">The strategy's tag.</param>
    /// <param name="orderId">The order id, ASCII.</param>
    /// <param name="fate">What became of the order; never <see cref="OrderFate.None"/> or <see cref="OrderFate.Pending"/>.</param>
    void OnFate(long tag, ReadOnlySpan<byte> orderId, OrderFate fate)
    {
    }
}
