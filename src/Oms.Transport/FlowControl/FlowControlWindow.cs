namespace Oms.Transport.FlowControl;

/// <summary>
/// A send window: the credit the peer has granted for DATA on one stream or on the connection
/// (RFC 9113 sections 5.2 and 6.9).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Available"/> can be negative: when the peer lowers SETTINGS_INITIAL_WINDOW_SIZE, every stream
/// window drops by the difference even below zero, and the sender must wait for WINDOW_UPDATE frames to bring
/// it back above zero (RFC 9113 section 6.9.2). A window may never exceed 2^31-1; the <c>Try</c> methods report
/// that overflow and the caller turns it into a FLOW_CONTROL_ERROR (a stream error for a stream window, a
/// connection error for the connection window or a SETTINGS change).
/// </para>
/// <para>
/// A mutable struct: keep it in a field and call it in place, never through a copy. Not synchronized.
/// </para>
/// </remarks>
[DebuggerDisplay("Available = {Available}")]
internal struct FlowControlWindow
{
    /// <summary>The largest window RFC 9113 section 6.9.1 allows: 2^31-1 octets.</summary>
    public const int MaxSize = int.MaxValue;

    /// <summary>The initial size of every window until SETTINGS say otherwise: 65,535 octets.</summary>
    public const int DefaultInitialSize = 65_535;

    private int _available;

    /// <summary>Creates a window holding <paramref name="initialSize"/> octets of credit.</summary>
    /// <param name="initialSize">0 to 2^31-1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialSize"/> is negative.</exception>
    public FlowControlWindow(int initialSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialSize);
        _available = initialSize;
    }

    /// <summary>The octets of DATA that may be sent now; zero or negative means wait for WINDOW_UPDATE.</summary>
    public readonly int Available => _available;

    /// <summary>Spends <paramref name="count"/> octets of credit if the window holds that many.</summary>
    /// <param name="count">The DATA payload length to send, 0 or more.</param>
    /// <returns><see langword="false"/>, leaving the window unchanged, when the credit is insufficient.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public bool TryConsume(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _available)
        {
            return false;
        }

        _available -= count;
        return true;
    }

    /// <summary>Spends <paramref name="count"/> octets of credit that the caller has checked are available.</summary>
    /// <param name="count">The DATA payload length to send, 0 or more.</param>
    /// <exception cref="InvalidOperationException">The window holds less: sending would violate flow control.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public void Consume(int count)
    {
        if (!TryConsume(count))
        {
            ThrowInsufficientCredit();
        }
    }

    /// <summary>
    /// Spends as much of <paramref name="count"/> as the window allows, for splitting a body across windows.
    /// </summary>
    /// <param name="count">The octets wanted, 0 or more.</param>
    /// <returns>The octets granted, from 0 to <paramref name="count"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public int ConsumeUpTo(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int granted = Math.Clamp(_available, 0, count);
        _available -= granted;
        return granted;
    }

    /// <summary>Adds the credit of a received WINDOW_UPDATE (RFC 9113 section 6.9.1).</summary>
    /// <param name="increment">The Window Size Increment, 1 to 2^31-1.</param>
    /// <returns>
    /// <see langword="false"/>, leaving the window unchanged, when the result would exceed 2^31-1: the peer has
    /// committed a FLOW_CONTROL_ERROR.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="increment"/> is not positive.</exception>
    public bool TryIncrease(int increment)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(increment);
        long result = (long)_available + increment;
        if (result > MaxSize)
        {
            return false;
        }

        _available = (int)result;
        return true;
    }

    /// <summary>
    /// Shifts a stream window by the change of SETTINGS_INITIAL_WINDOW_SIZE (RFC 9113 section 6.9.2); the result
    /// may be negative. Never apply it to the connection window, which only WINDOW_UPDATE changes.
    /// </summary>
    /// <param name="delta">The new minus the old initial window size, as returned by <c>Http2PeerSettings.Apply</c>.</param>
    /// <returns>
    /// <see langword="false"/>, leaving the window unchanged, when the result would exceed 2^31-1: a connection
    /// error of type FLOW_CONTROL_ERROR.
    /// </returns>
    public bool TryAdjustInitial(int delta)
    {
        long result = (long)_available + delta;
        if (result is > MaxSize or < int.MinValue)
        {
            return false;
        }

        _available = (int)result;
        return true;
    }

    private static void ThrowInsufficientCredit() =>
        throw new InvalidOperationException("The flow-control window holds less credit than the DATA to send.");
}
