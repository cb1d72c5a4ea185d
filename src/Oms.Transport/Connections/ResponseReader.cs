using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using Oms.Transport.Client;
using Oms.Transport.Diagnostics;
using Oms.Transport.FlowControl;
using Oms.Transport.HPack;
using Oms.Transport.Http2;

namespace Oms.Transport.Connections;

/// <summary>
/// A connection's read side: the loop that sleeps in a blocking socket read, then handles every whole frame that
/// arrived: answers completed, flow control and settings taken in, control frames owed queued.
/// </summary>
/// <remarks>
/// Runs on the connection's own reader thread, which owns everything here: the HPACK decoder, the header block being
/// read, every <see cref="ResponseAssembly"/>. What others need from it goes through the shared types: the stream table,
/// the peer limits, the control queue, the health record.
/// </remarks>
internal sealed class ResponseReader
{
    /// <summary>How long a connection error waits for the write side to get its GOAWAY out before the close.</summary>
    public static readonly TimeSpan GoAwayWait = TimeSpan.FromSeconds(1);

    // We never raise SETTINGS_MAX_FRAME_SIZE, so the peer must respect the default (RFC 9113 section 4.2).
    private const uint OurMaxFrameSize = Http2PeerSettings.DefaultMaxFrameSize;

    // What one blocking read asks the pipe for: a few full-sized frames, or many small answers at once.
    private const int ReadSize = 16 * 1024;

    private readonly Http2ClientOptions _options;
    private readonly TransportCounters _counters;
    private readonly Stream _stream;
    private readonly ConnectionState _state;
    private readonly StreamTable _streams;
    private readonly PeerSendLimits _limits;
    private readonly ControlFrameQueue _control;
    private readonly RequestWriter _writer;
    private readonly ConnectionReceiveCredit _credit;
    private readonly ConnectionHealth _health;
    private readonly Action<Http2StreamFailure> _onEnded;
    private readonly long _connectPingOpaque;
    private readonly long _headerBlockTimeoutTicks;
    private readonly Pipe _inbound = new(InlinePipes.Options);
    private readonly HPackDecoder _decoder;
    private readonly byte[] _frameScratch;
    private readonly Http2PeerSettings _peerSettings = new();
    private readonly ReceiveWindow _newStreamReceiveWindow;
    private readonly HttpDateHeader _dateHeader = new();
    private readonly TaskCompletionSource _settingsReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _connectPingAcked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _sawPeerSettings;

    // A header block spanning HEADERS and CONTINUATION: the stream it belongs to, 0 when none is open; its frames and
    // octets so far (when it began is in the health record, which the timer watches).
    private int _continuationStreamId;
    private bool _continuationEndsStream;
    private int _headerBlockFrames;
    private int _headerBlockOctets;
    private ResponseHeaderCapture _headerCapture;

    // When the bytes being handled were read: one clock read per read, not per response.
    private long _readTicks;

    public ResponseReader(
        Http2ClientOptions options,
        TransportCounters counters,
        Stream stream,
        ConnectionState state,
        StreamTable streams,
        PeerSendLimits limits,
        ControlFrameQueue control,
        RequestWriter writer,
        ConnectionReceiveCredit credit,
        ConnectionHealth health,
        ConnectionBuffers buffers,
        long connectPingOpaque,
        Action<Http2StreamFailure> onEnded)
    {
        _options = options;
        _counters = counters;
        _stream = stream;
        _state = state;
        _streams = streams;
        _limits = limits;
        _control = control;
        _writer = writer;
        _credit = credit;
        _health = health;
        _connectPingOpaque = connectPingOpaque;
        _onEnded = onEnded;
        _decoder = buffers.Decoder;
        _frameScratch = buffers.FrameScratch;
        _headerBlockTimeoutTicks = (long)(options.HeaderBlockTimeout.TotalSeconds * Stopwatch.Frequency);
        _newStreamReceiveWindow = options.HoldReceiveCreditUntilExhausted
            ? new ReceiveWindow(options.StreamReceiveWindow, options.StreamReceiveWindow)
            : new ReceiveWindow(options.StreamReceiveWindow);
    }

    /// <summary>Completes when the server's first SETTINGS has been applied; faults if the connection closes first.</summary>
    public Task SettingsReceived => _settingsReceived.Task;

    /// <summary>Completes when the PING sent with the preface is answered.</summary>
    public Task ConnectPingAcked => _connectPingAcked.Task;

    /// <summary>Completes when <see cref="Run"/> has returned.</summary>
    public Task Ended => _ended.Task;

    /// <summary>The connection closed: a connect still waiting for SETTINGS learns it now.</summary>
    public void OnConnectionClosed()
    {
        if (_settingsReceived.TrySetException(new Http2ConnectException("the connection closed before the server's SETTINGS arrived")))
        {
            // Nobody awaits it when connecting failed earlier or timed out: mark the fault observed so the finalizer
            // does not raise TaskScheduler.UnobservedTaskException for it.
            _ = _settingsReceived.Task.Exception;
        }
    }

    /// <summary>
    /// The reader thread: blocks in the socket (or TLS) read, moves what arrived through the inbound pipe, and handles
    /// every whole frame in it, all on this one thread.
    /// </summary>
    public void Run()
    {
        var reason = Http2StreamFailure.ConnectionLost;
        var writer = _inbound.Writer;
        var reader = _inbound.Reader;
        var stream = _stream;
        try
        {
            while (true)
            {
                var received = stream.Read(writer.GetSpan(ReadSize));
                if (received == 0)
                {
                    break;
                }

                _readTicks = Stopwatch.GetTimestamp();

                writer.Advance(received);
                InlinePipes.CompleteInline(writer.FlushAsync());
                if (!reader.TryRead(out var result))
                {
                    continue;
                }

                var buffer = result.Buffer;
                var before = buffer.Length;
                try
                {
                    while (Http2FrameReader.TryReadFrame(ref buffer, OurMaxFrameSize, out var header, out var payload))
                    {
                        _counters.OnFrameReceived();
                        OnFrame(header, payload);
                    }

                    if (_control.Backlog > ControlFrameQueue.MaxBacklog)
                    {
                        throw new Http2ConnectionException(Http2ErrorCode.EnhanceYourCalm, "The peer made us owe more control frames than it reads.");
                    }
                }
                finally
                {
                    _counters.OnBytesReceived(before - buffer.Length);
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }

                _streams.SweepIfMarked();

                _writer.DrainControlIfPending();
            }
        }
        catch (Http2ConnectionException e)
        {
            reason = ProtocolViolation(e.ErrorCode);
        }
        catch (HPackDecodingException)
        {
            reason = ProtocolViolation(Http2ErrorCode.CompressionError);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            reason = Http2StreamFailure.ConnectionLost;
        }
        finally
        {
            _onEnded(reason);
            reader.Complete();
            writer.Complete();
            _ended.TrySetResult();
        }
    }

    /// <summary>The peer broke the protocol: tell it why with GOAWAY (RFC 9113 section 5.4.1), then close.</summary>
    private Http2StreamFailure ProtocolViolation(Http2ErrorCode code)
    {
        _counters.OnProtocolError();
        _control.Enqueue(ControlFrame.GoAway(code));
        _writer.WriteControlBeforeClose(GoAwayWait);
        return Http2StreamFailure.ProtocolError;
    }

    private void OnFrame(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        if (!_sawPeerSettings && header.Type != Http2FrameType.Settings)
        {
            // RFC 9113 section 3.4: the server's preface is a SETTINGS frame.
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "The server's first frame was not SETTINGS.");
        }

        if (_continuationStreamId != 0 && header.Type != Http2FrameType.Continuation)
        {
            // RFC 9113 section 6.10: nothing may interleave with a header block.
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, $"{header.Type} frame inside a header block.");
        }

        try
        {
            switch (header.Type)
            {
                case Http2FrameType.Data:
                    OnData(header, payload);
                    break;
                case Http2FrameType.Headers:
                    OnHeaders(header, payload);
                    break;
                case Http2FrameType.Continuation:
                    OnContinuation(header, payload);
                    break;
                case Http2FrameType.Settings:
                    OnSettings(header, payload);
                    break;
                case Http2FrameType.Ping:
                    OnPing(header, payload);
                    break;
                case Http2FrameType.GoAway:
                    OnGoAway(header, payload);
                    break;
                case Http2FrameType.WindowUpdate:
                    OnWindowUpdate(header, payload);
                    break;
                case Http2FrameType.RstStream:
                    OnRstStream(header, payload);
                    break;
                case Http2FrameType.Priority:
                    Http2FrameReader.ValidatePriority(header);
                    break;
                case Http2FrameType.PushPromise:
                    // We sent ENABLE_PUSH = 0 (RFC 9113 section 8.4).
                    throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "PUSH_PROMISE although push is disabled.");
                default:
                    // RFC 9113 section 4.1: unknown frame types are ignored.
                    break;
            }
        }
        catch (Http2StreamException e)
        {
            // RFC 9113 section 5.4.2: a stream error resets that stream only; what the peer sent on it before seeing
            // the reset is then ignored.
            _control.Enqueue(ControlFrame.Reset(e.StreamId, e.ErrorCode));
            FailStream(e.StreamId, Http2StreamFailure.ProtocolError, StreamClosure.ResetSent);
        }
    }

    private void OnData(Http2FrameHeader header, ReadOnlySequence<byte> payload)
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
        var response = _streams.ActiveResponse(header.StreamId, _newStreamReceiveWindow, out var slotIndex);
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
            // buffer of the stream's own (each of thousands of slots would otherwise rent one the first time it happens).
            if (data.IsSingleSegment)
            {
                Complete(slotIndex, response, data.FirstSpan);
            }
            else
            {
                data.CopyTo(_frameScratch);
                Complete(slotIndex, response, _frameScratch.AsSpan(0, (int)data.Length));
            }

            return false;
        }

        var fits = response.TryAppend(data, _options.MaxResponseBodySize);
        response.HoldCredit(header.PayloadLength);
        if (!fits)
        {
            CompleteTruncated(slotIndex, response);
        }
        else if (endStream)
        {
            Complete(slotIndex, response, response.Body);
        }
        else if (!_streams.IsOpenStream(slotIndex, header.StreamId))
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
    private void CompleteTruncated(int slotIndex, ResponseAssembly response)
    {
        var streamId = response.StreamId;
        _counters.OnResponseTooLarge();
        var head = new Http2ResponseHead(response.Status, response.RetryAfterSeconds, response.ServerDateUnixSeconds, isTruncated: true);
        if (_streams.TryRespond(slotIndex, head, response.Body))
        {
            OnResponseServed();
        }

        _control.Enqueue(ControlFrame.Reset(streamId, Http2ErrorCode.Cancel));
        response.RecordClosure(streamId, StreamClosure.ResetSent);
        _streams.ReleaseCredit(response);
        response.End();
    }

    private void OnHeaders(Http2FrameHeader header, ReadOnlySequence<byte> payload)
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

    private void OnContinuation(Http2FrameHeader header, ReadOnlySequence<byte> payload)
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
        var response = _streams.ActiveResponse(streamId, _newStreamReceiveWindow, out var slotIndex);
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
            Complete(slotIndex, response, response.Body);
        }
    }

    private void OnSettings(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        var settings = Http2FrameReader.ReadSettings(header, payload);
        if (header.HasFlags(Http2FrameFlags.Ack))
        {
            return;
        }

        var tableSizeLow = int.MaxValue;
        foreach (var setting in settings)
        {
            // RFC 9113 section 6.5.2: a server may only send SETTINGS_ENABLE_PUSH = 0; a client treats 1 as a
            // connection error of type PROTOCOL_ERROR.
            if (setting.Parameter == Http2SettingsParameter.EnablePush && setting.Value == 1)
            {
                throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "SETTINGS_ENABLE_PUSH = 1 from a server.");
            }

            if (setting.Parameter == Http2SettingsParameter.HeaderTableSize)
            {
                tableSizeLow = Math.Min(tableSizeLow, PeerSendLimits.EncoderTableSize(setting.Value));
            }
        }

        _ = _peerSettings.Apply(settings);
        _limits.Apply(_peerSettings, tableSizeLow);

        // Acknowledged only now: from the ACK on, the peer may hold us to these values (RFC 9113 section 6.5.3).
        _control.Enqueue(ControlFrame.SettingsAck());
        if (!_sawPeerSettings)
        {
            _sawPeerSettings = true;
            _settingsReceived.TrySetResult();
        }
    }

    private void OnPing(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        var opaque = Http2FrameReader.ReadPing(header, payload);
        if (header.HasFlags(Http2FrameFlags.Ack))
        {
            if ((long)opaque == _connectPingOpaque)
            {
                _connectPingAcked.TrySetResult();
                return;
            }

            _health.OnPingAck();
            _counters.OnPingRtt(PingRttMicros((long)opaque));
        }
        else
        {
            _control.Enqueue(ControlFrame.PingAck((long)opaque));
        }
    }

    private void OnGoAway(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        var goAway = Http2FrameReader.ReadGoAway(header, payload);
        _counters.OnGoAwayReceived();
        _health.OnGoAway(goAway.ErrorCode);
        _state.TryDrain();
        _limits.WaitForStreamsBeingOpened();

        // RFC 9113 section 6.8: streams above last-stream-id were not processed and may be retried elsewhere.
        _streams.FailAbove(goAway.LastStreamId);
    }

    private void OnWindowUpdate(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        if (header.StreamId == 0)
        {
            _limits.CreditConnection(Http2FrameReader.ReadWindowUpdate(header, payload));
            return;
        }

        // An idle stream first: a stream error (increment 0) must not reset a stream that never existed.
        CheckStreamIdIsOurs(header.StreamId);
        var increment = Http2FrameReader.ReadWindowUpdate(header, payload);
        if (!_limits.TryCreditStream(header.StreamId, increment) && _streams.ClosureOf(header.StreamId) == StreamClosure.ResetReceived)
        {
            // RFC 9113 section 5.1: after the peer's END_STREAM a late WINDOW_UPDATE is fine (and ignored); after its
            // RST_STREAM nothing but PRIORITY is.
            ThrowIfClosedByPeer(header.StreamId);
        }
    }

    private void OnRstStream(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        var code = Http2FrameReader.ReadRstStream(header, payload);
        CheckStreamIdIsOurs(header.StreamId);
        _counters.OnResetReceived();

        // REFUSED_STREAM promises the request was not processed (RFC 9113 section 8.7).
        FailStream(header.StreamId, code == Http2ErrorCode.RefusedStream ? Http2StreamFailure.NotProcessed : Http2StreamFailure.Reset, StreamClosure.ResetReceived);
    }

    private void CheckStreamIdIsOurs(int streamId)
    {
        // Servers may not open streams here (push is off), and may not speak on streams we never opened.
        if ((streamId & 1) == 0 || streamId >= _writer.NextStreamId)
        {
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, $"Frame on stream {streamId}, which the client never opened.");
        }
    }

    private void Complete(int slotIndex, ResponseAssembly response, ReadOnlySpan<byte> body)
    {
        var head = new Http2ResponseHead(response.Status, response.RetryAfterSeconds, response.ServerDateUnixSeconds);
        if (_streams.TryRespond(slotIndex, head, body))
        {
            OnResponseServed();
        }

        // The peer ended the stream even when a timeout won the race to report it.
        response.RecordClosure(response.StreamId, StreamClosure.EndStreamReceived);
        _streams.ReleaseCredit(response);
        response.End();
    }

    private static long PingRttMicros(long sentTimestamp) =>
        (long)Stopwatch.GetElapsedTime(sentTimestamp).TotalMicroseconds;

    /// <summary>A response reached the handler: the connection answers, whatever timed out before.</summary>
    private void OnResponseServed()
    {
        _health.OnResponse(_readTicks);
    }

    /// <summary>Fails an open stream and remembers how it closed (a reset we sent is remembered even if it was not open).</summary>
    private void FailStream(int streamId, Http2StreamFailure failure, StreamClosure closure)
    {
        var slotIndex = _streams.IndexOf(streamId);
        var response = _streams.ResponseAt(slotIndex);
        var wasOpen = _streams.IsOpenStream(slotIndex, streamId);
        if (wasOpen)
        {
            _streams.TryFail(slotIndex, failure);
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
    private void ThrowIfClosedByPeer(int streamId)
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
