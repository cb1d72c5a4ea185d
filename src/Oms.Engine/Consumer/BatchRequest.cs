namespace Oms.Engine.Consumer;

/// <summary>
/// One batch cancel on the wire: its cancels, the request id each was sent with, and the answer's bytes, copied here by
/// the reader thread that took them (the in-flight entry's hand-back through the ring orders that copy before the
/// consumer reads it). The consumer owns it otherwise; a small pool of them is made at start.
/// </summary>
internal sealed class BatchRequest
{
    /// <summary>The longest answer kept: ten orders' entries come to about 2 KiB.</summary>
    public const int BodyCapacity = 16 * 1024;

    public readonly PendingCancel[] Cancels = new PendingCancel[BatchCancel.MaxOrders];
    public readonly InlineAscii[] RequestIds = new InlineAscii[BatchCancel.MaxOrders];
    public readonly byte[] Body = new byte[BodyCapacity];
    public int Count;
    public bool InUse;

    // The answer, written by the reader thread.
    public int BodyLength;
    public bool BodyKept;

    /// <summary>Reader thread: keeps the answer's bytes when they fit.</summary>
    public void Keep(ReadOnlySpan<byte> body)
    {
        BodyKept = body.Length <= Body.Length;
        BodyLength = BodyKept ? body.Length : 0;
        if (BodyKept)
        {
            body.CopyTo(Body);
        }
    }

    public ReadOnlySpan<byte> BodySpan => Body.AsSpan(0, BodyLength);

    /// <summary>The index of the cancel of <paramref name="orderId"/>, or -1.</summary>
    public int IndexOf(ReadOnlySpan<byte> orderId)
    {
        for (var i = 0; i < Count; i++)
        {
            if (Cancels[i].OrderId.Span.SequenceEqual(orderId))
            {
                return i;
            }
        }

        return -1;
    }
}
