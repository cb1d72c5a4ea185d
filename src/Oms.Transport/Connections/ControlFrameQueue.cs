using System.Collections.Concurrent;

namespace Oms.Transport.Connections;

/// <summary>
/// The control frames a connection owes its peer (SETTINGS and PING acks, WINDOW_UPDATE, RST_STREAM, GOAWAY), queued
/// by the reader and the timer, written by whichever thread holds the write side next.
/// </summary>
/// <remarks>
/// Any thread may <see cref="Enqueue"/>; <see cref="BeginDrain"/>, <see cref="TryDequeue"/> and <see cref="Clear"/>
/// belong to the holder of the connection's write lock. The pending flag is cleared before the queue is drained, so a
/// frame queued during a drain sets it again and is never stranded.
/// </remarks>
internal sealed class ControlFrameQueue
{
    /// <summary>
    /// The most frames owed before the peer is closed rather than buffered for without bound: a peer that floods PINGs
    /// or SETTINGS while it does not read what we send.
    /// </summary>
    public const int MaxBacklog = 4096;

    private readonly ConcurrentQueue<ControlFrame> _frames = new();
    private int _pending;
    private int _backlog;

    /// <summary>Frames queued and not yet written.</summary>
    public int Backlog => Volatile.Read(ref _backlog);

    /// <summary>True when a frame waits; a plain acquiring read, for the fast path of a flush.</summary>
    public bool IsPending => Volatile.Read(ref _pending) != 0;

    /// <summary>
    /// True when a frame waits, read with a full fence: a thread that just let go of the write lock must not see a
    /// value from before it did, or a frame queued by another thread meanwhile would wait for the next flush.
    /// </summary>
    public bool IsPendingAfterUnlock => Interlocked.CompareExchange(ref _pending, 0, 0) != 0;

    public void Enqueue(ControlFrame frame)
    {
        Interlocked.Increment(ref _backlog);
        _frames.Enqueue(frame);
        Interlocked.Exchange(ref _pending, 1);
    }

    /// <summary>Clears the pending flag before a drain; write-lock holder only.</summary>
    public void BeginDrain() => Volatile.Write(ref _pending, 0);

    /// <summary>The next frame to write; write-lock holder only.</summary>
    public bool TryDequeue(out ControlFrame frame)
    {
        if (!_frames.TryDequeue(out frame))
        {
            return false;
        }

        Interlocked.Decrement(ref _backlog);
        return true;
    }

    /// <summary>Drops every frame: the connection is closed and nothing more will be written; write-lock holder only.</summary>
    public void Clear()
    {
        _frames.Clear();
        Volatile.Write(ref _backlog, 0);
        Volatile.Write(ref _pending, 0);
    }
}
