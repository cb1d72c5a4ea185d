namespace Oms.Transport.Connections;

/// <summary>
/// What the peer lets us send (RFC 9113 sections 6.5.2 and 6.9): the connection send window and one window per open
/// stream, its initial stream window, frame size, header table size and stream limit. The reader learns them from
/// SETTINGS and WINDOW_UPDATE; the sending thread spends them.
/// </summary>
/// <remarks>
/// <para>Everything here but the stream limit is guarded by <see cref="Lock"/>, held for a few instructions, never
/// across I/O or a handler callback, so the reader may block on it (unlike the write lock, whose holder may be stuck
/// in a socket write). Lock order: the write lock (sender) before this one; the reader takes this one alone. A
/// stream is published Open under it, so a change of the initial window adjusts that stream's window too, and a
/// GOAWAY or close that takes it after changing the connection's state sees every stream opened before.</para>
/// <para>A request body goes out whole, so a stream's window is spent once, when it opens; it is still kept per open
/// stream because the peer may move it afterwards, and moving it past 2^31-1 is an error to detect.</para>
/// </remarks>
internal sealed class PeerSendLimits
{
    private readonly StreamTable _streams;

    // RFC 9113 section 6.9.2: the connection window starts at 65,535 octets whatever SETTINGS say; only WINDOW_UPDATE
    // moves it.
    private FlowControlWindow _connectionWindow = new(FlowControlWindow.DefaultInitialSize);
    private int _initialWindow = Http2PeerSettings.DefaultInitialWindowSize;
    private int _maxFrameSize = Http2PeerSettings.DefaultMaxFrameSize;
    private int _maxConcurrentStreams = int.MaxValue;

    // The peer's SETTINGS_HEADER_TABLE_SIZE (capped at our encoder's table) and the smallest value it took since the
    // sender last applied it: RFC 7541 section 4.2 wants that smallest value signalled too. The version moves on every
    // change so the sender can see one without taking the lock.
    private int _headerTableSize = HPackEncoder.DefaultMaxTableSize;
    private int _headerTableSizeLow = HPackEncoder.DefaultMaxTableSize;
    private int _headerTableVersion;

    public PeerSendLimits(StreamTable streams) => _streams = streams;

    /// <summary>Guards every limit but <see cref="MaxConcurrentStreams"/>.</summary>
    public Lock Lock { get; } = new();

    /// <summary>The peer's SETTINGS_MAX_CONCURRENT_STREAMS; read without the lock.</summary>
    public int MaxConcurrentStreams => Volatile.Read(ref _maxConcurrentStreams);

    /// <summary>Moves each time the peer's header table size changes; read without the lock.</summary>
    public int HeaderTableVersion => Volatile.Read(ref _headerTableVersion);

    /// <summary>The peer's SETTINGS_MAX_FRAME_SIZE; under <see cref="Lock"/>.</summary>
    public int MaxFrameSizeUnderLock
    {
        get
        {
            Debug.Assert(Lock.IsHeldByCurrentThread);
            return _maxFrameSize;
        }
    }

    /// <summary>
    /// Spends the credit for a new stream's whole body from the connection window and from the stream's own window,
    /// which starts at the peer's initial window; nothing is spent when either holds too little. Sending thread, under
    /// <see cref="Lock"/>.
    /// </summary>
    public bool TryTakeSendCreditUnderLock(ref StreamEntry entry, int bodyLength)
    {
        Debug.Assert(Lock.IsHeldByCurrentThread);
        var streamWindow = new FlowControlWindow(_initialWindow);
        if (bodyLength > _connectionWindow.Available || !streamWindow.TryConsume(bodyLength))
        {
            return false;
        }

        _connectionWindow.Consume(bodyLength);
        entry.SendWindow = streamWindow;
        return true;
    }

    /// <summary>Gives back the credit of a stream that was opened but never written (the sender failed in between).</summary>
    public void ReturnSendCredit(int bodyLength)
    {
        lock (Lock)
        {
            // Cannot push the window past 2^31-1 unless the peer already did with its own WINDOW_UPDATE; the reader
            // reports that one.
            if (bodyLength > 0)
            {
                _ = _connectionWindow.TryIncrease(bodyLength);
            }
        }
    }

    /// <summary>
    /// The header table sizes the sender's encoder must take: the smallest since the last call, then the current one
    /// (RFC 7541 section 4.2). Sending thread.
    /// </summary>
    public (int Low, int Size, int Version) TakeHeaderTableChange()
    {
        lock (Lock)
        {
            var low = _headerTableSizeLow;
            _headerTableSizeLow = _headerTableSize;
            return (low, _headerTableSize, _headerTableVersion);
        }
    }

    /// <summary>Waits out a sender that is opening a stream under the lock; see the remarks.</summary>
    public void WaitForStreamsBeingOpened()
    {
        Lock.Enter();
        Lock.Exit();
    }

    /// <summary>A WINDOW_UPDATE on stream 0: credit for the connection (RFC 9113 section 6.9.1). Reader thread.</summary>
    /// <exception cref="Http2ConnectionException">FLOW_CONTROL_ERROR when the window would exceed 2^31-1.</exception>
    public void CreditConnection(int increment)
    {
        lock (Lock)
        {
            if (!_connectionWindow.TryIncrease(increment))
            {
                throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, "WINDOW_UPDATE took the connection window past 2^31-1.");
            }
        }
    }

    /// <summary>A WINDOW_UPDATE on an open stream: credit for that stream (RFC 9113 section 6.9.1). Reader thread.</summary>
    /// <returns>False when the stream is not open here: the update is for a stream already closed.</returns>
    /// <exception cref="Http2StreamException">FLOW_CONTROL_ERROR when the stream's window would exceed 2^31-1.</exception>
    public bool TryCreditStream(int streamId, int increment)
    {
        ref var entry = ref _streams.EntryAt(_streams.IndexOf(streamId));
        lock (Lock)
        {
            if (Volatile.Read(ref entry.State) != StreamEntry.Open || entry.StreamId != streamId)
            {
                return false;
            }

            if (!entry.SendWindow.TryIncrease(increment))
            {
                throw new Http2StreamException(streamId, Http2ErrorCode.FlowControlError, "WINDOW_UPDATE took a stream window past 2^31-1.");
            }
        }

        return true;
    }

    /// <summary>
    /// Takes the peer's SETTINGS in: the initial window moves every open stream's window by the difference, below
    /// zero if need be (RFC 9113 section 6.9.2); the frame size and header table size are the sender's from now on.
    /// Reader thread.
    /// </summary>
    /// <param name="settings">The peer's settings with this frame applied.</param>
    /// <param name="headerTableSizeLow">The smallest header table size this frame named, int.MaxValue when none.</param>
    /// <exception cref="Http2ConnectionException">FLOW_CONTROL_ERROR when a stream window would exceed 2^31-1.</exception>
    public void Apply(Http2PeerSettings settings, int headerTableSizeLow)
    {
        lock (Lock)
        {
            ApplyInitialWindowUnderLock(settings.InitialWindowSize);
            _maxFrameSize = settings.MaxFrameSize;
            if (headerTableSizeLow != int.MaxValue)
            {
                var tableSize = EncoderTableSize(settings.HeaderTableSize);
                _headerTableSizeLow = Math.Min(Math.Min(_headerTableSizeLow, headerTableSizeLow), tableSize);
                _headerTableSize = tableSize;
                Volatile.Write(ref _headerTableVersion, _headerTableVersion + 1);
            }
        }

        Volatile.Write(ref _maxConcurrentStreams, (int)Math.Min(settings.MaxConcurrentStreams, int.MaxValue));
    }

    /// <summary>Our encoder never uses more than its default table, whatever larger size the peer allows.</summary>
    public static int EncoderTableSize(uint peerHeaderTableSize) => (int)Math.Min(peerHeaderTableSize, HPackEncoder.DefaultMaxTableSize);

    private void ApplyInitialWindowUnderLock(int initialWindow)
    {
        Debug.Assert(Lock.IsHeldByCurrentThread);
        var delta = initialWindow - _initialWindow;
        if (delta == 0)
        {
            return;
        }

        // Entries are published Open under this lock, so no stream can open between this loop and the new value.
        for (var i = 0; i < _streams.Length; i++)
        {
            ref var entry = ref _streams.EntryAt(i);
            if (Volatile.Read(ref entry.State) == StreamEntry.Open && !entry.SendWindow.TryAdjustInitial(delta))
            {
                throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, "SETTINGS_INITIAL_WINDOW_SIZE took a stream window past 2^31-1.");
            }
        }

        _initialWindow = initialWindow;
    }
}
