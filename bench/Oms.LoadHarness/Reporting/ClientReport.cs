using System.Text.Json.Nodes;

namespace Oms.LoadHarness.Reporting;

/// <summary>
/// One client's runs. The headline members name the figure each question is best answered by: throughput and
/// cost per cancel from the flat-out run (work enough to keep the client busy, no idle time to spread),
/// latencies from the steady run (a realistic offered load, not a queue).
/// </summary>
internal sealed record ClientReport(string Name, PhaseResult? Warmup, PhaseResult Steady, PhaseResult FlatOut, PhaseResult Mass)
{
    public IEnumerable<PhaseResult> Runs => Warmup is null ? [Steady, FlatOut, Mass] : [Warmup, Steady, FlatOut, Mass];

    public bool Verified => Runs.All(r => r.Verified);

    public JsonObject ToJson() => new()
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
    };
}
