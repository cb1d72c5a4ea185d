using Oms.Transport.Client;
using Oms.Transport.Diagnostics;
using Oms.Transport.FlowControl;

namespace Oms.Transport.Connections;

/// <summary>
/// A connection's open streams: one slot per stream id modulo the table's size, with the response the reader
/// assembles for it, and the one place a stream is completed, exactly once, whoever completes it.
/// </summary>
/// <remarks>
/// <para>Shared by three threads, each with its part: the sending thread fills a free slot and publishes it Open
/// (<see cref="OnOpened"/>); the reader thread answers or fails it and owns every <see cref="ResponseAssembly"/>; the
/// pool's timer fails it on timeout; anyone fails every stream when the connection closes. The winner of a slot's
/// compare-and-swap from Open to Completing reports the outcome, returns the connection credit the stream's body
/// held, then frees the slot (see <see cref="StreamSlot"/>).</para>
/// <para>Buffers of streams ended off the reader thread stay lent to their assembly until the reader sweeps them
/// (<see cref="SweepIfMarked"/>): the peer can only send more once credit went back, which wakes the reader.</para>
/// </remarks>
internal sealed class StreamTable
{
    private readonly StreamSlot[] _slots;
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
        _slots = buffers.Slots;
        _responses = buffers.Responses;
        _mask = _slots.Length - 1;
        _handler = handler;
        _counters = counters;
        _credit = credit;
        _control = control;
    }

    /// <summary>Slots in the table (a power of two).</summary>
    public int Length => _slots.Length;

    /// <summary>Streams opened and not yet completed.</summary>
    public int ActiveStreams => Volatile.Read(ref _active);

    /// <summary>The slot a stream id maps to.</summary>
    public int IndexOf(int streamId) => (streamId >> 1) & _mask;

    public ref StreamSlot SlotAt(int index) => ref _slots[index];

    /// <summary>The reader's assembly for a slot; reader thread only.</summary>
    public ResponseAssembly ResponseAt(int index) => _responses[index];

    /// <summary>True while <paramref name="streamId"/> is the open stream of slot <paramref name="index"/>.</summary>
    public bool IsOpenStream(int index, int streamId)
    {
        ref var slot = ref _slots[index];
        return Volatile.Read(ref slot.State) == StreamSlot.Open && slot.StreamId == streamId;
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
        ref var slot = ref _slots[index];
        if (Interlocked.CompareExchange(ref slot.State, StreamSlot.Completing, StreamSlot.Open) != StreamSlot.Open)
        {
            return false;
        }

        Free(ref slot);
        return true;
    }

    /// <summary>Reports a failure for an open slot if nobody else has completed it; true when this call did. Any thread.</summary>
    public bool TryFail(int index, Http2StreamFailure failure)
    {
        ref var slot = ref _slots[index];
        if (Interlocked.CompareExchange(ref slot.State, StreamSlot.Completing, StreamSlot.Open) != StreamSlot.Open)
        {
            return false;
        }

        // While the slot is Completing no new stream can take it, so the credit taken is this stream's.
        ReleaseCredit(_responses[index]);
        var token = slot.Token;
        Free(ref slot);
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

    /// <summary>Reports a response for an open slot if nobody else has completed it; true when this call did. Reader thread.</summary>
    public bool TryRespond(int index, in Http2ResponseHead head, ReadOnlySpan<byte> body)
    {
        ref var slot = ref _slots[index];
        if (Interlocked.CompareExchange(ref slot.State, StreamSlot.Completing, StreamSlot.Open) != StreamSlot.Open)
        {
            return false;
        }

        var token = slot.Token;
        Free(ref slot);
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
        for (var i = 0; i < _slots.Length; i++)
        {
            TryFail(i, reason);
        }
    }

    /// <summary>Fails the open streams above <paramref name="lastStreamId"/> as never processed (GOAWAY, RFC 9113 section 6.8).</summary>
    public void FailAbove(int lastStreamId)
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            ref var slot = ref _slots[i];
            if (Volatile.Read(ref slot.State) == StreamSlot.Open && slot.StreamId > lastStreamId)
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

    private void Free(ref StreamSlot slot)
    {
        Interlocked.Decrement(ref _active);
        _counters.OnStreamClosed();
        Volatile.Write(ref slot.State, StreamSlot.Free);
    }
}
