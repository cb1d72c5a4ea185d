using System.IO.Pipelines;
using System.Net.Sockets;

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
internal sealed partial class ResponseReader : IPolledReader
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
    private readonly Pipe _inbound = new(InlinePipes.Options);
    private readonly StreamFrameReader _frames;
    private readonly Http2PeerSettings _peerSettings = new();
    private readonly TaskCompletionSource _settingsReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _connectPingAcked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _sawPeerSettings;

    // Set when the socket is to be read by a poller once connected (cleartext only); the slot once it is.
    private SocketPoller? _poller;
    private Socket? _socket;
    private int _pollSlot;
    private nint _fileDescriptor;
    private int _endedOnce;
    private volatile bool _handedOver;

    // Set under the poller's lock once the socket is being closed: a hand-over that comes later must not register it.
    private bool _pollingStopped;

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
        _frames = new StreamFrameReader(options, counters, streams, control, writer, credit, health, buffers);
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
    /// every whole frame in it, all on this one thread; ends early when the socket is handed to a poller.
    /// </summary>
    public void Run()
    {
        var reason = Http2StreamFailure.ConnectionLost;
        var stream = _stream;
        var handedOver = false;
        try
        {
            while (true)
            {
                var received = stream.Read(_inbound.Writer.GetSpan(ReadSize));
                if (received == 0)
                {
                    break;
                }

                HandleReceived(received);
                if (_poller is not null && _connectPingAcked.Task.IsCompleted && TryHandOver())
                {
                    handedOver = true;
                    return;
                }
            }
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            reason = FailureOf(e);
        }
        finally
        {
            if (!handedOver)
            {
                End(reason);
            }
        }
    }

    /// <summary>Handles <paramref name="received"/> new bytes: every whole frame now in the inbound pipe.</summary>
    private void HandleReceived(int received)
    {
        var writer = _inbound.Writer;
        var reader = _inbound.Reader;
        _frames.ReadTicks = Stopwatch.GetTimestamp();

        writer.Advance(received);
        InlinePipes.CompleteInline(writer.FlushAsync());
        if (!reader.TryRead(out var result))
        {
            return;
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

    private static bool IsConnectionFailure(Exception e) =>
        e is Http2ConnectionException or HPackDecodingException or IOException or SocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException;

    private Http2StreamFailure FailureOf(Exception e) => e switch
    {
        Http2ConnectionException connection => ProtocolViolation(connection.ErrorCode),
        HPackDecodingException => ProtocolViolation(Http2ErrorCode.CompressionError),
        _ => Http2StreamFailure.ConnectionLost,
    };

    /// <summary>The read side's end, once: the connection closes, the pipes complete, <see cref="Ended"/> completes.</summary>
    private void End(Http2StreamFailure reason)
    {
        if (Interlocked.Exchange(ref _endedOnce, 1) != 0)
        {
            return;
        }

        try
        {
            Unregister();
            _onEnded(reason);
            _inbound.Reader.Complete();
            _inbound.Writer.Complete();
        }
        finally
        {
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

        if (_frames.InHeaderBlock && header.Type != Http2FrameType.Continuation)
        {
            // RFC 9113 section 6.10: nothing may interleave with a header block.
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, $"{header.Type} frame inside a header block.");
        }

        try
        {
            switch (header.Type)
            {
                case Http2FrameType.Data:
                    _frames.OnData(header, payload);
                    break;
                case Http2FrameType.Headers:
                    _frames.OnHeaders(header, payload);
                    break;
                case Http2FrameType.Continuation:
                    _frames.OnContinuation(header, payload);
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
                    _frames.OnRstStream(header, payload);
                    break;
                case Http2FrameType.Priority:
                    Http2ControlFrameReader.ValidatePriority(header);
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
            _frames.FailStream(e.StreamId, Http2StreamFailure.ProtocolError, StreamClosure.ResetSent);
        }
    }

    private void OnSettings(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        var settings = Http2ControlFrameReader.ReadSettings(header, payload);
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
        var opaque = Http2ControlFrameReader.ReadPing(header, payload);
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
        var goAway = Http2ControlFrameReader.ReadGoAway(header, payload);
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
            _limits.CreditConnection(Http2ControlFrameReader.ReadWindowUpdate(header, payload));
            return;
        }

        // An idle stream first: a stream error (increment 0) must not reset a stream that never existed.
        _frames.CheckStreamIdIsOurs(header.StreamId);
        var increment = Http2ControlFrameReader.ReadWindowUpdate(header, payload);
        if (!_limits.TryCreditStream(header.StreamId, increment) && _streams.ClosureOf(header.StreamId) == StreamClosure.ResetReceived)
        {
            // RFC 9113 section 5.1: after the peer's END_STREAM a late WINDOW_UPDATE is fine (and ignored); after its
            // RST_STREAM nothing but PRIORITY is.
            _frames.ThrowIfClosedByPeer(header.StreamId);
        }
    }

    private static long PingRttMicros(long sentTimestamp) =>
        (long)Stopwatch.GetElapsedTime(sentTimestamp).TotalMicroseconds;
}
