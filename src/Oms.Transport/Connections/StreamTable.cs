namespace Oms.Transport.Connections;

/// <summary>
/// A connection's open streams: one entry per stream id modulo the table's size, with the response the reader
/// assembles for it, and the one place a stream is completed, exactly once, whoever completes it.
/// </summary>
/// <remarks>
/// <para>Shared by three threads, each with its part: the sending thread fills a free entry and publishes it Open
/// (<see cref="OnOpened"/>); the reader thread answers or fails it and owns every <see cref="ResponseAssembly"/>; the
/// client's timer fails it on timeout; anyone fails every stream when the connection closes. The winner of an entry's
/// compare-and-swap from Open to Completing reports the outcome, returns the connection credit the stream's body
/// held, then frees the entry (see <see cref="StreamEntry"/>).</para>
/// <para>Buffers of streams ended off the reader thread stay lent to their assembly until the reader sweeps them
/// (<see cref="SweepIfMarked"/>): the peer can only send more once credit went back, which wakes the reader.</para>
/// </remarks>
internal sealed class StreamTable
{
    private readonly StreamEntry[] _entries;
    private readonly ResponseAssembly[] _responses;
    private readonly int _mask;
    private readonly IHttp2ResponseHandler _handler;
    private readonly TransportCounters _counters;
    private readonly ConnectionReceiveCredit _credit;
    private readonly ControlFrameQueue _control;
    private int _active;
    private int _stale;

    public StreamTable(ConnectionBuffers buffers, IHttp2ResponseHandler handler, TransportCounters counters, ConnectionReceiveCredit credit, ControlFrameQueue control)
    {
        _entries = buffers.Entries;
        _responses = buffers.Responses;
        _mask = _entries.Length - 1;
        _handler = handler;
        _counters = counters;
        _credit = credit;
        _control = control;
    }

    /// <summary>Entries in the table (a power of two).</summary>
    public int Length => _entries.Length;

    /// <summary>Streams opened and not yet completed.</summary>
    public int ActiveStreams => Volatile.Read(ref _active);

    /// <summary>The entry a stream id maps to.</summary>
    public int IndexOf(int streamId) => (streamId >> 1) & _mask;

    public ref StreamEntry EntryAt(int index) => ref _entries[index];

    /// <summary>The reader's assembly for an entry; reader thread only.</summary>
    public ResponseAssembly ResponseAt(int index) => _responses[index];

    /// <summary>True while <paramref name="streamId"/> is the open stream of entry <paramref name="index"/>.</summary>
    public bool IsOpenStream(int index, int streamId)
    {
        ref var entry = ref _entries[index];
        return Volatile.Read(ref entry.State) == StreamEntry.Open && entry.StreamId == streamId;
    }

    /// <summary>Counts a stream the sending thread has just published Open.</summary>
    public void OnOpened()
    {
        Interlocked.Increment(ref _active);
        _counters.OnStreamOpened();
    }

    /// <summary>Closes, unreported, a stream the sender opened but could not write; false when someone completed it first.</summary>
    public bool TryAbandon(int index)
    {
        ref var entry = ref _entries[index];
        if (Interlocked.CompareExchange(ref entry.State, StreamEntry.Completing, StreamEntry.Open) != StreamEntry.Open)
        {
            return false;
        }

        Free(ref entry);
        return true;
    }

    /// <summary>Reports a failure for an open entry if nobody else has completed it; true when this call did. Any thread.</summary>
    public bool TryFail(int index, Http2StreamFailure failure)
    {
        ref var entry = ref _entries[index];
        if (Interlocked.CompareExchange(ref entry.State, StreamEntry.Completing, StreamEntry.Open) != StreamEntry.Open)
        {
            return false;
        }

        // While the entry is Completing no new stream can take it, so the credit taken is this stream's.
        ReleaseCredit(_responses[index]);
        var token = entry.Token;
        Free(ref entry);
        try
        {
            _handler.OnFailure(token, failure);
        }
        catch (Exception)
        {
            _counters.OnHandlerException();
        }

        return true;
    }

    /// <summary>Reports a response for an open entry if nobody else has completed it; true when this call did. Reader thread.</summary>
    public bool TryRespond(int index, in Http2ResponseHead head, ReadOnlySpan<byte> body)
    {
        ref var entry = ref _entries[index];
        if (Interlocked.CompareExchange(ref entry.State, StreamEntry.Completing, StreamEntry.Open) != StreamEntry.Open)
        {
            return false;
        }

        var token = entry.Token;
        Free(ref entry);
        try
        {
            _handler.OnResponse(token, head, body);
        }
        catch (Exception)
        {
            _counters.OnHandlerException();
        }

        return true;
    }

    /// <summary>Fails every open stream with <paramref name="reason"/>, once each.</summary>
    public void FailAll(Http2StreamFailure reason)
    {
        for (var i = 0; i < _entries.Length; i++)
        {
            TryFail(i, reason);
        }
    }

    /// <summary>Fails the open streams above <paramref name="lastStreamId"/> as never processed (GOAWAY, RFC 9113 section 6.8).</summary>
    public void FailAbove(int lastStreamId)
    {
        for (var i = 0; i < _entries.Length; i++)
        {
            ref var entry = ref _entries[i];
            if (Volatile.Read(ref entry.State) == StreamEntry.Open && entry.StreamId > lastStreamId)
            {
                TryFail(i, Http2StreamFailure.NotProcessed);
            }
        }

        MarkStale();
    }

    /// <summary>Tells the reader that streams ended off its thread may have left buffers in their assemblies.</summary>
    public void MarkStale() => Volatile.Write(ref _stale, 1);

    /// <summary>Gives back the buffers and credit of streams that ended off the reader thread; reader thread only.</summary>
    public void SweepIfMarked()
    {
        if (Volatile.Read(ref _stale) == 0)
        {
            return;
        }

        Volatile.Write(ref _stale, 0);
        for (var i = 0; i < _responses.Length; i++)
        {
            var response = _responses[i];
            if ((response.StreamId != 0 || response.HoldsBuffer) && !IsOpenStream(i, response.StreamId))
            {
                ReleaseCredit(response);
                response.End();
            }
        }
    }

    /// <summary>The reader's assembly for an open stream, started on first sight; null when the stream is not open. Reader thread.</summary>
    public ResponseAssembly? ActiveResponse(int streamId, ReceiveWindow newStreamWindow, out int index)
    {
        index = IndexOf(streamId);
        if (!IsOpenStream(index, streamId))
        {
            return null;
        }

        var response = _responses[index];
        if (response.StreamId != streamId)
        {
            response.Begin(streamId, newStreamWindow);
        }

        return response;
    }

    /// <summary>How a stream that is no longer open closed, as far as the reader remembers. Reader thread.</summary>
    public StreamClosure ClosureOf(int streamId) => _responses[IndexOf(streamId)].ClosureOf(streamId);

    /// <summary>Returns the connection credit a stream's buffered body holds; any thread.</summary>
    public void ReleaseCredit(ResponseAssembly response)
    {
        var credit = response.TakeCredit();
        if (credit > 0)
        {
            ReleaseConnectionCredit(credit);
        }
    }

    /// <summary>Returns connection credit for octets consumed or discarded, queueing a WINDOW_UPDATE when one is due.</summary>
    public void ReleaseConnectionCredit(int length)
    {
        if (_credit.TryRelease(length, out var increment))
        {
            _control.Enqueue(ControlFrame.WindowUpdate(0, increment));
        }
    }

    private void Free(ref StreamEntry entry)
    {
        Interlocked.Decrement(ref _active);
        _counters.OnStreamClosed();
        Volatile.Write(ref entry.State, StreamEntry.Free);
    }
}
