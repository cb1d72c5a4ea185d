namespace Oms.Transport.FlowControl;

/// <summary>
/// The connection-level receive window (RFC 9113 section 6.9), returned to the peer only for octets that were
/// consumed (handed to the handler) or discarded, never for octets still buffered: the window is then the bound on
/// what one connection can be made to hold.
/// </summary>
/// <remarks>
/// <see cref="TryReceive"/> belongs to the reader thread. <see cref="TryRelease"/> may be called by any thread (the
/// reader when a stream ends, the timer when it times one out); it is lock-free. Credit is returned in one
/// WINDOW_UPDATE once the released octets reach the threshold (half the window unless told otherwise), so a steady
/// stream of small answers costs one update per half window.
/// </remarks>
internal sealed class ConnectionReceiveCredit
{
    private readonly int _size;
    private readonly int _threshold;

    // Octets the peer has sent that we have not yet granted again with a WINDOW_UPDATE.
    private int _outstanding;

    // Of those, the octets consumed or discarded: owed back to the peer at the next update.
    private int _released;

    public ConnectionReceiveCredit(int size, int threshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        _size = size;
        _threshold = threshold;
    }

    /// <summary>The window advertised to the peer.</summary>
    public int Size => _size;

    /// <summary>Octets received and not yet granted again: buffered, or released but below the threshold.</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>Charges a DATA payload (padding included); false, leaving the window unchanged, when it overruns it.</summary>
    public bool TryReceive(int length)
    {
        // Only this thread adds; others only subtract, so the room read here can only have grown since.
        if (length > _size - Volatile.Read(ref _outstanding))
        {
            return false;
        }

        Interlocked.Add(ref _outstanding, length);
        return true;
    }

    /// <summary>
    /// Marks <paramref name="length"/> received octets as consumed or discarded; true when a WINDOW_UPDATE of
    /// <paramref name="increment"/> is now due, which the caller must send.
    /// </summary>
    public bool TryRelease(int length, out int increment)
    {
        if (Interlocked.Add(ref _released, length) < _threshold)
        {
            increment = 0;
            return false;
        }

        increment = Interlocked.Exchange(ref _released, 0);
        if (increment <= 0)
        {
            // Another thread took this update first.
            return false;
        }

        // Counted as granted before the update leaves, so data the peer sends on the strength of it always fits.
        Interlocked.Add(ref _outstanding, -increment);
        return true;
    }
}
