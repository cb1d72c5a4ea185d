namespace Oms.Engine.Venues.AscendEx;

/// <summary>What one message received on the private order stream is.</summary>
internal enum OrderStreamMessageKind : byte
{
    /// <summary>Anything else: other channels (position, balance), unknown shapes, malformed JSON.</summary>
    Other = 0,

    /// <summary><c>{"m":"connected","type":"auth"|"unauth"}</c> (older docs write <c>op</c> for <c>m</c>).</summary>
    Connected,

    /// <summary><c>{"m":"sub","id":...,"ch":...,"code":0}</c>: the answer to the subscription; a non-zero <c>code</c> refuses it.</summary>
    SubAck,

    /// <summary><c>{"m":"ping","hp":3}</c>: the server's keep-alive, to be answered with <c>{"op":"pong"}</c>.</summary>
    Ping,

    /// <summary><c>{"m":"pong","code":0,"ts":&lt;server ms&gt;,"hp":2}</c>: the answer to the client's ping.</summary>
    Pong,

    /// <summary>An order's status: v1 <c>{"m":"order","data":{"orderId":...,"st":...}}</c>, v2 <c>{"m":"futures-order","orderId":...,"st":...}</c>.</summary>
    Order,

    /// <summary><c>{"m":"disconnected","code":...}</c>: the server ends the session.</summary>
    Disconnected,
}
