namespace Oms.Transport.FlowControl;

/// <summary>
/// A receive window: the credit this endpoint has granted the peer on one stream or on the connection,
/// deciding when to return it with WINDOW_UPDATE (RFC 9113 sections 5.2 and 6.9).
/// </summary>
/// <remarks>
/// <para>
/// Received DATA is assumed consumed on arrival (responses here are small and buffered whole), so credit is
/// returned as soon as it is worth a frame: once half the window has been used, one WINDOW_UPDATE restores it
/// in full. Returning credit in halves rather than per frame keeps WINDOW_UPDATE traffic low while never
/// letting the window run dry on a steady stream. A stream that has received END_STREAM needs no update.
/// </para>
/// <para>
/// Charge the whole DATA payload, padding included, as RFC 9113 section 6.1 requires: pass
/// <c>Http2FrameHeader.PayloadLength</c>, not the length of the data. A mutable struct owned by the
/// connection's reader; keep it in a field and call it in place. Not synchronized.
/// </para>
/// </remarks>
[DebuggerDisplay("Available = {Available} of {Size}")]
internal struct ReceiveWindow
{
    private readonly int _size;
    private readonly int _updateThreshold;
    private int _available;

    /// <summary>Creates a window of <paramref name="size"/> octets, all of it granted to the peer.</summary>
    /// <param name="size">
    /// The window advertised: our SETTINGS_INITIAL_WINDOW_SIZE for a stream, 65,535 for the connection.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is negative.</exception>
    public ReceiveWindow(int size)
        : this(size, Math.Max(1, size / 2))
    {
    }

    /// <summary>
    /// Creates a window of <paramref name="size"/> octets that returns credit only once
    /// <paramref name="updateThreshold"/> octets of it are used.
    /// </summary>
    /// <remarks>
    /// A threshold of <paramref name="size"/> holds all credit until the window is used up: with frames of at most
    /// 16,384 octets, that is the only way a peer can be caught overrunning a window of 65,535 or more, so tests use it.
    /// </remarks>
    /// <param name="size">The window advertised, 0 or more.</param>
    /// <param name="updateThreshold">The used octets that make a WINDOW_UPDATE due, 1 to <paramref name="size"/> (1 when the size is 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative size, or a threshold out of range.</exception>
    public ReceiveWindow(int size, int updateThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfLessThan(updateThreshold, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(updateThreshold, Math.Max(1, size));
        _size = size;
        _updateThreshold = updateThreshold;
        _available = size;
    }

    /// <summary>The window this endpoint maintains, in octets.</summary>
    public readonly int Size => _size;

    /// <summary>The octets the peer may still send before it must wait for a WINDOW_UPDATE.</summary>
    public readonly int Available => _available;

    /// <summary>The octets received whose credit has not been returned yet.</summary>
    public readonly int Unacknowledged => _size - _available;

    /// <summary>Whether enough credit has been used that a WINDOW_UPDATE should go out now.</summary>
    public readonly bool IsUpdateDue => Unacknowledged > 0 && Unacknowledged >= _updateThreshold;

    /// <summary>The used octets that make a WINDOW_UPDATE due: half the window unless the constructor said otherwise.</summary>
    public readonly int UpdateThreshold => _updateThreshold;

    /// <summary>Charges a received flow-controlled frame against the window.</summary>
    /// <param name="length">The whole DATA payload length, padding included, 0 or more.</param>
    /// <returns>
    /// <see langword="false"/>, leaving the window unchanged, when the peer sent more than it was granted: a
    /// FLOW_CONTROL_ERROR (RFC 9113 section 6.9.1).
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public bool TryReceive(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length > _available)
        {
            return false;
        }

        _available -= length;
        return true;
    }

    /// <summary>
    /// When a WINDOW_UPDATE is due, returns its increment and counts the credit as granted again.
    /// </summary>
    /// <param name="increment">The Window Size Increment to send, or 0 when none is due.</param>
    /// <returns><see langword="true"/> when the caller must now send a WINDOW_UPDATE of <paramref name="increment"/>.</returns>
    public bool TryTakeUpdate(out int increment)
    {
        if (!IsUpdateDue)
        {
            increment = 0;
            return false;
        }

        increment = _size - _available;
        _available = _size;
        return true;
    }
}
