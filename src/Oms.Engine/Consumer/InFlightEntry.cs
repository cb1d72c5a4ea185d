namespace Oms.Engine.Consumer;

/// <summary>One request on the wire, indexed by its request sequence (the transport token).</summary>
/// <remarks>
/// The consumer fills the request half and publishes it by a release write of <see cref="Token"/>; the first transport
/// thread to answer that send (<see cref="TryTakeAnswer"/>) fills the answer half and hands it back through the ring
/// (the ring's publish is the release, the consumer's read of the event the acquire). The consumer alone frees it.
/// </remarks>
internal sealed class InFlightEntry
{
    public const long FreeToken = -1;
    public const int MessageCapacity = 256;
    public const int DiagnosticCapacity = 96;

    public long Token = FreeToken;

    // The send whose answer (or failure) was last taken: a second one for the same send is dropped, so each send hands
    // back at most one completion (what the ring's sizing counts on). A token, not a flag, so a late answer to an
    // earlier send can never use up the current send's turn.
    private long _answeredToken = FreeToken;
    public PendingCancel Cancel;

    // Set for an order-status request instead of a cancel: its answer is copied there, not parsed here.
    public StatusRequest? Status;

    // Set for a batch cancel: its cancels and, once answered, the answer's bytes (parsed here as a single cancel's too).
    public BatchRequest? Batch;
    public InlineAscii RequestId;
    public long SentTicks;

    // The answer, written by the reader.
    public bool HasFailure;
    public Http2StreamFailure Failure;
    public int HttpStatus;
    public bool Truncated;
    public int RetryAfterSeconds;
    public long ServerDateUnixSeconds;
    public CancelResponse Response;
    public bool IdMismatch;
    public long CompletedTicks;
    public readonly byte[] Reason = new byte[64];
    public readonly byte[] Message = new byte[MessageCapacity];
    public readonly byte[] Diagnostic = new byte[DiagnosticCapacity];
    public int DiagnosticLength;

    /// <summary>Consumer thread: makes the entry live for a send with <paramref name="token"/> (release write).</summary>
    public void Publish(long token) => Volatile.Write(ref Token, token);

    /// <summary>Consumer thread: frees the entry for the next send (release write).</summary>
    public void Free() => Volatile.Write(ref Token, FreeToken);

    /// <summary>Transport threads: true for the first answer to the live send <paramref name="token"/>, false for any other.</summary>
    public bool TryTakeAnswer(long token) =>
        Volatile.Read(ref Token) == token && Interlocked.Exchange(ref _answeredToken, token) != token;

    /// <summary>A table of <paramref name="capacity"/> free entries (a power of two: tokens index it by mask).</summary>
    public static InFlightEntry[] NewTable(int capacity)
    {
        var table = new InFlightEntry[capacity];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = new InFlightEntry();
        }

        return table;
    }

    public ReadOnlySpan<byte> MessageSpan => Message.AsSpan(0, Math.Min(Response.MessageBytesCopied, MessageCapacity));

    public ReadOnlySpan<byte> DiagnosticSpan => Diagnostic.AsSpan(0, DiagnosticLength);
}
