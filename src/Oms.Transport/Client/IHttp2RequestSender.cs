namespace Oms.Transport.Client;

/// <summary>The send side of the transport as the engine's consumer thread sees it.</summary>
/// <remarks>
/// One thread owns it: <see cref="TrySend"/> and <see cref="Flush"/> are called only by the thread that owns the
/// sender (the engine's consumer). Outcomes come back through the <see cref="IHttp2ResponseHandler"/> the sender was
/// built with, on other threads. Implemented by Http2Client; tests substitute fakes.
/// </remarks>
internal interface IHttp2RequestSender
{
    /// <summary>True when at least one connection is open.</summary>
    bool IsConnected { get; }

    /// <summary>Writes one request into a connection's buffer; nothing reaches the wire before <see cref="Flush"/>.</summary>
    /// <param name="template">The request's method, path and constant headers.</param>
    /// <param name="firstVariableValue">The value of the template's first variable header (empty when it declares none).</param>
    /// <param name="secondVariableValue">The value of the template's second variable header (empty when it declares fewer).</param>
    /// <param name="body">The request body, sent as one DATA frame carrying END_STREAM.</param>
    /// <param name="token">Echoed to the response handler with the outcome.</param>
    /// <returns><see cref="Http2SendResult.Sent"/>, or why not; when not sent, no outcome will be reported for <paramref name="token"/>.</returns>
    Http2SendResult TrySend(Http2RequestTemplate template, ReadOnlySpan<byte> firstVariableValue, ReadOnlySpan<byte> secondVariableValue, ReadOnlySpan<byte> body, long token);

    /// <summary>Puts everything written since the last flush on the wire: one socket write per connection used.</summary>
    void Flush();
}
