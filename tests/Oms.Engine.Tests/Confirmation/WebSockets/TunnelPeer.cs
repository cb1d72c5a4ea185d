using System.Net;
using System.Net.Sockets;
using Oms.Transport.HPack;

namespace Oms.Engine.Tests.Confirmation.WebSockets;

/// <summary>
/// A venue for the tunnel's tests on raw loopback sockets: HTTP/2 built with the raw peer's own frame code, WebSocket
/// frames with <see cref="ServerFrames"/>. Each connection runs the test's script on a thread of its own; a connection
/// that opens with an HTTP/1.1 request line instead of the HTTP/2 preface is recorded and closed. Disposing it closes
/// every socket and joins every thread within seconds.
/// </summary>
internal sealed class TunnelPeer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Action<TunnelPeerConnection> _script;
    private readonly Thread _accepting;
    private readonly ConcurrentQueue<Thread> _threads = new();
    private readonly ConcurrentQueue<TunnelPeerConnection> _connections = new();

    private TunnelPeer(Action<TunnelPeerConnection> script)
    {
        _script = script;
        _listener.Start();
        _accepting = new Thread(Accept) { IsBackground = true, Name = "tunnel-peer" };
        _accepting.Start();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Uri BaseUri => new($"http://127.0.0.1:{Port}");

    /// <summary>Connections that spoke HTTP/2, in order.</summary>
    public IReadOnlyList<TunnelPeerConnection> Connections => [.. _connections];

    /// <summary>The head (request line and headers) of every HTTP/1.1 request received.</summary>
    public ConcurrentQueue<string> Http11Requests { get; } = new();

    public static TunnelPeer Start(Action<TunnelPeerConnection> script) => new(script);

    public void Dispose()
    {
        _listener.Stop();
        foreach (var connection in _connections)
        {
            connection.Close();
        }

        Assert.True(_accepting.Join(TimeSpan.FromSeconds(5)), "The peer's accept thread did not end.");
        foreach (var thread in _threads)
        {
            Assert.True(thread.Join(TimeSpan.FromSeconds(5)), "A peer connection's thread did not end.");
        }
    }

    private void Accept()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = _listener.AcceptSocket();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var thread = new Thread(() => Serve(socket)) { IsBackground = true, Name = "tunnel-peer-connection" };
            _threads.Enqueue(thread);
            thread.Start();
        }
    }

    private void Serve(Socket socket)
    {
        var connection = new TunnelPeerConnection(socket);
        try
        {
            byte[] start = connection.ReadExactly(24);
            if (!start.AsSpan().SequenceEqual("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8))
            {
                Http11Requests.Enqueue(Encoding.ASCII.GetString(start) + connection.ReadHttp11Head());
                return;
            }

            _connections.Enqueue(connection);
            connection.StartReading();
            _script(connection);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or TimeoutException or InvalidOperationException)
        {
            // The client went away or the test is over.
        }
        finally
        {
            connection.Close();
        }
    }
}

/// <summary>One HTTP/2 connection of the <see cref="TunnelPeer"/>: what the client sent, and the venue's side of the tunnel.</summary>
internal sealed class TunnelPeerConnection(Socket socket)
{
    public const int StreamId = 1;
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);
    private readonly BlockingCollection<ReceivedFrame> _frames = [];
    private readonly ConcurrentQueue<ReceivedFrame> _seen = new();
    private readonly List<byte> _webSocketBytes = [];
    private readonly Lock _send = new();
    private long _connectionWindow = 65_535;
    private long _streamWindow = 65_535;
    private Thread? _reader;

    /// <summary>Every frame the client sent, in order, once read.</summary>
    public IReadOnlyList<ReceivedFrame> Seen => [.. _seen];

    /// <summary>The sum of the client's WINDOW_UPDATE increments on a stream (0: the connection).</summary>
    public long Credited(int streamId) => _seen.Where(f => f.Type == PeerFrames.WindowUpdate && f.StreamId == streamId).Sum(f => (long)RawFrame.ReadU32(f.Payload));

    public void Send(byte[] bytes)
    {
        lock (_send)
        {
            socket.Send(bytes);
        }
    }

    /// <summary>SETTINGS (with or without ENABLE_CONNECT_PROTOCOL) and, when enabled, the answer to the client's CONNECT.</summary>
    /// <param name="statusBlock">The answer's header block; <c>:status 200</c> by default.</param>
    /// <returns>The client's CONNECT, decoded, or null when none was asked for.</returns>
    public List<(string Name, string Value)>? Accept(bool enableConnect = true, byte[]? statusBlock = null)
    {
        Send(enableConnect
            ? PeerFrames.SettingsFrame(((Oms.Transport.Http2.Http2SettingsParameter)0x8, 1))
            : PeerFrames.SettingsFrame());
        if (!enableConnect)
        {
            return null;
        }

        var headers = Next(f => f.Type == PeerFrames.Headers);
        Send(PeerFrames.HeadersFrame(StreamId, statusBlock ?? [0x88]));
        return Decode(headers.Payload);
    }

    /// <summary>A WebSocket text message in one DATA frame, sent within the client's flow-control windows (waiting for its credit).</summary>
    public void SendText(string text) => SendData(ServerFrames.TextFrame(text));

    public void SendData(byte[] data, byte flags = 0)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(s_wait.TotalSeconds * Stopwatch.Frequency);
        while (Interlocked.Read(ref _connectionWindow) < data.Length || Interlocked.Read(ref _streamWindow) < data.Length)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException("the client gave no flow-control credit");
            }

            Thread.Sleep(1);
        }

        Interlocked.Add(ref _connectionWindow, -data.Length);
        Interlocked.Add(ref _streamWindow, -data.Length);
        Send(PeerFrames.DataFrame(StreamId, data, flags));
    }

    /// <summary>The next WebSocket frame the client sent on the tunnel.</summary>
    public ClientWebSocketFrame NextWebSocketFrame()
    {
        while (true)
        {
            byte[] bytes = [.. _webSocketBytes];
            if (ServerFrames.TryReadClientFrame(bytes, out var frame, out int consumed))
            {
                _webSocketBytes.RemoveRange(0, consumed);
                return frame;
            }

            _webSocketBytes.AddRange(Next(f => f.Type == PeerFrames.Data).Payload);
        }
    }

    /// <summary>The next frame the client sent that <paramref name="match"/> accepts, skipping the others.</summary>
    public ReceivedFrame Next(Func<ReceivedFrame, bool> match)
    {
        while (true)
        {
            if (!_frames.TryTake(out var frame, s_wait))
            {
                throw new TimeoutException("the client sent no such frame");
            }

            if (match(frame))
            {
                return frame;
            }
        }
    }

    /// <summary>Waits until the client closes the connection (or the wait runs out).</summary>
    public bool WaitClosed() => _reader?.Join(s_wait) ?? true;

    public void Close()
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        socket.Dispose();
        _reader?.Join(TimeSpan.FromSeconds(5));
    }

    internal byte[] ReadExactly(int count)
    {
        var bytes = new byte[count];
        socket.ReceiveTimeout = (int)s_wait.TotalMilliseconds;
        int read = 0;
        while (read < count)
        {
            int n = socket.Receive(bytes, read, count - read, SocketFlags.None);
            if (n == 0)
            {
                throw new IOException("closed");
            }

            read += n;
        }

        return bytes;
    }

    internal string ReadHttp11Head()
    {
        var head = new StringBuilder();
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            head.Append((char)ReadExactly(1)[0]);
        }

        return head.ToString();
    }

    internal void StartReading()
    {
        _reader = new Thread(ReadFrames) { IsBackground = true, Name = "tunnel-peer-reader" };
        _reader.Start();
    }

    private static List<(string, string)> Decode(byte[] block)
    {
        var fields = new FieldList();
        new HPackDecoder(16 * 1024).Decode(block, endHeaders: true, fields);
        return fields.Fields;
    }

    private void ReadFrames()
    {
        var buffer = new List<byte>();
        var chunk = new byte[64 * 1024];
        try
        {
            socket.ReceiveTimeout = 0;
            while (true)
            {
                int n = socket.Receive(chunk);
                if (n == 0)
                {
                    return;
                }

                buffer.AddRange(chunk.AsSpan(0, n));
                byte[] pending = [.. buffer];
                int used = 0;
                while (ClientFrame.TryRead(pending.AsSpan(used), out var frame, out int consumed))
                {
                    var copy = new ReceivedFrame(frame.Type, frame.Flags, frame.StreamId, frame.Payload.ToArray());
                    used += consumed;
                    OnFrame(copy);
                }

                buffer.RemoveRange(0, used);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            _frames.CompleteAdding();
        }
    }

    private void OnFrame(ReceivedFrame frame)
    {
        _seen.Enqueue(frame);
        if (frame.Type == PeerFrames.WindowUpdate)
        {
            Interlocked.Add(ref frame.StreamId == 0 ? ref _connectionWindow : ref _streamWindow, RawFrame.ReadU32(frame.Payload));
        }
        else if (frame.Type == PeerFrames.Settings && (frame.Flags & PeerFrames.Ack) == 0)
        {
            for (int i = 0; i + 6 <= frame.Payload.Length; i += 6)
            {
                if (((frame.Payload[i] << 8) | frame.Payload[i + 1]) == 0x4)
                {
                    Interlocked.Add(ref _streamWindow, RawFrame.ReadU32(frame.Payload.AsSpan(i + 2)) - 65_535);
                }
            }
        }
        else if (frame.Type == PeerFrames.Ping && (frame.Flags & PeerFrames.Ack) == 0)
        {
            return;
        }

        _frames.Add(frame);
    }

    private sealed class FieldList : IHPackHeaderHandler
    {
        public List<(string, string)> Fields { get; } = [];

        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
            Fields.Add((Encoding.ASCII.GetString(name), Encoding.ASCII.GetString(value)));
    }
}

internal sealed record ReceivedFrame(byte Type, byte Flags, int StreamId, byte[] Payload);
