namespace Oms.Engine;

/// <summary>
/// Throws on behalf of the engine's hot paths (sequencing, order state, signing, the request body), kept out of line so
/// the callers stay small enough to inline.
/// </summary>
internal static class ThrowHelper
{
    // Sequencing.

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

    // Order state.

    [DoesNotReturn]
    public static void ThrowOrderIdLength(int length, string paramName) =>
        throw new ArgumentOutOfRangeException(
            paramName, length, $"An order id is 1 to {OrderIdKey.MaxLength} ASCII bytes (the exchange's are 32, older ones 31).");

    [DoesNotReturn]
    public static void ThrowIllegalTransition(CancelState from, CancelState to) =>
        throw new ArgumentException(
            $"A cancel cannot move from {from} to {to}: see CancelState for the legal moves.", nameof(to));

    // Signing.

    [DoesNotReturn]
    [StackTraceHidden]
    public static void ThrowTimestampOutOfRange(long timestampMs) =>
        throw new ArgumentOutOfRangeException(
            nameof(timestampMs),
            timestampMs,
            $"The venue expects a 13-digit millisecond timestamp, between {CancelSigner.MinTimestampMs} and {CancelSigner.MaxTimestampMs}.");

    // The request body.

    [DoesNotReturn]
    [StackTraceHidden]
    public static void ThrowAdvancedTooFar() =>
        throw new InvalidOperationException("Advanced past the end of the fixed buffer.");

    [DoesNotReturn]
    [StackTraceHidden]
    public static void ThrowFixedBufferTooSmall(int capacity, int sizeHint) =>
        throw new InvalidOperationException(
            $"The fixed {capacity}-byte buffer cannot provide {sizeHint} more bytes; the request bounds and the buffer size disagree.");

    [DoesNotReturn]
    [StackTraceHidden]
    public static void ThrowFieldTooLong(string paramName, int length, int maxLength) =>
        throw new ArgumentOutOfRangeException(
            paramName,
            length,
            $"At most {maxLength} bytes fit the pre-allocated request; validate strategy input with CancelProfile.TryValidate first.");

    [DoesNotReturn]
    [StackTraceHidden]
    public static void ThrowFieldEmpty(string paramName) =>
        throw new ArgumentException("The field must not be empty.", paramName);
}
