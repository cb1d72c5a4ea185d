namespace Oms.Load.Tests;

/// <summary>
/// Tests that start engine threads (oms-consumer, oms-h2-reader) or count them by name in this process: run alone, so
/// one test's engine is never counted by another.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EngineThreadsCollection
{
    public const string Name = "Engine threads";
}
