using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Oms.Transport.Connections;

/// <summary>
/// A connection's send side: the preface, requests (HPACK and HEADERS/DATA frames), queued control frames, and the
/// socket writes that carry them, all under one write lock.
/// </summary>
/// <remarks>
/// Belongs to the sending thread (the engine's consumer), which alone writes requests and flushes, writing the
/// socket itself. The reader and the timer only ever take the write lock to get control frames out: at once when it
/// is free (<see cref="DrainControlIfPending"/>), or waiting a bounded time before a close
/// (<see cref="WriteControlBeforeClose"/>). A reader that blocked on a writer stuck behind a full socket could deadlock
/// against a peer that is itself waiting for us to read, so nobody else waits on it without a bound.
/// </remarks>
internal sealed partial class RequestWriter
{
    private const int HeaderScratchSize = ConnectionBuffers.HeaderScratchSize;

    private readonly Lock _writeLock = new();
    private readonly Http2ClientOptions _options;
    private readonly TransportCounters _counters;
    private readonly ConnectionState _state;
    private readonly StreamTable _streams;
    private readonly PeerSendLimits _limits;
    private readonly ControlFrameQueue _control;
    private readonly Stream _stream;
    private readonly Action _shutDownSocket;
    private readonly Pipe _output = new(InlinePipes.Options);
    private readonly HPackEncoder _encoder = new();
    private readonly byte[] _headerScratch;

    // A request's path with its query (status queries only), made once on first use.
    private byte[]? _pathScratch;
    private readonly byte[] _constantBlock;
    private readonly byte[] _authority;
    private readonly byte[] _scheme;

    // Touched only under _writeLock.
    private Http2RequestTemplate? _constantTemplate;
    private int _constantBlockLength;
    private int _appliedHeaderTableVersion;
    private int _nextStreamId;
    private bool _dirty;

    public RequestWriter(
        Http2ClientOptions options,
        TransportCounters counters,
        ConnectionState state,
        StreamTable streams,
        PeerSendLimits limits,
        ControlFrameQueue control,
        ConnectionBuffers buffers,
        Stream stream,
        Action shutDownSocket,
        string authority,
        bool usesTls)
    {
        _options = options;
        _counters = counters;
        _state = state;
        _streams = streams;
        _limits = limits;
        _control = control;
        _stream = stream;
        _shutDownSocket = shutDownSocket;
        _headerScratch = buffers.HeaderScratch;
        _constantBlock = buffers.ConstantBlock;
        _authority = System.Text.Encoding.ASCII.GetBytes(authority);
        _scheme = usesTls ? "https"u8.ToArray() : "http"u8.ToArray();
        _nextStreamId = options.FirstStreamId;
    }

    /// <summary>The next stream id this side would open: the peer may not speak on any id from here up.</summary>
    public int NextStreamId => Volatile.Read(ref _nextStreamId);

    /// <summary>Writes the queued control frames (a GOAWAY above all) before a close, waiting up to <paramref name="wait"/> for the write lock.</summary>
    public void WriteControlBeforeClose(TimeSpan wait)
    {
        if (_writeLock.TryEnter(wait))
        {
            try
            {
                FlushUnderLock();
            }
            finally
            {
                _writeLock.Exit();
            }
        }
    }

    /// <summary>Writes the preface and flushes it; connecting thread, before the reader starts.</summary>
    public void SendPreface(long pingOpaque)
    {
        WritePreface(pingOpaque);
        lock (_writeLock)
        {
            FlushUnderLock();
        }
    }

    /// <summary>
    /// Drops what is buffered and unsent with the pipe, whose segments go back to their pool; called once the
    /// connection is closed, so every sender after this finds it closed.
    /// </summary>
    public void Complete()
    {
        lock (_writeLock)
        {
            _output.Writer.Complete();
            _output.Reader.Complete();
        }
    }

    /// <summary>Writes one request (HEADERS, then one DATA with END_STREAM); sending thread only.</summary>
    /// <remarks>
    /// The body goes out whole: when the peer's connection window or the new stream's window (its initial window)
    /// holds less than the body, the answer is <see cref="Http2SendResult.NoCapacity"/> and nothing is written.
    /// </remarks>
    public Http2SendResult TrySend(Http2RequestTemplate template, ReadOnlySpan<byte> pathQuery, ReadOnlySpan<byte> firstVariableValue, ReadOnlySpan<byte> secondVariableValue, ReadOnlySpan<byte> body, long token, long deadlineTicks)
    {
        if (!_state.IsOpen)
        {
            return Http2SendResult.NoConnection;
        }

        var limit = Math.Min(_limits.MaxConcurrentStreams, _options.MaxConcurrentStreamsPerConnection);
        if (_streams.ActiveStreams >= limit)
        {
            return Http2SendResult.NoCapacity;
        }

        lock (_writeLock)
        {
            if (!TryFindStreamUnderLock(out var streamId, out var entryIndex))
            {
                return Http2SendResult.NoCapacity;
            }

            ref var entry = ref _streams.EntryAt(entryIndex);
            int maxFrameSize;
            lock (_limits.Lock)
            {
                // Checked again under this lock: GOAWAY and Abort take it after changing the state, before they fail
                // open streams, so a stream is either seen by them or not opened at all.
                if (!_state.IsOpen)
                {
                    return Http2SendResult.NoConnection;
                }

                if (!_limits.TryTakeSendCreditUnderLock(ref entry, body.Length))
                {
                    return Http2SendResult.NoCapacity;
                }

                _nextStreamId = streamId + 2;
                entry.StreamId = streamId;
                entry.Token = token;
                entry.DeadlineTicks = deadlineTicks;
                _streams.OnOpened();

                // Published before the frames are written: the response cannot arrive before the flush that sends
                // them. Published under the limits' lock so a change of the initial window adjusts this stream's window too.
                Volatile.Write(ref entry.State, StreamEntry.Open);
                maxFrameSize = _limits.MaxFrameSizeUnderLock;
            }

            try
            {
                var blockLength = EncodeHeaderBlockUnderLock(template, pathQuery, firstVariableValue, secondVariableValue);
                var written = Http2FrameWriter.WriteHeadersAndData(_output.Writer, streamId, _headerScratch.AsSpan(0, blockLength), body, maxFrameSize);
                _counters.OnFramesSent(FrameCount(blockLength, maxFrameSize) + (body.Length == 0 ? 0 : FrameCount(body.Length, maxFrameSize)), written);
                _dirty = true;
            }
            catch
            {
                // A header that does not fit (a caller's bug): nothing of this stream was written; close it silently.
                AbandonUnwrittenStream(entryIndex, body.Length);
                throw;
            }
        }

        return Http2SendResult.Sent;
    }

    /// <summary>Flushes what was written since the last flush, with any queued control frames; sending thread only.</summary>
    public void Flush()
    {
        if (!_dirty && !_control.IsPending)
        {
            return;
        }

        lock (_writeLock)
        {
            FlushUnderLock();
        }

        DrainControlIfPending();
    }

    /// <summary>The next stream id whose entry is free; the caller commits it by moving <c>_nextStreamId</c> past it.</summary>
    private bool TryFindStreamUnderLock(out int streamId, out int entryIndex)
    {
        Debug.Assert(_writeLock.IsHeldByCurrentThread);
        // Skipping ids whose entry is still busy is allowed: ids must only increase (RFC 9113 section 5.1.1), and a
        // skipped id simply stays idle forever.
        for (var attempt = 0; attempt < _streams.Length; attempt++)
        {
            var id = _nextStreamId;
            if (id > Http2Connection.LastUsableStreamId || id < 0)
            {
                _state.DrainForStreamIds();
                break;
            }

            var index = _streams.IndexOf(id);
            if (Volatile.Read(ref _streams.EntryAt(index).State) == StreamEntry.Free)
            {
                streamId = id;
                entryIndex = index;
                return true;
            }

            _nextStreamId = id + 2;
        }

        streamId = 0;
        entryIndex = -1;
        return false;
    }

    /// <summary>Undoes the opening of a stream none of whose frames was written, unless someone already completed it.</summary>
    private void AbandonUnwrittenStream(int entryIndex, int bodyLength)
    {
        _streams.TryAbandon(entryIndex);
        _limits.ReturnSendCredit(bodyLength);
    }

    private void WritePreface(long pingOpaque)
    {
        lock (_writeLock)
        {
            var span = _output.Writer.GetSpan(256);
            Http2ControlFrameWriter.TryWriteClientPreface(span, out var length);
            ReadOnlySpan<Http2Setting> settings =
            [
                new(Http2SettingsParameter.EnablePush, 0),
                new(Http2SettingsParameter.InitialWindowSize, (uint)_options.StreamReceiveWindow),
                new(Http2SettingsParameter.MaxHeaderListSize, (uint)_options.MaxResponseHeaderListSize),
            ];
            Http2ControlFrameWriter.TryWriteSettings(span[length..], settings, out var written);
            length += written;

            // The connection window starts at 65,535 whatever SETTINGS say (RFC 9113 section 6.9.2): grow it now.
            var growth = _options.ConnectionReceiveWindow - Http2PeerSettings.DefaultInitialWindowSize;
            if (growth > 0)
            {
                Http2ControlFrameWriter.TryWriteWindowUpdate(span[length..], 0, growth, out written);
                length += written;
            }

            // A PING whose ACK tells the connect that the server has read our preface: a GOAWAY it sent at once
            // (RFC 9113 section 6.8) arrives before that ACK, so the connect sees it, however the bytes were split.
            Http2ControlFrameWriter.TryWritePing(span[length..], (ulong)pingOpaque, out written);
            length += written;

            _output.Writer.Advance(length);
            _counters.OnFramesSent(growth > 0 ? 3 : 2, length);
        }
    }

    /// <summary>
    /// Writes queued control frames if the write lock is free right now; otherwise the holder will, because every
    /// holder checks the pending flag after letting go (with a full fence, so the check cannot move above the unlock).
    /// </summary>
    public void DrainControlIfPending()
    {
        while (_control.IsPendingAfterUnlock && _writeLock.TryEnter())
        {
            try
            {
                FlushUnderLock();
            }
            finally
            {
                _writeLock.Exit();
            }
        }
    }

    private void FlushUnderLock()
    {
        Debug.Assert(_writeLock.IsHeldByCurrentThread);
        if (_state.IsClosed)
        {
            _dirty = false;
            _control.Clear();
            return;
        }

        _control.BeginDrain();
        while (_control.TryDequeue(out var frame))
        {
            WriteControlUnderLock(frame);
        }

        _dirty = false;
        try
        {
            // Commit what was written, then hand it to the socket on this thread. A full socket buffer blocks the
            // write: the network is the bottleneck, so the sender waits here (back-pressure).
            InlinePipes.CompleteInline(_output.Writer.FlushAsync());
            var reader = _output.Reader;
            if (reader.TryRead(out var result))
            {
                var buffer = result.Buffer;
                try
                {
                    foreach (var segment in buffer)
                    {
                        _stream.Write(segment.Span);
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.End);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // The read side sees the same broken socket and fails the streams; make sure it does promptly.
            _shutDownSocket();
        }
    }

    private void WriteControlUnderLock(ControlFrame frame)
    {
        Debug.Assert(_writeLock.IsHeldByCurrentThread);
        var span = _output.Writer.GetSpan(64);
        int written;
        switch (frame.Type)
        {
            case Http2FrameType.Settings:
                Http2ControlFrameWriter.TryWriteSettingsAck(span, out written);
                break;
            case Http2FrameType.Ping when frame.Ack:
                Http2ControlFrameWriter.TryWritePingAck(span, (ulong)frame.Value, out written);
                break;
            case Http2FrameType.Ping:
                Http2ControlFrameWriter.TryWritePing(span, (ulong)frame.Value, out written);
                break;
            case Http2FrameType.WindowUpdate:
                Http2ControlFrameWriter.TryWriteWindowUpdate(span, frame.StreamId, (int)frame.Value, out written);
                break;
            case Http2FrameType.RstStream:
                Http2ControlFrameWriter.TryWriteRstStream(span, frame.StreamId, (Http2ErrorCode)frame.Value, out written);
                _counters.OnResetSent();
                break;
            case Http2FrameType.GoAway:
                Http2ControlFrameWriter.TryWriteGoAway(span, 0, (Http2ErrorCode)frame.Value, [], out written);
                break;
            default:
                throw new UnreachableException($"No control frame of type {frame.Type}.");
        }

        _output.Writer.Advance(written);
        _counters.OnFramesSent(1, written);
    }

    // A header block or body longer than the peer's SETTINGS_MAX_FRAME_SIZE goes out as several frames (CONTINUATION,
    // further DATA); an empty one still takes one frame.
    private static int FrameCount(int length, int maxFrameSize) => length == 0 ? 1 : (int)(((long)length + maxFrameSize - 1) / maxFrameSize);
}
