using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

using Oms.Engine.Venues;

namespace Oms.Engine.Venues.AscendEx;

/// <summary>Throws for the protocol hot paths, kept out of line so the callers stay small enough to inline.</summary>
internal static class ThrowHelper
{
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

    [DoesNotReturn]
    [StackTraceHidden]
    public static void ThrowTimestampOutOfRange(long timestampMs) =>
        throw new ArgumentOutOfRangeException(
            nameof(timestampMs),
            timestampMs,
            $"The venue expects a 13-digit millisecond timestamp, between {CancelSigner.MinTimestampMs} and {CancelSigner.MaxTimestampMs}.");
}
