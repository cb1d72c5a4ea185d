using Oms.Engine.Diagnostics;

namespace Oms.LoadHarness.Clients;

/// <summary>What a client knows about a run besides the per-tag outcomes: its own latencies, requests and checks.</summary>
internal sealed class ClientFacts
{
    /// <summary>Requests the client put on the wire, retries included; the venue must have seen exactly these.</summary>
    public long Requests { get; init; }

    /// <summary>Requests sent again after a transport loss or a retryable answer.</summary>
    public long Retries { get; init; }

    /// <summary>The engine's publish-to-socket-write latencies (nanoseconds); none for HttpClient.</summary>
    public LatencyHistogram? TickToWire { get; init; }

    /// <summary>The engine's own part of tick-to-wire, without the time waited for the venue's capacity; none for HttpClient.</summary>
    public LatencyHistogram? TickToWireOwn { get; init; }

    /// <summary>How long the engine's cancels that had to wait waited for the venue's capacity; none for HttpClient.</summary>
    public LatencyHistogram? VenueWait { get; init; }

    /// <summary>The engine's socket-write-to-answer latencies (nanoseconds); none for HttpClient.</summary>
    public LatencyHistogram? WireRoundTrip { get; init; }

    /// <summary>Counts that did not reconcile on the client's side.</summary>
    public List<string> Problems { get; } = [];
}
