namespace Oms.Transport.Connections;

/// <summary>
/// Where a connection is in its life: open (new streams may start), draining (GOAWAY received or stream ids used up:
/// the streams already open finish, no new one starts), or closed. It only ever moves forward.
/// </summary>
/// <remarks>
/// Read by every thread without a lock. The sending thread checks it before it opens a stream and again under the
/// peer limits' lock; whoever moves it to draining or closed then takes that lock once, so every stream is either
/// seen by what follows (failing open streams) or never opened.
/// </remarks>
internal sealed class ConnectionState
{
    private const int Open = 0;
    private const int Draining = 1;
    private const int Closed = 2;

    private readonly TaskCompletionSource _leftOpen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;

    public bool IsOpen => Volatile.Read(ref _state) == Open;

    public bool IsDraining => Volatile.Read(ref _state) == Draining;

    public bool IsClosed => Volatile.Read(ref _state) == Closed;

    /// <summary>True once stream ids ran out (RFC 9113 section 5.1.1): a retirement of our own, never the peer's fault.</summary>
    public bool RanOutOfStreamIds { get; private set; }

    /// <summary>Completes when the connection stops being open, for whatever reason.</summary>
    public Task LeftOpen => _leftOpen.Task;

    /// <summary>Open to draining; false when it was not open.</summary>
    public bool TryDrain()
    {
        if (Interlocked.CompareExchange(ref _state, Draining, Open) != Open)
        {
            return false;
        }

        _leftOpen.TrySetResult();
        return true;
    }

    /// <summary>Open to draining because the last stream id was used; sending thread.</summary>
    public void DrainForStreamIds()
    {
        RanOutOfStreamIds = true;
        TryDrain();
    }

    /// <summary>Closes; returns false when it was closed already, and says whether it was draining.</summary>
    public bool TryClose(out bool wasDraining)
    {
        var previous = Interlocked.Exchange(ref _state, Closed);
        wasDraining = previous == Draining;
        if (previous == Closed)
        {
            return false;
        }

        _leftOpen.TrySetResult();
        return true;
    }
}
