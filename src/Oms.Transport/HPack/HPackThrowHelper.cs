using System.Diagnostics.CodeAnalysis;

namespace Oms.Transport.HPack;

/// <summary>Throws for the HPACK hot paths, so the callers stay small enough to inline.</summary>
internal static class HPackThrowHelper
{
    /// <summary>Throws an <see cref="HPackDecodingException"/> carrying <paramref name="error"/>.</summary>
    [DoesNotReturn]
    public static void ThrowDecoding(HPackError error) => throw new HPackDecodingException(error);

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> for <paramref name="paramName"/>.</summary>
    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName, string message) =>
        throw new ArgumentOutOfRangeException(paramName, message);

    /// <summary>Throws an <see cref="InvalidOperationException"/>: a caller broke the API contract.</summary>
    [DoesNotReturn]
    public static void ThrowInvalidOperation(string message) => throw new InvalidOperationException(message);
}
