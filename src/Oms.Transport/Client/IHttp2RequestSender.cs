namespace Oms.Transport.Client;

/// <summary>The send side of the transport as the engine's consumer thread sees it.</summary>
/// <remarks>
/// One thread owns it: <see cref="TrySend(Http2RequestTemplate, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, long)"/> and <see cref="Flush"/> are called only by the thread that owns the
/// sender (the engine's consumer). Outcomes come back through the <see cref="IHttp2ResponseHandler"/> the sender was
/// built with, on other threads. Implemented by Http2Client; tests substitute fakes.
/// </remarks>
internal interface IHttp2RequestSender
{
    /// <summary>True when at least one connection is open.</summary>
    bool IsConnected { get; }

    /// <summary>Writes one request into a connection's buffer; nothing reaches the wire before <see cref="Flush"/>.</summary>
    /// <param name="template">The request's method, path and constant headers.</param>
    /// <param name="pathQuery">
    /// Appended to the template's path for this request only (a query such as <c>?orderId=a,b,</c>); empty for most
    /// requests. A request with a query is sent as a literal never added to the dynamic table, so it never evicts the
    /// constant headers that the frequent requests replay.
    /// </param>
    /// <param name="firstVariableValue">The value of the template's first variable header (empty when it declares none).</param>
    /// <param name="secondVariableValue">The value of the template's second variable header (empty when it declares fewer).</param>
    /// <param name="body">The request body, sent as one DATA frame carrying END_STREAM.</param>
    /// <param name="token">Echoed to the response handler with the outcome.</param>
    /// <returns><see cref="Http2SendResult.Sent"/>, or why not; when not sent, no outcome will be reported for <paramref name="token"/>.</returns>
    Http2SendResult TrySend(Http2RequestTemplate template, ReadOnlySpan<byte> pathQuery, ReadOnlySpan<byte> firstVariableValue, ReadOnlySpan<byte> secondVariableValue, ReadOnlySpan<byte> body, long token);

    /// <summary>Writes one request on the template's own path (no query); see the overload with a query.</summary>
    Http2SendResult TrySend(Http2RequestTemplate template, ReadOnlySpan<byte> firstVariableValue, ReadOnlySpan<byte> secondVariableValue, ReadOnlySpan<byte> body, long token) =>
        TrySend(template, [], firstVariableValue, secondVariableValue, body, token);

    /// <summary>Puts everything written since the last flush on the wire: one socket write per connection used.</summary>
    void Flush();
}
