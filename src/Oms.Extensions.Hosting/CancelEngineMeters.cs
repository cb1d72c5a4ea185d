using Oms.Engine.Diagnostics;
using Oms.Transport.Diagnostics;

namespace Oms.Extensions.Hosting;

/// <summary>The meters the engine publishes, for an OpenTelemetry <c>AddMeter</c> or <c>dotnet-counters</c>.</summary>
public static class CancelEngineMeters
{
    /// <summary>The engine's counters and histograms (<c>oms.engine.*</c>: intents, acked, rejected, failed, latencies).</summary>
    public const string Engine = EngineCounters.MeterName;

    /// <summary>The transport's counters (<c>oms.transport.*</c>: connections, streams, frames, reconnects).</summary>
    public const string Transport = TransportCounters.MeterName;
}
