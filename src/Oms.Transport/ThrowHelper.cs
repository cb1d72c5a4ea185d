using System.Diagnostics.CodeAnalysis;

namespace Oms.Transport;

/// <summary>
/// Throws on behalf of the transport's hot paths (frame parsing, HPACK), so the callers stay small enough to inline
/// and carry no exception-construction code.
/// </summary>
internal static class ThrowHelper
{
    /// <summary>Throws an <see cref="Http2ConnectionException"/>.</summary>
    /// <param name="errorCode">The code for GOAWAY.</param>
    /// <param name="message">What the peer did wrong.</param>
    [DoesNotReturn]
    public static void ThrowConnectionError(Http2ErrorCode errorCode, string message) =>
        throw new Http2ConnectionException(errorCode, message);

    /// <summary>Throws an <see cref="Http2StreamException"/>.</summary>
    /// <param name="streamId">The stream to reset.</param>
    /// <param name="errorCode">The code for RST_STREAM.</param>
    /// <param name="message">What the peer did wrong.</param>
    [DoesNotReturn]
    public static void ThrowStreamError(int streamId, Http2ErrorCode errorCode, string message) =>
        throw new Http2StreamException(streamId, errorCode, message);

    /// <summary>Throws an <see cref="HPackDecodingException"/> carrying <paramref name="error"/>.</summary>
    /// <param name="error">What was wrong with the header block.</param>
    [DoesNotReturn]
    public static void ThrowDecoding(HPackError error) => throw new HPackDecodingException(error);

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> for a caller's bug.</summary>
    /// <param name="paramName">The offending parameter.</param>
    /// <param name="message">Which range was expected.</param>
    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName, string message) =>
        throw new ArgumentOutOfRangeException(paramName, message);

    /// <summary>Throws an <see cref="InvalidOperationException"/>: a caller broke the API contract.</summary>
    /// <param name="message">Which rule was broken.</param>
    [DoesNotReturn]
    public static void ThrowInvalidOperation(string message) => throw new InvalidOperationException(message);
}
