namespace Oms.Transport.Connections;

/// <summary>
/// The frames that belong to a stream (HEADERS, CONTINUATION, DATA, RST_STREAM): header blocks decoded and bounded,
/// bodies gathered and cut at the limit, answers and failures handed to the <see cref="StreamTable"/>, and the rules
/// of RFC 9113 section 5.1 for frames on streams that are no longer open.
/// </summary>
/// <remarks>The connection's reader thread only, called by <see cref="ResponseReader"/> frame by frame.</remarks>
internal sealed class StreamFrameReader
{
    private readonly Http2ClientOptions _options;
    private readonly TransportCounters _counters;
    private readonly StreamTable _streams;
    private readonly ControlFrameQueue _control;
    private readonly RequestWriter _writer;
    private readonly ConnectionReceiveCredit _credit;
    private readonly ConnectionHealth _health;
    private readonly HPackDecoder _decoder;
    private readonly byte[] _frameScratch;
    private readonly ReceiveWindow _newStreamReceiveWindow;
    private readonly HttpDateHeader _dateHeader = new();
    private readonly long _headerBlockTimeoutTicks;

    // A header block spanning HEADERS and CONTINUATION: the stream it belongs to, 0 when none is open; its frames and
    // octets so far (when it began is in the health record, which the timer watches).
    private int _continuationStreamId;
    private bool _continuationEndsStream;
    private int _headerBlockFrames;
    private int _headerBlockOctets;
    private ResponseHeaderCapture _headerCapture;

    public StreamFrameReader(
        Http2ClientOptions options,
        TransportCounters counters,
        StreamTable streams,
        ControlFrameQueue control,
        RequestWriter writer,
        ConnectionReceiveCredit credit,
        ConnectionHealth health,
        ConnectionBuffers buffers)
    {
        _options = options;
        _counters = counters;
        _streams = streams;
        _control = control;
        _writer = writer;
        _credit = credit;
        _health = health;
        _decoder = buffers.Decoder;
        _frameScratch = buffers.FrameScratch;
        _headerBlockTimeoutTicks = (long)(options.HeaderBlockTimeout.TotalSeconds * Stopwatch.Frequency);
        _newStreamReceiveWindow = options.HoldReceiveCreditUntilExhausted
            ? new ReceiveWindow(options.StreamReceiveWindow, options.StreamReceiveWindow)
            : new ReceiveWindow(options.StreamReceiveWindow);
    }

    /// <summary>True inside a header block: only its CONTINUATION frames may come (RFC 9113 section 6.10).</summary>
    public bool InHeaderBlock => _continuationStreamId != 0;

    /// <summary>When the bytes being handled were read: one clock read per read, not per answer.</summary>
    public long ReadTicks { get; set; }

    public void OnData(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        var data = Http2FrameReader.ReadData(header, payload);
        CheckStreamIdIsOurs(header.StreamId);

        // Flow control counts the whole payload, padding included (RFC 9113 section 6.9.1).
        if (!_credit.TryReceive(header.PayloadLength))
        {
            throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, "The server overran the connection window.");
        }

        // The credit goes back at once for what is consumed or discarded here, and only when its stream ends for what
        // is buffered: the connection window then bounds what the server can make us hold.
        var buffered = false;
        try
        {
            buffered = OnStreamData(header, data);
        }
        finally
        {
            if (!buffered)
            {
                _streams.ReleaseConnectionCredit(header.PayloadLength);
            }
        }
    }

    /// <summary>A DATA payload for its stream; true when its connection credit now belongs to the stream's buffered body.</summary>
    private bool OnStreamData(Http2FrameHeader header, ReadOnlySequence<byte> data)
    {
        var response = _streams.ActiveResponse(header.StreamId, _newStreamReceiveWindow, out var entryIndex);
        if (response is null)
        {
            // A stream we closed ourselves (timeout, reset): its data only matters to the connection window.
            ThrowIfClosedByPeer(header.StreamId);
            return false;
        }

        if (!response.Window.TryReceive(header.PayloadLength))
        {
            throw new Http2StreamException(header.StreamId, Http2ErrorCode.FlowControlError, "The server overran a stream window.");
        }

        if (!response.HeadersComplete)
        {
            throw new Http2StreamException(header.StreamId, Http2ErrorCode.ProtocolError, "DATA before the response headers.");
        }

        var endStream = header.HasFlags(Http2FrameFlags.EndStream);
        if (endStream && response.BodyLength == 0)
        {
            // The common case, one DATA frame: hand its bytes straight to the handler, no copy; when the frame
            // straddles two of the pipe's segments, join it in the connection's one frame-sized scratch buffer, not in a
            // buffer of the stream's own (each of thousands of entries would otherwise rent one the first time it happens).
            if (data.IsSingleSegment)
            {
                Complete(entryIndex, response, data.FirstSpan);
            }
            else
            {
                data.CopyTo(_frameScratch);
                Complete(entryIndex, response, _frameScratch.AsSpan(0, (int)data.Length));
            }

            return false;
        }

        var fits = response.TryAppend(data, _options.MaxResponseBodySize);
        response.HoldCredit(header.PayloadLength);
        if (!fits)
        {
            CompleteTruncated(entryIndex, response);
        }
        else if (endStream)
        {
            Complete(entryIndex, response, response.Body);
        }
        else if (!_streams.IsOpenStream(entryIndex, header.StreamId))
        {
            // The timer ended the stream between the check above and the credit being held: nobody else will return it.
            _streams.ReleaseCredit(response);
            response.End();
        }
        else if (response.Window.TryTakeUpdate(out var streamCredit))
        {
            _control.Enqueue(ControlFrame.WindowUpdate(header.StreamId, streamCredit));
        }

        return true;
    }

    /// <summary>
    /// A body past the limit: the handler gets its first octets as a truncated response, the stream is reset with
    /// CANCEL, and whatever the server still sends on it is discarded (its credit returned).
    /// </summary>
    private void CompleteTruncated(int entryIndex, ResponseAssembly response)
    {
        var streamId = response.StreamId;
        _counters.OnResponseTooLarge();
        var head = new Http2ResponseHead(response.Status, response.RetryAfterSeconds, response.ServerDateUnixSeconds, isTruncated: true);
        if (_streams.TryRespond(entryIndex, head, response.Body))
        {
            OnResponseServed();
        }

        _control.Enqueue(ControlFrame.Reset(streamId, Http2ErrorCode.Cancel));
        response.RecordClosure(streamId, StreamClosure.ResetSent);
        _streams.ReleaseCredit(response);
        response.End();
    }

    public void OnHeaders(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        var block = Http2FrameReader.ReadHeaders(header, payload);
        CheckStreamIdIsOurs(header.StreamId);
        if (_streams.ClosureOf(header.StreamId) == StreamClosure.EndStreamReceived)
        {
            // Nothing to keep the HPACK context for: the connection ends here.
            ThrowIfClosedByPeer(header.StreamId);
        }

        _headerCapture = new ResponseHeaderCapture { RetryAfterSeconds = Http2ResponseHead.NoRetryAfter, ServerDate = Http2ResponseHead.NoServerDate, DateHeader = _dateHeader };
        _continuationEndsStream = header.HasFlags(Http2FrameFlags.EndStream);
        var endHeaders = header.HasFlags(Http2FrameFlags.EndHeaders);
        _headerBlockFrames = 1;
        _headerBlockOctets = (int)block.Length;
        Decode(block, endHeaders);
        if (endHeaders)
        {
            OnHeaderBlockComplete(header.StreamId);
        }
        else
        {
            _continuationStreamId = header.StreamId;
            _health.OnHeaderBlock(Stopwatch.GetTimestamp());
        }
    }

    public void OnContinuation(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        var block = Http2FrameReader.ReadContinuation(header, payload);
        if (header.StreamId != _continuationStreamId)
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "CONTINUATION without a header block to continue.");
        }

        // A header block is bounded in frames, octets and time (the timer checks the time while we wait for frames):
        // endless CONTINUATION frames, empty or not, would otherwise hold the connection for ever.
        _headerBlockFrames++;
        _headerBlockOctets += (int)block.Length;
        if (_headerBlockFrames > _options.MaxHeaderBlockFrames || _headerBlockOctets > _options.MaxResponseHeaderListSize
            || Stopwatch.GetTimestamp() - _health.HeaderBlockStartedTicks > _headerBlockTimeoutTicks)
        {
            throw new Http2ConnectionException(
                Http2ErrorCode.EnhanceYourCalm, $"A header block past its bounds ({_headerBlockFrames} frames, {_headerBlockOctets} octets).");
        }

        var endHeaders = header.HasFlags(Http2FrameFlags.EndHeaders);
        Decode(block, endHeaders);
        if (endHeaders)
        {
            _continuationStreamId = 0;
            _health.OnHeaderBlock(0);
            OnHeaderBlockComplete(header.StreamId);
        }
    }

    private void Decode(ReadOnlySequence<byte> block, bool endHeaders)
    {
        // Every header block is decoded, even for streams we no longer track: the dynamic table must stay in step.
        if (block.IsSingleSegment)
        {
            _decoder.Decode(block.FirstSpan, endHeaders, ref _headerCapture);
            return;
        }

        var position = block.Start;
        while (block.TryGet(ref position, out var segment))
        {
            _decoder.Decode(segment.Span, endHeaders && position.Equals(block.End), ref _headerCapture);
        }
    }

    private void OnHeaderBlockComplete(int streamId)
    {
        var response = _streams.ActiveResponse(streamId, _newStreamReceiveWindow, out var entryIndex);
        if (response is null)
        {
            // Decoded all the same, so the HPACK context stays in step with the peer's.
            ThrowIfClosedByPeer(streamId);
            return;
        }

        if (_headerCapture.Malformed is { } malformed)
        {
            throw new Http2StreamException(streamId, Http2ErrorCode.ProtocolError, malformed);
        }

        if (response.HeadersComplete && _headerCapture.SawPseudoHeader)
        {
            // RFC 9113 section 8.1: trailers carry no pseudo-header fields.
            throw new Http2StreamException(streamId, Http2ErrorCode.ProtocolError, "A pseudo-header field in trailers.");
        }

        if (!response.HeadersComplete)
        {
            if (_headerCapture.Status is >= 100 and < 200)
            {
                // An interim response (RFC 9113 section 8.1): the final one follows, so an interim one cannot end the stream.
                if (_continuationEndsStream)
                {
                    throw new Http2StreamException(streamId, Http2ErrorCode.ProtocolError, "An interim (1xx) response with END_STREAM.");
                }

                return;
            }

            if (_headerCapture.Status == 0)
            {
                throw new Http2StreamException(streamId, Http2ErrorCode.ProtocolError, "A response without :status.");
            }

            response.Status = _headerCapture.Status;
            response.RetryAfterSeconds = _headerCapture.RetryAfterSeconds;
            response.ServerDateUnixSeconds = _headerCapture.ServerDate;
            response.HeadersComplete = true;
        }

        // A second header block is trailers; either way END_STREAM on it ends the response.
        if (_continuationEndsStream)
        {
            Complete(entryIndex, response, response.Body);
        }
    }

    public void OnRstStream(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        var code = Http2ControlFrameReader.ReadRstStream(header, payload);
        CheckStreamIdIsOurs(header.StreamId);
        _counters.OnResetReceived();

        // REFUSED_STREAM promises the request was not processed (RFC 9113 section 8.7).
        FailStream(header.StreamId, code == Http2ErrorCode.RefusedStream ? Http2StreamFailure.NotProcessed : Http2StreamFailure.Reset, StreamClosure.ResetReceived);
    }

    public void CheckStreamIdIsOurs(int streamId)
    {
        // Servers may not open streams here (push is off), and may not speak on streams we never opened.
        if ((streamId & 1) == 0 || streamId >= _writer.NextStreamId)
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, $"Frame on stream {streamId}, which the client never opened.");
        }
    }

    private void Complete(int entryIndex, ResponseAssembly response, ReadOnlySpan<byte> body)
    {
        var head = new Http2ResponseHead(response.Status, response.RetryAfterSeconds, response.ServerDateUnixSeconds);
        if (_streams.TryRespond(entryIndex, head, body))
        {
            OnResponseServed();
        }

        // The peer ended the stream even when a timeout won the race to report it.
        response.RecordClosure(response.StreamId, StreamClosure.EndStreamReceived);
        _streams.ReleaseCredit(response);
        response.End();
    }

    /// <summary>A response reached the handler: the connection answers, whatever timed out before.</summary>
    private void OnResponseServed()
    {
        _health.OnResponse(ReadTicks);
    }

    /// <summary>Fails an open stream and remembers how it closed (a reset we sent is remembered even if it was not open).</summary>
    public void FailStream(int streamId, Http2StreamFailure failure, StreamClosure closure)
    {
        var entryIndex = _streams.IndexOf(streamId);
        var response = _streams.ResponseAt(entryIndex);
        var wasOpen = _streams.IsOpenStream(entryIndex, streamId);
        if (wasOpen)
        {
            _streams.TryFail(entryIndex, failure);
            _streams.ReleaseCredit(response);
            response.End();
        }

        if (wasOpen || closure == StreamClosure.ResetSent)
        {
            response.RecordClosure(streamId, closure);
        }
    }

    /// <summary>
    /// A frame on a stream that is no longer open: what RFC 9113 section 5.1 says about the "closed" state.
    /// </summary>
    /// <exception cref="Http2ConnectionException">STREAM_CLOSED when the peer had ended the stream with END_STREAM.</exception>
    /// <exception cref="Http2StreamException">STREAM_CLOSED when the peer had reset the stream.</exception>
    public void ThrowIfClosedByPeer(int streamId)
    {
        switch (_streams.ClosureOf(streamId))
        {
            case StreamClosure.EndStreamReceived:
                throw new Http2ConnectionException(Http2ErrorCode.StreamClosed, $"Frame on stream {streamId} after its END_STREAM.");
            case StreamClosure.ResetReceived:
                throw new Http2StreamException(streamId, Http2ErrorCode.StreamClosed, $"Frame on stream {streamId} after its RST_STREAM.");
            default:
                // Closed by our own RST_STREAM (timeout, stream error), or too long ago to remember: frames the peer
                // sent before it saw the reset are ignored.
                break;
        }
    }
}
