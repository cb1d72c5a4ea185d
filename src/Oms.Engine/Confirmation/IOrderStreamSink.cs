namespace Oms.Engine.Confirmation;

/// <summary>Where the private order stream delivers what it learns; called on the stream's own receive loop.</summary>
/// <remarks>
/// Implementations hand each call on to the consumer thread without blocking and without allocating; the spans are
/// valid during the call only.
/// </remarks>
internal interface IOrderStreamSink
{
    /// <summary>An order message: the venue says <paramref name="orderId"/> is now <paramref name="status"/>.</summary>
    void OnOrderStatus(ReadOnlySpan<byte> orderId, VenueOrderStatus status);

    /// <summary>Connected, authenticated and subscribed: order messages flow from now on.</summary>
    void OnStreamLive();

    /// <summary>The stream ended (closed, refused, failed): messages sent meanwhile are lost, never replayed.</summary>
    void OnStreamGap();
}
