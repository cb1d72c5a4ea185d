using Xunit;

namespace Oms.Testing.Skipping;

/// <summary>
/// A fact that needs Linux (thread affinity, <c>/proc</c>), optionally with at least <see cref="MinimumCpus"/> CPUs:
/// elsewhere it is reported skipped with the reason, never passed without running.
/// </summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    /// <summary>The fewest CPUs this process may run on for the test to mean anything; 1 by default.</summary>
    public int MinimumCpus { get; set; } = 1;

    /// <inheritdoc />
    public override string? Skip
    {
        get => base.Skip ?? Requirements.LinuxWithCpus(MinimumCpus);
        set => base.Skip = value;
    }
}
