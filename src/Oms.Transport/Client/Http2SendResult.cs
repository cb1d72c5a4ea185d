namespace Oms.Transport.Client;

/// <summary>What became of an attempt to send a request.</summary>
internal enum Http2SendResult
{
    /// <summary>Written to a connection; it goes on the wire at the next <see cref="IHttp2RequestSender.Flush"/>.</summary>
    Sent,

    /// <summary>Every open connection is at its stream limit or out of send window: back-pressure, try again later.</summary>
    NoCapacity,

    /// <summary>No connection is open (all lost, reconnecting): try again later or give up.</summary>
    NoConnection,

    /// <summary>The client has been disposed.</summary>
    Disposed,
}
