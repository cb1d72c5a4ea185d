using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Oms.Testing.RawPeer;

/// <summary>
/// A scripted HTTP/2 server on a loopback socket that speaks just enough of the protocol to serve the client, and
/// misbehaves exactly when a test says so.
/// </summary>
/// <remarks>
/// <para>Per connection: reads the client preface, sends SETTINGS (from <see cref="RawPeerOptions.Settings"/>) and a
/// large connection WINDOW_UPDATE, acknowledges SETTINGS and PINGs, and answers every request stream as
/// <see cref="RawPeerOptions.Reply"/> decides: by default HEADERS <c>0x88</c> (indexed <c>:status 200</c>) plus one
/// DATA frame with END_STREAM. Tests inject any bytes with <see cref="RawPeerConnection.Send"/> and observe the
/// client's control frames in <see cref="RawPeerConnection.Frames"/>.</para>
/// <para>Threads: one accept thread and one thread per connection, all background threads that end when the peer
/// is disposed (joined within a few seconds).</para>
/// </remarks>
internal sealed class RawHttp2Peer : IDisposable
{
    private readonly Socket _listener;
    private readonly RawPeerOptions _options;
    private readonly Thread _acceptThread;
    private readonly List<RawPeerConnection> _connections = [];
    private readonly Lock _lock = new();
    private int _closedOnAccept;
    private int _disposed;

    private RawHttp2Peer(RawPeerOptions options)
    {
        _options = options;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _acceptThread = new Thread(AcceptLoop) { IsBackground = true, Name = "raw-h2-peer-accept" };
    }

    public int Port { get; }

    public Uri BaseUri => new("http://127.0.0.1:" + Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Connections accepted so far.</summary>
    public int ConnectionCount
    {
        get
        {
            lock (_lock)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>Connections closed on accept because of <see cref="RawPeerOptions.CloseFirstConnections"/>.</summary>
    public int ClosedOnAccept => Volatile.Read(ref _closedOnAccept);

    public static RawHttp2Peer Start(RawPeerOptions? options = null)
    {
        var peer = new RawHttp2Peer(options ?? new RawPeerOptions());
        peer._acceptThread.Start();
        return peer;
    }

    /// <summary>The connection accepted <paramref name="index"/>-th (from 0), once it exists; fails the test after the timeout.</summary>
    public async Task<RawPeerConnection> ConnectionAsync(int index, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)((timeout ?? TimeSpan.FromSeconds(10)).TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            lock (_lock)
            {
                if (_connections.Count > index)
                {
                    return _connections[index];
                }
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"the raw peer did not accept connection {index} in time");
            }

            await Task.Delay(5);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _listener.Close();
        if (!_acceptThread.Join(TimeSpan.FromSeconds(5)))
        {
            throw new InvalidOperationException("the raw peer's accept thread did not stop within 5 s");
        }

        RawPeerConnection[] connections;
        lock (_lock)
        {
            connections = [.. _connections];
        }

        foreach (var connection in connections)
        {
            connection.Dispose();
        }
    }

    private void AcceptLoop()
    {
        try
        {
            while (true)
            {
                var socket = _listener.Accept();
                if (Volatile.Read(ref _closedOnAccept) < _options.CloseFirstConnections)
                {
                    Interlocked.Increment(ref _closedOnAccept);
                    socket.Close();
                    continue;
                }

                socket.NoDelay = true;
                RawPeerConnection connection;
                lock (_lock)
                {
                    connection = new RawPeerConnection(socket, _options, _connections.Count);
                    _connections.Add(connection);
                }

                connection.Start();
                if (Volatile.Read(ref _disposed) != 0)
                {
                    connection.Dispose();
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The listener was closed: the peer is stopping.
        }
    }
}
