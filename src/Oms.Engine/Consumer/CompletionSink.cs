using System.Collections.Concurrent;
using System.Diagnostics;
using Oms.Engine.Protocol;
using Oms.Transport.Client;

namespace Oms.Engine.Consumer;

/// <summary>
/// Where the transport's answers arrive: parses each into its in-flight entry, stamps it, and hands its token back to
/// the consumer through the ring. Nothing else happens here; the consumer decides.
/// </summary>
/// <remarks>
/// Runs on transport threads (connection readers, the client's timer), several at once, each on its own entries: an
/// entry belongs to the transport from its send until this hands it back, then to the consumer again. The parser is
/// stateless. When the ring is full of intents, tokens wait in an overflow queue the consumer drains at the start of
/// every batch (issue #13's second move gives completions a path of their own).
/// </remarks>
internal sealed class CompletionSink : IHttp2ResponseHandler
{
    private readonly InFlightEntry[] _inFlight;
    private readonly long _mask;
    private readonly CancelResponseParser _parser;
    private readonly ConcurrentQueue<long> _overflow;
    private IConsumerRing _ring = null!;

    public CompletionSink(InFlightEntry[] inFlight, CancelResponseParser parser, ConcurrentQueue<long> overflow)
    {
        _inFlight = inFlight;
        _mask = inFlight.Length - 1;
        _parser = parser;
        _overflow = overflow;
    }

    /// <summary>Wires the ring the tokens go back through, built around the consumer after this.</summary>
    public void Attach(IConsumerRing ring) => _ring = ring;

    /// <inheritdoc />
    public void OnResponse(long token, in Http2ResponseHead head, ReadOnlySpan<byte> body)
    {
        var status = head.Status;
        var entry = _inFlight[token & _mask];
        if (Volatile.Read(ref entry.Token) != token)
        {
            return;
        }

        entry.HasFailure = false;
        entry.HttpStatus = status;
        entry.Truncated = head.IsTruncated;
        entry.RetryAfterSeconds = head.RetryAfterSeconds;
        entry.ServerDateUnixSeconds = head.ServerDateUnixSeconds;
        if (head.IsTruncated)
        {
            // Past the transport's body limit: never parsed (a whole-looking prefix must not pass for an answer); its
            // first bytes are the detail.
            entry.Response = default;
        }
        else
        {
            entry.Response = _parser.Parse(body, entry.Reason, entry.Message, entry.Diagnostic);
            entry.DiagnosticLength = entry.Response.DiagnosticBytesCopied;
        }

        if (status != 200 || head.IsTruncated)
        {
            entry.DiagnosticLength = Math.Min(body.Length, entry.Diagnostic.Length);
            body[..entry.DiagnosticLength].CopyTo(entry.Diagnostic);
        }

        // Correlation is by stream; the echoed id is a check on the venue, counted when it fails.
        entry.IdMismatch = entry.Response.HasEchoedId && entry.Response.EchoedIdLength > 0 && !entry.Response.EchoedIdEquals(entry.RequestId);
        HandBack(entry, token);
    }

    /// <inheritdoc />
    public void OnFailure(long token, Http2StreamFailure failure)
    {
        var entry = _inFlight[token & _mask];
        if (Volatile.Read(ref entry.Token) != token)
        {
            return;
        }

        entry.HasFailure = true;
        entry.Failure = failure;
        HandBack(entry, token);
    }

    private void HandBack(InFlightEntry entry, long token)
    {
        entry.CompletedTicks = Stopwatch.GetTimestamp();
        if (!_ring.TryPublishCompletion(token))
        {
            // The ring is full of intents: the consumer drains this queue at the start of every batch.
            _overflow.Enqueue(token);
        }
    }
}
