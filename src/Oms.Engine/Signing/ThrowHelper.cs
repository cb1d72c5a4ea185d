using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Oms.Engine.Signing;

/// <summary>Throws for the signing hot path, kept out of line so the callers stay small enough to inline.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    [StackTraceHidden]
    public static void ThrowTimestampOutOfRange(long timestampMs) =>
        throw new ArgumentOutOfRangeException(
            nameof(timestampMs),
            timestampMs,
            $"The venue expects a 13-digit millisecond timestamp, between {CancelSigner.MinTimestampMs} and {CancelSigner.MaxTimestampMs}.");
}
