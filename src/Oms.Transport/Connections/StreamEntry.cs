namespace Oms.Transport.Connections;

/// <summary>
/// The part of an open stream's state that several threads touch: who it belongs to and whether it is still open.
/// </summary>
/// <remarks>
/// The consumer (sending) thread fills <see cref="StreamId"/>, <see cref="Token"/> and <see cref="DeadlineTicks"/>
/// of a free entry, then publishes it by a release write of <see cref="State"/> = Open. Whoever completes the stream
/// (the reader on a response, the timer on a timeout, anyone on connection loss) first wins the CAS Open to
/// Completing, reports the outcome once, then frees the entry with a release write. The response being assembled
/// lives in the reader's own <see cref="ResponseAssembly"/>, never here, so the timer and the reader never share a
/// buffer. <see cref="SendWindow"/> is guarded by <see cref="PeerSendLimits.Lock"/>, under which the entry is also
/// published Open.
/// </remarks>
internal struct StreamEntry
{
    public const int Free = 0;
    public const int Open = 1;
    public const int Completing = 2;

    public int State;
    public int StreamId;
    public long Token;
    public long DeadlineTicks;

    /// <summary>The peer's flow-control window for this stream (RFC 9113 section 6.9); may be negative.</summary>
    public FlowControlWindow SendWindow;
}
