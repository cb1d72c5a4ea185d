namespace Oms.Extensions.Hosting.Tests.Support;

/// <summary>
/// Tests that read meters through a listener of the whole process (OpenTelemetry's): every engine publishes meter
/// <c>Oms.Engine</c>, so they run alone, never beside another test's engine whose counts would add to theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessMeters
{
    public const string Name = "Process-wide meters";
}
