namespace Oms.Benchmarks.Support;

/// <summary>
/// Fails a benchmark's setup when its subject does not produce the verified result: a fast but wrong
/// benchmark must not report a number.
/// </summary>
public static class BenchmarkCheck
{
    /// <summary>Throws when <paramref name="condition"/> is false.</summary>
    /// <param name="condition">What must hold.</param>
    /// <param name="what">What was checked, for the message.</param>
    /// <exception cref="InvalidOperationException">The check failed.</exception>
    public static void That(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Benchmark self-check failed: " + what);
        }
    }

    /// <summary>Throws when two values differ.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="expected">The verified value.</param>
    /// <param name="actual">What the subject produced.</param>
    /// <param name="what">What was compared, for the message.</param>
    /// <exception cref="InvalidOperationException">The values differ.</exception>
    public static void Equal<T>(T expected, T actual, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            throw new InvalidOperationException($"Benchmark self-check failed: {what}: expected '{expected}', got '{actual}'.");
        }
    }
}
