namespace Oms.Engine.Sequencing;

/// <summary>
/// Sentinels that <see cref="IWaitStrategy.WaitFor"/> returns instead of a sequence when it stopped waiting
/// without anything to read.
/// </summary>
/// <remarks>
/// Both are far below any sequence (sequences start at 0), so a caller can test <c>available &gt;= next</c>
/// first and only then tell the two apart.
/// </remarks>
internal static class WaitResult
{
    /// <summary>The barrier was halted: the consumer must stop.</summary>
    public const long Halted = long.MinValue;

    /// <summary>Nothing was published within the idle timeout: a chance for periodic work.</summary>
    public const long TimedOut = long.MinValue + 1;
}
