namespace Oms.Engine.Venues.AscendEx;

/// <summary>The v2 <c>respInst</c> field: how long the venue waits before it answers a cancel.</summary>
public enum CancelRespInst
{
    /// <summary><c>ACK</c> (the venue's default): answer on receipt; <c>order.status</c> may still read <c>New</c>.</summary>
    Ack = 0,

    /// <summary><c>ACCEPT</c>: answer once the matching engine has accepted the cancel.</summary>
    Accept = 1,

    /// <summary><c>DONE</c>: answer once the cancel is final.</summary>
    Done = 2,
}
