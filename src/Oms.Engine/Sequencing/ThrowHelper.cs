using System.Diagnostics.CodeAnalysis;

namespace Oms.Engine.Sequencing;

/// <summary>Throws for the sequencing layer, kept out of line so the hot callers stay small and inlinable.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowBatchSizeOutOfRange(int n, int bufferSize) =>
        throw new ArgumentOutOfRangeException(
            nameof(n), n, $"A claim must cover between 1 and {bufferSize} slots (the ring's capacity).");

    [DoesNotReturn]
    public static void ThrowCapacityNotPowerOfTwo(int capacity, string paramName) =>
        throw new ArgumentOutOfRangeException(
            paramName, capacity, $"The capacity must be a power of two between 1 and {RingCapacity.Max}.");

    [DoesNotReturn]
    public static void ThrowTimeoutOutOfRange(TimeSpan timeout, string paramName) =>
        throw new ArgumentOutOfRangeException(
            paramName, timeout, "A timeout is zero, positive, or Timeout.InfiniteTimeSpan.");

    [DoesNotReturn]
    public static void ThrowProcessorAlreadyStarted() =>
        throw new InvalidOperationException(
            "The processor has already run or is running; a processor runs once. Create a new one to resume.");
}
