namespace Oms.Engine.Venues.AscendEx;

/// <summary>What <see cref="OrderStreamProtocol.Parse"/> read from one message; the order id itself is in the caller's scratch buffer.</summary>
internal struct OrderStreamMessage
{
    /// <summary>What the message is.</summary>
    public OrderStreamMessageKind Kind;

    /// <summary>The <c>code</c> of a sub ack or a disconnect (0 when absent).</summary>
    public long Code;

    /// <summary>The server's time in ms of a pong (<c>ts</c>); 0 when absent.</summary>
    public long ServerTimeMs;

    /// <summary>Whether a <see cref="OrderStreamMessageKind.Connected"/> message said <c>"type":"auth"</c>.</summary>
    public bool Authenticated;

    /// <summary>An order message's status.</summary>
    public VenueOrderStatus Status;

    /// <summary>An order message's id length: the id is the first this many bytes of the scratch buffer.</summary>
    public int OrderIdLength;
}
