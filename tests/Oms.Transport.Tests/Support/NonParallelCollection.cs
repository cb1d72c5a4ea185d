namespace Oms.Transport.Tests.Support;

/// <summary>
/// Tests that measure the whole process (allocated bytes, unobserved task exceptions) run in this collection, alone,
/// after the parallel ones: anything else running would pollute their measurement.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NonParallelCollection
{
    public const string Name = "Transport whole-process measurements";
}
