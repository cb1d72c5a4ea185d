namespace Oms.Engine.Tests.Faults;

/// <summary>
/// The fault matrix runs alone, one case at a time, after the parallel tests: each case runs a venue and an engine on
/// this two-core machine, and the unobserved-exception check needs a quiet process.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "Engine against a faulty venue";
}
