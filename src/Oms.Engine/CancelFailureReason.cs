namespace Oms.Engine;

/// <summary>Why a cancel ended as Failed: the engine could not get the venue's answer.</summary>
public enum CancelFailureReason
{
    /// <summary>Every attempt was lost in transport (reset, connection lost, timeout, never processed) and the retries or the venue's window ran out.</summary>
    TransportExhausted,

    /// <summary>The venue kept answering 429, 403, 5xx, 510001 or 100014 until the retries or the window ran out.</summary>
    VenueUnavailable,

    /// <summary>The venue refused the credentials (200001). The engine stops sending: raise the alarm.</summary>
    AuthenticationFailed,

    /// <summary>The key lacks the trade permission (200015).</summary>
    PermissionDenied,

    /// <summary>The venue answered, but not in a shape the contract allows (not JSON, truncated, unknown fields, unexpected HTTP status).</summary>
    BadResponse,

    /// <summary>The engine stopped before an answer arrived.</summary>
    Stopped,

    /// <summary>
    /// No order-state entry was free (<see cref="CancelEngineSettings.OrderStateCapacity"/> entries were all in flight
    /// or retained), so the intent could not be tracked and was never sent; also used when more duplicate intents than
    /// the ring holds wait on cancels already in flight. Counted in <see cref="EngineCountersSnapshot.StateTableFull"/>
    /// and meter <c>oms.engine.state_table_full</c>: the capacity is too small for the load (see its sizing rule).
    /// </summary>
    StateTableFull,
}
