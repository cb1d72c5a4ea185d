using Oms.Transport.Connections;

namespace Oms.Testing.Polling;

/// <summary>
/// A reader a socket poller drives in tests: each call records the thread it ran on and drains the socket the way a
/// connection's reader does (<see cref="SocketPoller.ReceiveAvailable"/>), keeping the bytes and whether the stream ended.
/// </summary>
/// <remarks>Written on the poller's owner thread only; read it after that thread has stopped or between its passes.</remarks>
internal sealed class RecordingPolledReader(nint fileDescriptor) : IPolledReader
{
    private readonly List<byte> _received = [];
    private int _calls;

    /// <summary>Calls of <see cref="OnReadable"/> so far.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>The managed id of the thread of the last call; 0 before the first.</summary>
    public int LastThreadId { get; private set; }

    /// <summary>True once a read returned the end of the stream.</summary>
    public bool SawEnd { get; private set; }

    /// <summary>Every byte read so far, in order.</summary>
    public byte[] Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Runs at the start of each call, before anything is read (a test holds the reader inside with it).</summary>
    public Action? OnEnter { get; init; }

    public void OnReadable()
    {
        LastThreadId = Environment.CurrentManagedThreadId;
        Interlocked.Increment(ref _calls);
        OnEnter?.Invoke();
        Span<byte> buffer = stackalloc byte[256];
        while (true)
        {
            var received = SocketPoller.ReceiveAvailable(fileDescriptor, buffer);
            if (received < 0)
            {
                return;
            }

            if (received == 0)
            {
                SawEnd = true;
                return;
            }

            lock (_received)
            {
                _received.AddRange(buffer[..received]);
            }
        }
    }
}
