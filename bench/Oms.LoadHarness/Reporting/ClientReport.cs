using System.Text.Json.Nodes;
using Oms.Load;

namespace Oms.LoadHarness.Reporting;

/// <summary>
/// One client's runs. The headline members name the figure each question is best answered by: throughput and
/// cost per cancel from the flat-out run (work enough to keep the client busy, no idle time to spread),
/// latencies from the steady run (a realistic offered load, not a queue). The runs in the latency configuration
/// come on top: <see cref="OneInFlight"/> for every client, <see cref="SteadyLatencyConfig"/> (the steady run
/// again with a spinning consumer) only for a client with a wait strategy to choose.
/// </summary>
internal sealed record ClientReport(
    string Name, PhaseResult? Warmup, PhaseResult Steady, PhaseResult FlatOut, PhaseResult Mass, PhaseResult OneInFlight, PhaseResult? SteadyLatencyConfig)
{
    public IEnumerable<PhaseResult> Runs =>
        new[] { Warmup, Steady, FlatOut, Mass, OneInFlight, SteadyLatencyConfig }.OfType<PhaseResult>();

    public bool Verified => Runs.All(r => r.Verified);

    /// <summary>The report as JSON; <paramref name="yardstick"/>, when given, adds this client's one-in-flight p50 as a ratio to the yardstick's.</summary>
    public JsonObject ToJson(ClientReport? yardstick = null)
    {
        JsonObject oneInFlight = OneInFlight.ToJson();
        if (yardstick is not null && RoundTripP50Ratio(yardstick) is { } ratio)
        {
            oneInFlight["rttP50RatioToHttpClient"] = Math.Round(ratio, 3);
        }

        return new JsonObject
        {
            ["cancelsPerSecond"] = Math.Round(FlatOut.CancelsPerSecond, 0),
            ["cpuMicrosPerCancel"] = Math.Round(FlatOut.CpuMicrosPerCancel, 2),
            ["allocatedBytesPerCancel"] = Math.Round(FlatOut.AllocatedBytesPerCancel, 1),
            ["rttMicros"] = Steady.RoundTrip?.ToJson(),
            ["tickToWireMicros"] = Steady.TickToWire?.ToJson(),
            ["verified"] = Verified,
            ["problems"] = new JsonArray([.. Runs.SelectMany(r => r.Problems.Select(p => (JsonNode?)JsonValue.Create($"{r.Spec.Name}: {p}")))]),
            ["steady"] = Steady.ToJson(),
            ["flatOut"] = FlatOut.ToJson(),
            ["massCancel"] = Mass.ToJson(),
            ["oneInFlight"] = oneInFlight,
            ["steadyLatencyConfig"] = SteadyLatencyConfig?.ToJson(),
        };
    }

    /// <summary>This client's one-in-flight round trip p50 over <paramref name="yardstick"/>'s: lower is better.</summary>
    public double? RoundTripP50Ratio(ClientReport yardstick) =>
        OneInFlight.RoundTrip is { } mine && yardstick.OneInFlight.RoundTrip is { P50: > 0 } theirs ? mine.P50 / theirs.P50 : null;
}
