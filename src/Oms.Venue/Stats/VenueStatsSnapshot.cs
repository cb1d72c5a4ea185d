using System.Text.Json.Serialization;

namespace Oms.Venue.Stats;

/// <summary>The venue's counters at one moment, as served at <c>GET /stats</c>.</summary>
/// <param name="ConnectionsOpened">TCP connections accepted since start.</param>
/// <param name="ConnectionsOpen">TCP connections open at the moment of the snapshot.</param>
/// <param name="Streams">HTTP/2 streams on the cancel endpoints.</param>
/// <param name="CancelRequests">Cancel requests that reached the checks.</param>
/// <param name="Acked">Cancels answered Ack.</param>
/// <param name="Rejected">Cancels refused by a check.</param>
/// <param name="DuplicateRequestIds">Request ids that arrived more than once.</param>
/// <param name="OtherRequests">Requests for other paths.</param>
/// <param name="Checks">Refusals per check, keyed by the check's kebab-case name.</param>
/// <param name="Faults">Injected faults per kind, keyed by kebab-case name.</param>
public sealed record VenueStatsSnapshot(
    [property: JsonPropertyName("connectionsOpened")] long ConnectionsOpened,
    [property: JsonPropertyName("connectionsOpen")] long ConnectionsOpen,
    [property: JsonPropertyName("streams")] long Streams,
    [property: JsonPropertyName("cancelRequests")] long CancelRequests,
    [property: JsonPropertyName("acked")] long Acked,
    [property: JsonPropertyName("rejected")] long Rejected,
    [property: JsonPropertyName("duplicateRequestIds")] long DuplicateRequestIds,
    [property: JsonPropertyName("otherRequests")] long OtherRequests,
    [property: JsonPropertyName("checks")] IReadOnlyDictionary<string, long> Checks,
    [property: JsonPropertyName("faults")] IReadOnlyDictionary<string, long> Faults)
{
    /// <summary>Orders whose acknowledged cancel took effect (final status Canceled).</summary>
    [JsonPropertyName("ordersCanceled")]
    public long OrdersCanceled { get; init; }

    /// <summary>Orders that filled just before their cancel arrived.</summary>
    [JsonPropertyName("filledBeforeCancel")]
    public long FilledBeforeCancel { get; init; }

    /// <summary>Orders that filled after their cancel's Ack, before it took effect.</summary>
    [JsonPropertyName("filledAfterAck")]
    public long FilledAfterAck { get; init; }

    /// <summary>Order status requests.</summary>
    [JsonPropertyName("statusRequests")]
    public long StatusRequests { get; init; }

    /// <summary>Open-orders requests.</summary>
    [JsonPropertyName("openOrdersRequests")]
    public long OpenOrdersRequests { get; init; }

    /// <summary>Private stream sessions accepted.</summary>
    [JsonPropertyName("streamSessions")]
    public long StreamSessions { get; init; }

    /// <summary>Stream upgrades refused by a check.</summary>
    [JsonPropertyName("streamUpgradesRejected")]
    public long StreamUpgradesRejected { get; init; }

    /// <summary>Stream upgrades refused with HTTP 503 by the refuse fault.</summary>
    [JsonPropertyName("streamUpgradesRefused")]
    public long StreamUpgradesRefused { get; init; }

    /// <summary>Order messages sent on stream sessions, one per receiving session.</summary>
    [JsonPropertyName("streamMessagesSent")]
    public long StreamMessagesSent { get; init; }

    /// <summary>Order messages left out by the drop fault, one per session.</summary>
    [JsonPropertyName("streamMessagesDropped")]
    public long StreamMessagesDropped { get; init; }

    /// <summary>Order messages a slow session lost to its full queue.</summary>
    [JsonPropertyName("streamBacklogDropped")]
    public long StreamBacklogDropped { get; init; }

    /// <summary>Stream sessions dropped by the close-every fault.</summary>
    [JsonPropertyName("streamClosedByFault")]
    public long StreamClosedByFault { get; init; }

    /// <summary>Orders canceled by a single cancel.</summary>
    [JsonPropertyName("ordersCanceledSingly")]
    public long OrdersCanceledSingly { get; init; }

    /// <summary>Orders canceled by a batch cancel.</summary>
    [JsonPropertyName("ordersCanceledByBatch")]
    public long OrdersCanceledByBatch { get; init; }

    /// <summary>Orders canceled by a cancel-all.</summary>
    [JsonPropertyName("ordersCanceledByCancelAll")]
    public long OrdersCanceledByCancelAll { get; init; }

    /// <summary>Batch cancel requests that reached the checks.</summary>
    [JsonPropertyName("batchRequests")]
    public long BatchRequests { get; init; }

    /// <summary>Batch cancels answered Ack.</summary>
    [JsonPropertyName("batchAcked")]
    public long BatchAcked { get; init; }

    /// <summary>Orders in batches answered Ack.</summary>
    [JsonPropertyName("batchOrders")]
    public long BatchOrders { get; init; }

    /// <summary>Acknowledged batches by size: element 0 counts batches of one order, element 9 batches of ten.</summary>
    [JsonPropertyName("batchSizes")]
    public IReadOnlyList<long> BatchSizes { get; init; } = [];

    /// <summary>Batches refused whole with 300013.</summary>
    [JsonPropertyName("batchRefused")]
    public long BatchRefused { get; init; }

    /// <summary>Batches refused before any order was looked at (authentication, body).</summary>
    [JsonPropertyName("batchRejected")]
    public long BatchRejected { get; init; }

    /// <summary>Cancel-all requests that reached the checks.</summary>
    [JsonPropertyName("cancelAllRequests")]
    public long CancelAllRequests { get; init; }

    /// <summary>Cancel-alls answered Ack.</summary>
    [JsonPropertyName("cancelAllAcked")]
    public long CancelAllAcked { get; init; }

    /// <summary>Cancel-alls refused by a check.</summary>
    [JsonPropertyName("cancelAllRejected")]
    public long CancelAllRejected { get; init; }

    /// <summary>Open orders cancel-alls left open on purpose.</summary>
    [JsonPropertyName("cancelAllSurvivors")]
    public long CancelAllSurvivors { get; init; }

    /// <summary>Order-endpoint requests answered HTTP 429 by the venue's rate limit.</summary>
    [JsonPropertyName("rateLimited")]
    public long RateLimited { get; init; }
}

/// <summary>Source-generated JSON metadata for <see cref="VenueStatsSnapshot"/>.</summary>
[JsonSerializable(typeof(VenueStatsSnapshot))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class VenueStatsJsonContext : JsonSerializerContext;
