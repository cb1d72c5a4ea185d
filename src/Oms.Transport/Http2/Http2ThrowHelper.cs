using System.Diagnostics.CodeAnalysis;

namespace Oms.Transport.Http2;

/// <summary>
/// Throws on behalf of the frame layer, so the hot parsing methods stay small enough to inline and carry no
/// exception-construction code.
/// </summary>
internal static class Http2ThrowHelper
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

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> for a caller's bug.</summary>
    /// <param name="paramName">The offending parameter.</param>
    /// <param name="message">Which range was expected.</param>
    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName, string message) =>
        throw new ArgumentOutOfRangeException(paramName, message);
}
