using System.Net.Sockets;
using Oms.Transport.Http2;

namespace Oms.Testing.RawPeer;

/// <summary>
/// What one raw peer connection sends: frames gathered in a buffer allocated once and flushed to the socket in one
/// write, and raw bytes a test injects.
/// </summary>
/// <remarks>
/// The reading thread answers, tests inject and the endless-body pump sends, so every write happens under
/// <see cref="Lock"/>: the methods named <c>...UnderLock</c> expect the caller to hold it.
/// </remarks>
internal sealed class PeerOutput(Socket socket, int size)
{
    private readonly byte[] _buffer = new byte[size];
    private int _length;

    /// <summary>Guards the buffer and the socket's send side.</summary>
    public Lock Lock { get; } = new();

    /// <summary>Gathers one frame, flushing first when it would not fit.</summary>
    public void AppendUnderLock(byte type, byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        if (_length + RawFrame.HeaderSize + payload.Length > _buffer.Length)
        {
            FlushUnderLock();
        }

        _length += RawFrame.Write(_buffer.AsSpan(_length), type, flags, streamId, payload);
    }

    // RFC 9113 section 6.5.1, SETTINGS Format:
    //  +-------------------------------+
    //  |       Identifier (16)         |
    //  +-------------------------------+-------------------------------+
    //  |                        Value (32)                             |
    //  +---------------------------------------------------------------+
    /// <summary>Gathers one SETTINGS frame holding <paramref name="settings"/>, without allocating.</summary>
    public void AppendSettingsUnderLock(IReadOnlyList<Http2Setting> settings)
    {
        var length = settings.Count * Http2Setting.Size;
        if (_length + RawFrame.HeaderSize + length > _buffer.Length)
        {
            FlushUnderLock();
        }

        RawFrame.WriteHeader(_buffer.AsSpan(_length), length, PeerFrames.Settings, 0, 0);
        _length += RawFrame.HeaderSize;
        foreach (var setting in settings)
        {
            _buffer[_length] = (byte)((ushort)setting.Parameter >> 8);
            _buffer[_length + 1] = (byte)setting.Parameter;
            RawFrame.WriteU32(_buffer.AsSpan(_length + 2), setting.Value);
            _length += Http2Setting.Size;
        }
    }

    /// <summary>Writes what has been gathered.</summary>
    public void FlushUnderLock()
    {
        if (_length == 0)
        {
            return;
        }

        var length = _length;
        _length = 0;
        SendAllUnderLock(_buffer.AsSpan(0, length));
    }

    /// <summary>Sends after whatever has been gathered, in one piece.</summary>
    public void SendNow(ReadOnlySpan<byte> bytes)
    {
        lock (Lock)
        {
            FlushUnderLock();
            SendAllUnderLock(bytes);
        }
    }

    /// <summary>Sends every byte now, ahead of nothing gathered; false when the client is gone (whatever it did not get no longer matters).</summary>
    public bool SendAllUnderLock(ReadOnlySpan<byte> bytes)
    {
        try
        {
            while (!bytes.IsEmpty)
            {
                bytes = bytes[socket.Send(bytes)..];
            }

            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }
}
