using Oms.Engine.Signing;

namespace Oms.Engine.Consumer;

/// <summary>
/// Puts cancels on the wire: picks each request's in-flight entry, gives it a request id, signs it, writes its body,
/// hands it to the transport, and at the batch's end flushes and stamps tick-to-wire. Consumer thread only.
/// </summary>
internal sealed class RequestDispatch : IDisposable
{
    // In-flight entries looked at past a busy one before giving up for this batch. The table holds at least 1,024 and
    // at least twice the streams the transport can have open, so a busy entry is rare and a run of them shorter still.
    private const int MaxInFlightProbes = 64;

    private readonly InFlightEntry[] _inFlight;
    private readonly long _inFlightMask;
    private readonly RequestIdGenerator _ids = new();
    private readonly CancelSigner _signer;
    private readonly CancelRequestWriter _writer;
    private readonly Http2RequestTemplate _template;
    private readonly SymbolTable _symbols;
    private readonly EngineCounters _counters;
    private readonly byte[] _timestamp = new byte[CancelSigner.TimestampLength];
    private readonly InFlightEntry?[] _sentThisBatch;
    private int _sentThisBatchCount;
    private readonly IHttp2RequestSender _sender;
    private readonly CancelSigner _statusSigner;
    private readonly Http2RequestTemplate _statusTemplate;
    private bool _sentQuery;
    private readonly CancelSigner _batchSigner;
    private readonly Http2RequestTemplate _batchTemplate;
    private readonly BatchCancelWriter _batchWriter;

    public RequestDispatch(
        CancelEngineSettings settings, ApiCredentials credentials, SymbolTable symbols, EngineCounters counters, InFlightEntry[] inFlight, IHttp2RequestSender sender)
    {
        var profile = settings.Profile;
        _signer = new CancelSigner(credentials, profile.PrehashPath);
        _writer = new CancelRequestWriter(profile);
        _template = profile.CreateTemplate(settings.AccountGroup, credentials.ApiKey);
        _statusSigner = new CancelSigner(credentials, OrderStatusQuery.Prehash(profile));
        _statusTemplate = OrderStatusQuery.CreateTemplate(profile, settings.AccountGroup, credentials.ApiKey);
        _batchSigner = new CancelSigner(credentials, BatchCancel.Prehash(profile));
        _batchTemplate = BatchCancel.CreateTemplate(profile, settings.AccountGroup, credentials.ApiKey);
        _batchWriter = new BatchCancelWriter(profile);
        _symbols = symbols;
        _counters = counters;
        _sender = sender;
        _inFlight = inFlight;
        _inFlightMask = inFlight.Length - 1;
        _sentThisBatch = new InFlightEntry?[inFlight.Length];
        TickToWire = new LatencyHistogram();
        TickToWireOwn = new LatencyHistogram();
        VenueWait = new LatencyHistogram();
    }

    /// <summary>What the transport said the last time a send was refused.</summary>
    public Http2SendResult LastRefusal { get; private set; }

    /// <summary>
    /// The engine's own part of each first send's tick-to-wire: publish to the moment the request could be written,
    /// without the time it waited for the venue's capacity.
    /// </summary>
    public LatencyHistogram TickToWireOwn { get; }

    /// <summary>How long each first send that had to wait waited for the venue's capacity (only those that waited).</summary>
    public LatencyHistogram VenueWait { get; }

    /// <summary>Every in-flight entry, indexed by token modulo their count.</summary>
    public InFlightEntry[] Entries => _inFlight;

    /// <summary>Tick-to-wire (publish to socket write) of each cancel's first send.</summary>
    public LatencyHistogram TickToWire { get; }

    public long HmacComputations => _signer.ComputationCount;

    /// <summary>The entry a transport token belongs to (whether or not it is still that token's).</summary>
    public InFlightEntry EntryOf(long token) => _inFlight[token & _inFlightMask];

    /// <summary>
    /// The in-flight entry of the next request id, skipping ids whose entry is still taken: a stream that stays
    /// unanswered until its timeout must not hold up every send once the sequence has gone round the table. Null only
    /// when a bounded look-ahead finds every entry busy (far more requests in flight than the transport allows).
    /// </summary>
    public InFlightEntry? NextFreeEntry()
    {
        for (var probe = 0; probe < MaxInFlightProbes; probe++)
        {
            var entry = _inFlight[_ids.NextSequence & _inFlightMask];
            if (Volatile.Read(ref entry.Token) == InFlightEntry.FreeToken)
            {
                return entry;
            }

            _ids.Skip();
        }

        return null;
    }

    /// <summary>Signs, writes and sends <paramref name="pending"/> in <paramref name="entry"/>; false when the transport has no room.</summary>
    public bool TrySend(InFlightEntry entry, in PendingCancel pending)
    {
        _ids.TryWriteNext(entry.RequestId.Reset(RequestIdGenerator.Length), out var sequence);
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        CancelSigner.TryWriteTimestamp(nowMs, _timestamp, out _);
        var signature = _signer.GetSignature(nowMs);
        var body = _writer.Write(entry.RequestId.Span, PendingCancel.IdOf(in pending), _symbols[pending.SymbolIndex], nowMs);

        // The entry goes live before the transport knows the token: once TrySend has registered the stream, a reader
        // thread may fail it (connection lost) before TrySend even returns, and that outcome must find the entry.
        entry.Cancel = pending;
        entry.Cancel.Attempt++;
        entry.HasFailure = false;
        entry.SentTicks = 0;
        entry.Publish(sequence);
        if ((LastRefusal = _sender.TrySend(_template, _timestamp, signature, body, sequence)) != Http2SendResult.Sent)
        {
            // The request id is spent (ids are never reused); the cancel waits for capacity.
            entry.Free();
            return false;
        }

        _sentThisBatch[_sentThisBatchCount++] = entry;
        return true;
    }

    /// <summary>
    /// Signs and sends the cancels of <paramref name="batch"/> as one batch cancel in <paramref name="entry"/>, each with
    /// a request id of its own; false when the transport has no room (the ids are spent, as for a single cancel).
    /// </summary>
    public bool TrySendBatch(InFlightEntry entry, BatchRequest batch)
    {
        _ids.TryWriteNext(entry.RequestId.Reset(RequestIdGenerator.Length), out var sequence);
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        _batchWriter.Begin();
        for (var i = 0; i < batch.Count; i++)
        {
            ref var cancel = ref batch.Cancels[i];
            _ids.TryWriteNext(batch.RequestIds[i].Reset(RequestIdGenerator.Length), out _);
            _batchWriter.Add(batch.RequestIds[i].Span, PendingCancel.IdOf(in cancel), _symbols[cancel.SymbolIndex], nowMs);
            cancel.Attempt++;
        }

        var body = _batchWriter.End();
        CancelSigner.TryWriteTimestamp(nowMs, _timestamp, out _);
        var signature = _batchSigner.GetSignature(nowMs);
        entry.Batch = batch;
        entry.HasFailure = false;
        entry.SentTicks = 0;
        entry.Publish(sequence);
        if ((LastRefusal = _sender.TrySend(_batchTemplate, _timestamp, signature, body, sequence)) != Http2SendResult.Sent)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                batch.Cancels[i].Attempt--;
            }

            entry.Batch = null;
            entry.Free();
            return false;
        }

        _sentThisBatch[_sentThisBatchCount++] = entry;
        return true;
    }

    /// <summary>Signs and sends an order-status query in <paramref name="entry"/>; false when the transport has no room.</summary>
    public bool TrySendStatus(InFlightEntry entry, StatusRequest request)
    {
        _ids.TryWriteNext(entry.RequestId.Reset(RequestIdGenerator.Length), out var sequence);
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        CancelSigner.TryWriteTimestamp(nowMs, _timestamp, out _);
        var signature = _statusSigner.GetSignature(nowMs);
        entry.Status = request;
        entry.HasFailure = false;
        entry.SentTicks = 0;
        request.Token = sequence;
        entry.Publish(sequence);
        if (_sender.TrySend(_statusTemplate, request.QuerySpan, _timestamp, signature, [], sequence) != Http2SendResult.Sent)
        {
            entry.Status = null;
            entry.Free();
            return false;
        }

        _sentQuery = true;
        return true;
    }

    /// <summary>
    /// The batch's end: hands what was sent to the socket and stamps it (tick-to-wire ends here, the round trip
    /// starts here), then keeps the next millisecond's signature ready.
    /// </summary>
    public void Flush()
    {
        if (_sentThisBatchCount > 0)
        {
            var wire = Stopwatch.GetTimestamp();
            _sender.Flush();
            for (var i = 0; i < _sentThisBatchCount; i++)
            {
                var entry = _sentThisBatch[i]!;
                entry.SentTicks = wire;
                if (entry.Batch is { } batch)
                {
                    for (var c = 0; c < batch.Count; c++)
                    {
                        RecordFirstSend(in batch.Cancels[c], wire);
                    }
                }
                else
                {
                    RecordFirstSend(in entry.Cancel, wire);
                }

                _sentThisBatch[i] = null;
            }

            _sentThisBatchCount = 0;
        }
        else if (_sentQuery)
        {
            _sender.Flush();
        }

        _sentQuery = false;

        _signer.PrepareAhead(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1);
    }

    private void RecordFirstSend(in PendingCancel cancel, long wire)
    {
        if (cancel.Attempt == 1)
        {
            var ticks = wire - cancel.PublishTicks;
            TickToWire.RecordStopwatchTicks(ticks);
            _counters.RecordTickToWire(ticks * 1_000_000.0 / Stopwatch.Frequency);

            // The wait ends when the send that took it was attempted; what follows (signing, framing, the flush) is
            // the engine's again.
            var waited = cancel.QueuedTicks == 0 ? 0 : Math.Clamp(cancel.ReleasedTicks - cancel.QueuedTicks, 0, Math.Max(0, ticks));
            TickToWireOwn.RecordStopwatchTicks(ticks - waited);
            _counters.RecordTickToWireOwn((ticks - waited) * 1_000_000.0 / Stopwatch.Frequency);
            if (waited > 0)
            {
                VenueWait.RecordStopwatchTicks(waited);
                _counters.RecordVenueWait(waited * 1_000_000.0 / Stopwatch.Frequency);
            }
        }
    }

    public void Dispose()
    {
        _batchSigner.Dispose();
        _batchWriter.Dispose();
        _signer.Dispose();
        _statusSigner.Dispose();
        _writer.Dispose();
    }
}
