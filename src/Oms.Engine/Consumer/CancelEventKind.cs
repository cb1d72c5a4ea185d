namespace Oms.Engine.Consumer;

/// <summary>What a ring slot carries.</summary>
internal enum CancelEventKind : byte
{
    /// <summary>A strategy's cancel intent.</summary>
    Intent,

    /// <summary>A transport outcome for an in-flight request, handed back to the consumer by a reader thread.</summary>
    Completion,

    /// <summary>The order stream says an order's status changed: <see cref="CancelEvent.OrderId"/>, the status in <see cref="CancelEvent.Tag"/>.</summary>
    StreamStatus,
}
