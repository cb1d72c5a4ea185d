namespace Oms.Transport.Connections;

/// <summary>
/// What tells a serving connection from a wedged one: answers served, request timeouts since the last answer, the
/// PING in flight, a header block left open, the last GOAWAY. The reader records what arrives; the client's timer
/// judges (<see cref="Http2Connection.OnTimer"/>); the client reads it to route and to decide on reconnect back-off.
/// </summary>
/// <remarks>Every field has one writing thread, or is moved with interlocked operations; readers read it volatile.</remarks>
internal sealed class ConnectionHealth
{
    private readonly long _requestTimeoutTicks;
    private int _consecutiveTimeouts;
    private long _pingSentTicks;
    private long _responsesServed;
    private long _lastResponseTicks;
    private long _headerBlockStartedTicks;
    private int _goAwayCode = -1;

    public ConnectionHealth(TimeSpan requestTimeout) =>
        _requestTimeoutTicks = (long)(requestTimeout.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);

    /// <summary>Responses handed to the handler so far.</summary>
    public long ResponsesServed => Volatile.Read(ref _responsesServed);

    /// <summary>Timeouts counted since the last answer: a connection with any is suspect.</summary>
    public int ConsecutiveTimeouts => Volatile.Read(ref _consecutiveTimeouts);

    /// <summary>When the PING still unanswered went out; 0 when none is.</summary>
    public long PingSentTicks => Volatile.Read(ref _pingSentTicks);

    /// <summary>When the header block being read began; 0 when none is open.</summary>
    public long HeaderBlockStartedTicks => Volatile.Read(ref _headerBlockStartedTicks);

    /// <summary>The error code of the last GOAWAY received, or null when none came.</summary>
    public Http2ErrorCode? GoAwayCode => Volatile.Read(ref _goAwayCode) is var code and >= 0 ? (Http2ErrorCode)code : null;

    /// <summary>A response reached the handler, from bytes read at <paramref name="readTicks"/>; reader thread.</summary>
    public void OnResponse(long readTicks)
    {
        Volatile.Write(ref _responsesServed, _responsesServed + 1);
        Volatile.Write(ref _lastResponseTicks, readTicks);
        if (Volatile.Read(ref _consecutiveTimeouts) != 0)
        {
            Volatile.Write(ref _consecutiveTimeouts, 0);
        }
    }

    /// <summary>A PING of ours was answered; reader thread.</summary>
    public void OnPingAck() => Volatile.Write(ref _pingSentTicks, 0);

    /// <summary>A GOAWAY arrived; reader thread.</summary>
    public void OnGoAway(Http2ErrorCode code) => Volatile.Write(ref _goAwayCode, (int)code);

    /// <summary>A header block began and awaits CONTINUATION (<paramref name="ticks"/>), or ended (0); reader thread.</summary>
    public void OnHeaderBlock(long ticks) => Volatile.Write(ref _headerBlockStartedTicks, ticks);

    /// <summary>
    /// Counts a request timeout against the connection when the stream went out after the connection's last answer:
    /// one it had every chance to answer (a venue that drops a share of requests but answers later ones is not
    /// wedged). Counted before the handler hears of it, so a resend already finds the connection suspect. Timer thread.
    /// </summary>
    /// <returns>True when counted; undo with <see cref="UncountTimeout"/> if the stream was not timed out after all.</returns>
    public bool TryCountTimeout(long deadlineTicks)
    {
        if (deadlineTicks - _requestTimeoutTicks <= Volatile.Read(ref _lastResponseTicks))
        {
            return false;
        }

        Interlocked.Increment(ref _consecutiveTimeouts);
        return true;
    }

    public void UncountTimeout() => Interlocked.Decrement(ref _consecutiveTimeouts);

    /// <summary>Marks a PING sent at <paramref name="nowTicks"/> unless one is in flight; true when the caller must send it.</summary>
    public bool TryStartPing(long nowTicks)
    {
        if (Volatile.Read(ref _pingSentTicks) != 0)
        {
            return false;
        }

        Volatile.Write(ref _pingSentTicks, nowTicks);
        return true;
    }
}
