using System.Buffers.Binary;
using System.Net.Sockets;

namespace Oms.Venue.Tests.Support;

/// <summary>
/// A bare HTTP/2 client for frame-level facts that HttpClient hides (SETTINGS values, GOAWAY's last-stream-id).
/// It sends header blocks as HPACK literals without indexing (RFC 7541 section 6.2.2) and never decodes the
/// server's header blocks: it only needs frame types, flags, stream ids and fixed-format payloads.
/// </summary>
internal sealed class RawHttp2Probe : IAsyncDisposable
{
    public const byte Data = 0x0, Headers = 0x1, RstStream = 0x3, Settings = 0x4, Ping = 0x6, GoAway = 0x7, WindowUpdate = 0x8;
    public const byte EndStream = 0x1, Ack = 0x1, EndHeaders = 0x4;

    private static readonly byte[] s_preface = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private RawHttp2Probe(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<RawHttp2Probe> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var probe = new RawHttp2Probe(socket);
        await probe._stream.WriteAsync(s_preface);
        await probe.WriteFrameAsync(Settings, 0, 0, []);
        return probe;
    }

    public Task SendRequestAsync(int streamId, IReadOnlyList<(string Name, string Value)> headers, byte[] body)
    {
        var block = EncodeHeaderBlock(headers);
        return SendAsync();

        async Task SendAsync()
        {
            await WriteFrameAsync(Headers, EndHeaders, streamId, block);
            await WriteFrameAsync(Data, EndStream, streamId, body);
        }
    }

    /// <summary>Reads the next frame, acknowledging server SETTINGS on the way; null at end of stream.</summary>
    public async Task<RawFrame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        var header = new byte[9];
        if (!await ReadExactlyOrEndAsync(header, cancellationToken))
        {
            return null;
        }

        var length = (header[0] << 16) | (header[1] << 8) | header[2];
        var payload = new byte[length];
        if (length > 0 && !await ReadExactlyOrEndAsync(payload, cancellationToken))
        {
            return null;
        }

        var frame = new RawFrame(header[3], header[4], BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & 0x7FFFFFFF, payload);
        if (frame.Type == Settings && (frame.Flags & Ack) == 0)
        {
            await WriteFrameAsync(Settings, Ack, 0, []);
        }

        return frame;
    }

    /// <summary>Reads frames until one matches, or the connection ends, or the time is up; returns all read.</summary>
    public async Task<List<RawFrame>> ReadUntilAsync(Func<RawFrame, bool> stop, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var frames = new List<RawFrame>();
        try
        {
            while (await ReadFrameAsync(cts.Token) is { } frame)
            {
                frames.Add(frame);
                if (stop(frame))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Time is up: the caller asserts on what arrived.
        }
        catch (IOException)
        {
            // Connection reset: likewise.
        }

        return frames;
    }

    /// <summary>A header block of literals without indexing, new names, no Huffman.</summary>
    public static byte[] EncodeHeaderBlock(IReadOnlyList<(string Name, string Value)> headers)
    {
        var block = new List<byte>();
        foreach (var (name, value) in headers)
        {
            block.Add(0x00);
            WriteString(block, name);
            WriteString(block, value);
        }

        return [.. block];
    }

    /// <summary>RFC 7541 section 5.1 integer with an N-bit prefix; the first byte's high bits come from <paramref name="flags"/>.</summary>
    public static void WriteInteger(List<byte> output, int value, int prefixBits, byte flags)
    {
        var max = (1 << prefixBits) - 1;
        if (value < max)
        {
            output.Add((byte)(flags | value));
            return;
        }

        output.Add((byte)(flags | max));
        value -= max;
        while (value >= 128)
        {
            output.Add((byte)((value % 128) + 128));
            value /= 128;
        }

        output.Add((byte)value);
    }

    private static void WriteString(List<byte> output, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        WriteInteger(output, bytes.Length, 7, 0x00);
        output.AddRange(bytes);
    }

    private async Task WriteFrameAsync(byte type, byte flags, int streamId, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), streamId);
        payload.CopyTo(frame, 9);
        await _stream.WriteAsync(frame);
    }

    private async Task<bool> ReadExactlyOrEndAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await _stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}

/// <summary>One frame as read off the wire.</summary>
internal sealed record RawFrame(byte Type, byte Flags, int StreamId, byte[] Payload)
{
    public int GoAwayLastStreamId => BinaryPrimitives.ReadInt32BigEndian(Payload) & 0x7FFFFFFF;

    public int GoAwayErrorCode => BinaryPrimitives.ReadInt32BigEndian(Payload.AsSpan(4));

    /// <summary>The value of one parameter in a SETTINGS payload, if present.</summary>
    public uint? Setting(ushort id)
    {
        for (var i = 0; i + 6 <= Payload.Length; i += 6)
        {
            if (BinaryPrimitives.ReadUInt16BigEndian(Payload.AsSpan(i)) == id)
            {
                return BinaryPrimitives.ReadUInt32BigEndian(Payload.AsSpan(i + 2));
            }
        }

        return null;
    }
}
