namespace Oms.Testing.RawPeer;

/// <summary>
/// Endless bodies (<see cref="RawPeerReply.EndlessBody"/>) for one raw peer connection: DATA on every pumped stream,
/// round robin, as far as the client's flow-control credit allows (RFC 9113 section 6.9), which this tracks from the
/// client's SETTINGS_INITIAL_WINDOW_SIZE and WINDOW_UPDATE frames.
/// </summary>
/// <remarks>The reading thread reports the client's frames; a thread of the pump's own sends, started with the first stream.</remarks>
internal sealed class EndlessBodyPump(string threadName, Func<bool> connectionOpen, Action<ReadOnlySpan<byte>> send)
{
    private const int ChunkSize = 16_384;

    private readonly Lock _lock = new();
    private readonly Dictionary<int, long> _streams = [];
    private long _connectionWindow = 65_535;
    private long _initialStreamWindow = 65_535;
    private Thread? _thread;

    /// <summary>Starts pumping <paramref name="streamId"/> with the client's initial stream window.</summary>
    public void Add(int streamId)
    {
        lock (_lock)
        {
            _streams[streamId] = _initialStreamWindow;
            if (_thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = threadName };
                _thread.Start();
            }
        }
    }

    /// <summary>The client reset the stream: stops pumping it.</summary>
    public void Remove(int streamId)
    {
        lock (_lock)
        {
            _streams.Remove(streamId);
        }
    }

    /// <summary>The client's SETTINGS_INITIAL_WINDOW_SIZE, for streams pumped from now on.</summary>
    public void OnInitialWindowSize(uint size)
    {
        lock (_lock)
        {
            _initialStreamWindow = size;
        }
    }

    /// <summary>The client's WINDOW_UPDATE: credit for the connection (stream 0) or a pumped stream.</summary>
    public void OnWindowUpdate(int streamId, int increment)
    {
        lock (_lock)
        {
            if (streamId == 0)
            {
                _connectionWindow += increment;
            }
            else if (_streams.TryGetValue(streamId, out var window))
            {
                _streams[streamId] = window + increment;
            }
        }
    }

    /// <summary>Waits for the pump's thread, which ends with the connection; false when it did not in time.</summary>
    public bool Join(TimeSpan timeout)
    {
        Thread? thread;
        lock (_lock)
        {
            thread = _thread;
        }

        return thread is not { IsAlive: true } || thread.Join(timeout);
    }

    private void Run()
    {
        var chunk = new byte[RawFrame.HeaderSize + ChunkSize];
        chunk.AsSpan(RawFrame.HeaderSize).Fill((byte)'x');
        var streams = new List<int>();
        while (connectionOpen())
        {
            var sent = false;
            lock (_lock)
            {
                streams.Clear();
                streams.AddRange(_streams.Keys);
            }

            foreach (var streamId in streams)
            {
                var length = TakeCredit(streamId);
                if (length > 0)
                {
                    RawFrame.WriteHeader(chunk, length, PeerFrames.Data, 0, (uint)streamId);
                    send(chunk.AsSpan(0, RawFrame.HeaderSize + length));
                    sent = true;
                }
            }

            if (!sent)
            {
                Thread.Sleep(1);
            }
        }
    }

    private int TakeCredit(int streamId)
    {
        lock (_lock)
        {
            if (!_streams.TryGetValue(streamId, out var streamWindow))
            {
                return 0;
            }

            var length = (int)Math.Min(ChunkSize, Math.Min(streamWindow, _connectionWindow));
            if (length <= 0)
            {
                return 0;
            }

            _streams[streamId] = streamWindow - length;
            _connectionWindow -= length;
            return length;
        }
    }
}
