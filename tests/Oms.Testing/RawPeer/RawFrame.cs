namespace Oms.Testing.RawPeer;

/// <summary>
/// Builds frame bytes by hand, independently of the code under test, so malformed frames (reserved bits set,
/// wrong lengths, wrong streams) can be fed to the reader.
/// </summary>
public static class RawFrame
{
    /// <summary>A frame whose Length field is the payload's length.</summary>
    public static byte[] Build(byte type, byte flags, uint streamWord, params byte[] payload) =>
        BuildWithLength(payload.Length, type, flags, streamWord, payload);

    /// <summary>A frame whose Length field says <paramref name="length"/>, whatever the payload holds.</summary>
    public static byte[] BuildWithLength(int length, byte type, byte flags, uint streamWord, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(length >> 16);
        frame[1] = (byte)(length >> 8);
        frame[2] = (byte)length;
        frame[3] = type;
        frame[4] = flags;
        frame[5] = (byte)(streamWord >> 24);
        frame[6] = (byte)(streamWord >> 16);
        frame[7] = (byte)(streamWord >> 8);
        frame[8] = (byte)streamWord;
        payload.CopyTo(frame, 9);
        return frame;
    }

    /// <summary>A 32-bit value in network byte order.</summary>
    public static byte[] U32(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    /// <summary>One SETTINGS parameter in network byte order.</summary>
    public static byte[] Setting(ushort id, uint value) =>
        [(byte)(id >> 8), (byte)id, (byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
}
