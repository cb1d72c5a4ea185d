using Oms.Engine.Protocol;
using Oms.Transport.Client;

namespace Oms.Engine.Consumer;

/// <summary>One request on the wire, indexed by its request sequence (the transport token).</summary>
/// <remarks>
/// The consumer fills the request half and publishes it by a release write of <see cref="Token"/>; a reader thread
/// fills the answer half and hands it back through the ring (the ring's publish is the release, the consumer's read
/// of the event the acquire). The consumer alone frees the entry.
/// </remarks>
internal sealed class InFlightEntry
{
    public const long FreeToken = -1;
    public const int MessageCapacity = 256;
    public const int DiagnosticCapacity = 96;

    public long Token = FreeToken;
    public PendingCancel Cancel;
    public readonly byte[] RequestId = new byte[RequestIdGenerator.Length];
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

    public ReadOnlySpan<byte> MessageSpan => Message.AsSpan(0, Math.Min(Response.MessageBytesCopied, MessageCapacity));

    public ReadOnlySpan<byte> DiagnosticSpan => Diagnostic.AsSpan(0, DiagnosticLength);
}
