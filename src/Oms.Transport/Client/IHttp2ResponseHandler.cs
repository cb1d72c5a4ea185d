namespace Oms.Transport.Client;

/// <summary>Receives the outcome of every request sent through an <see cref="IHttp2RequestSender"/>: exactly one call per request.</summary>
/// <remarks>
/// Called on a connection's reader thread (responses, resets, GOAWAY, connection loss) or on the client's timer
/// thread (timeouts), possibly on several threads at once for different requests, never twice for one request.
/// Implementations must be thread-safe, quick and must not throw: an exception escaping a callback is counted and
/// swallowed so one bad callback cannot take a connection down.
/// </remarks>
internal interface IHttp2ResponseHandler
{
    /// <summary>A complete response arrived.</summary>
    /// <param name="token">The token given to <see cref="IHttp2RequestSender.TrySend(Http2RequestTemplate, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, long)"/>.</param>
    /// <param name="head">The response's status and its <c>retry-after</c>, if any.</param>
    /// <param name="body">The whole response body; valid only during the call.</param>
    void OnResponse(long token, in Http2ResponseHead head, ReadOnlySpan<byte> body);

    /// <summary>The request ended without a response.</summary>
    /// <param name="token">The token given to <see cref="IHttp2RequestSender.TrySend(Http2RequestTemplate, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, long)"/>.</param>
    /// <param name="failure">Why.</param>
    void OnFailure(long token, Http2StreamFailure failure);
}
