namespace Oms.Testing.RawPeer;

/// <summary>
/// Builds frame bytes by hand, independently of the code under test, so malformed frames (reserved bits set,
/// wrong lengths, wrong streams) can be fed to the reader, and the raw peer's own frames owe nothing to the
/// transport's writer.
/// </summary>
internal static class RawFrame
{
    /// <summary>The frame header's size (RFC 9113 section 4.1).</summary>
    public const int HeaderSize = 9;

    /// <summary>A frame whose Length field is the payload's length.</summary>
    public static byte[] Build(byte type, byte flags, uint streamWord, params byte[] payload) =>
        BuildWithLength(payload.Length, type, flags, streamWord, payload);

    /// <summary>A frame whose Length field says <paramref name="length"/>, whatever the payload holds.</summary>
    public static byte[] BuildWithLength(int length, byte type, byte flags, uint streamWord, byte[] payload)
    {
        var frame = new byte[HeaderSize + payload.Length];
        WriteHeader(frame, length, type, flags, streamWord);
        payload.CopyTo(frame, HeaderSize);
        return frame;
    }

    /// <summary>Writes a whole frame into <paramref name="destination"/>, which must hold it.</summary>
    /// <returns>The bytes written: the header and the payload.</returns>
    public static int Write(Span<byte> destination, byte type, byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        WriteHeader(destination, payload.Length, type, flags, (uint)streamId);
        payload.CopyTo(destination[HeaderSize..]);
        return HeaderSize + payload.Length;
    }

    // RFC 9113 section 4.1, Frame Format:
    //  +-----------------------------------------------+
    //  |                 Length (24)                   |
    //  +---------------+---------------+---------------+
    //  |   Type (8)    |   Flags (8)   |
    //  +-+-------------+---------------+-------------------------------+
    //  |R|                 Stream Identifier (31)                      |
    //  +=+=============================================================+
    //  |                   Frame Payload (0...)                      ...
    //  +---------------------------------------------------------------+
    // The stream word is written as given, reserved bit included, so a test can set it.
    /// <summary>Writes a frame header; <paramref name="streamWord"/> is the whole 32-bit word, R bit included.</summary>
    public static void WriteHeader(Span<byte> destination, int length, byte type, byte flags, uint streamWord)
    {
        destination[0] = (byte)(length >> 16);
        destination[1] = (byte)(length >> 8);
        destination[2] = (byte)length;
        destination[3] = type;
        destination[4] = flags;
        WriteU32(destination[5..], streamWord);
    }

    /// <summary>A 32-bit value in network byte order.</summary>
    public static byte[] U32(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    /// <summary>Writes a 32-bit value in network byte order.</summary>
    public static void WriteU32(Span<byte> destination, uint value)
    {
        destination[0] = (byte)(value >> 24);
        destination[1] = (byte)(value >> 16);
        destination[2] = (byte)(value >> 8);
        destination[3] = (byte)value;
    }

    /// <summary>Reads a 32-bit value in network byte order.</summary>
    public static uint ReadU32(ReadOnlySpan<byte> source) =>
        ((uint)source[0] << 24) | ((uint)source[1] << 16) | ((uint)source[2] << 8) | source[3];

    /// <summary>One SETTINGS parameter in network byte order.</summary>
    public static byte[] Setting(ushort id, uint value) =>
        [(byte)(id >> 8), (byte)id, (byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
}
