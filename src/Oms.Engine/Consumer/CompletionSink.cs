namespace Oms.Engine.Consumer;

/// <summary>
/// Where the transport's answers arrive: parses each into its in-flight entry, stamps it, and hands its token back to
/// the consumer through the ring. Nothing else happens here; the consumer decides.
/// </summary>
/// <remarks>
/// Runs on transport threads (connection readers, the client's timer), several at once, each on its own entries: an
/// entry belongs to the transport from its send until this hands it back, then to the consumer again. The parser is
/// stateless. An entry is handed back at most once per send, so the ring always has room for it (see
/// <see cref="IConsumerRing.SizeFor"/>): there is no second path.
/// </remarks>
internal sealed class CompletionSink : IHttp2ResponseHandler
{
    private readonly InFlightEntry[] _inFlight;
    private readonly long _mask;
    private readonly CancelResponseParser _parser;
    private readonly IConsumerRing _ring;

    public CompletionSink(InFlightEntry[] inFlight, CancelResponseParser parser, IConsumerRing ring)
    {
        _inFlight = inFlight;
        _mask = inFlight.Length - 1;
        _parser = parser;
        _ring = ring;
    }

    /// <inheritdoc />
    public void OnResponse(long token, in Http2ResponseHead head, ReadOnlySpan<byte> body)
    {
        var status = head.Status;
        var entry = _inFlight[token & _mask];
        if (!entry.TryTakeAnswer(token))
        {
            return;
        }

        if (entry.Status is { } query)
        {
            query.Accept(status, head.IsTruncated, body);
            HandBack(entry, token);
            return;
        }

        entry.Batch?.Keep(body);
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
        entry.IdMismatch = entry.Batch is null && entry.Response.HasEchoedId && entry.Response.EchoedIdLength > 0 && !entry.Response.EchoedIdEquals(entry.RequestId.Span);
        HandBack(entry, token);
    }

    /// <inheritdoc />
    public void OnFailure(long token, Http2StreamFailure failure)
    {
        var entry = _inFlight[token & _mask];
        if (!entry.TryTakeAnswer(token))
        {
            return;
        }

        entry.Status?.Fail();
        entry.HasFailure = true;
        entry.Failure = failure;
        HandBack(entry, token);
    }

    private void HandBack(InFlightEntry entry, long token)
    {
        entry.CompletedTicks = Stopwatch.GetTimestamp();
        _ring.PublishCompletion(token);
    }
}
