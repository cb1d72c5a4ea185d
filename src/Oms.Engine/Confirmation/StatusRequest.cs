namespace Oms.Engine.Confirmation;

/// <summary>
/// One order-status request and its answer: the ids asked, the query that asks them, and the answer's bytes, copied
/// here by the reader thread that took them. Owned by the consumer from send to answer except for that copy, which the
/// in-flight entry's hand-back orders (see <see cref="Consumer.InFlightEntry"/>).
/// </summary>
internal sealed class StatusRequest
{
    public StatusRequest(int maxIds, int maxBody)
    {
        Ids = new OrderId[maxIds];
        Records = new int[maxIds];
        Query = new byte[OrderStatusQuery.MaxQueryLength(maxIds)];
        Body = new byte[maxBody];
    }

    public readonly OrderId[] Ids;

    /// <summary>The tracker's record for each id asked, in the same order.</summary>
    public readonly int[] Records;

    public readonly byte[] Query;

    public readonly byte[] Body;

    public int Count;
    public int QueryLength;
    public bool InUse;
    public long Token;

    // The answer, written by the reader thread.
    public bool Failed;
    public int HttpStatus;
    public int BodyLength;

    public ReadOnlySpan<byte> QuerySpan => Query.AsSpan(0, QueryLength);

    /// <summary>Reader thread: keeps the answer, or marks it failed when it is not whole.</summary>
    public void Accept(int status, bool truncated, ReadOnlySpan<byte> body)
    {
        HttpStatus = status;
        Failed = truncated || body.Length > Body.Length;
        BodyLength = Failed ? 0 : body.Length;
        if (!Failed)
        {
            body.CopyTo(Body);
        }
    }

    /// <summary>Reader thread: no answer came (connection lost, timeout, reset).</summary>
    public void Fail()
    {
        Failed = true;
        BodyLength = 0;
    }
}
