namespace Oms.Transport.Tests.Http2;

/// <summary>Frame octets for the frame reader and writer tests: buffers to write into, an independent parse, one frame read back.</summary>
internal static class FrameBytes
{
    // Octets past a frame's end that a writer must leave as they were.
    internal const int Slack = 4;

    // RFC 9113 section 4.2: the initial SETTINGS_MAX_FRAME_SIZE, the limit the reader tests read with.
    internal const uint MaxFrameSize = 16_384;

    internal delegate bool FrameWrite(Span<byte> destination, out int bytesWritten);

    // Parses concatenated frames with the independent byte layout of RFC 9113 section 4.1.
    internal static List<(Http2FrameHeader Header, byte[] Payload)> ParseFrames(byte[] bytes)
    {
        var frames = new List<(Http2FrameHeader, byte[])>();
        int offset = 0;
        while (offset < bytes.Length)
        {
            int length = (bytes[offset] << 16) | (bytes[offset + 1] << 8) | bytes[offset + 2];
            int stream = ((bytes[offset + 5] & 0x7F) << 24) | (bytes[offset + 6] << 16) | (bytes[offset + 7] << 8) | bytes[offset + 8];
            var header = new Http2FrameHeader(length, (Http2FrameType)bytes[offset + 3], (Http2FrameFlags)bytes[offset + 4], stream);
            frames.Add((header, bytes.AsSpan(offset + 9, length).ToArray()));
            offset += 9 + length;
        }

        return frames;
    }

    internal static void AssertWritten(byte[] buffer, byte[] expected, int bytesWritten)
    {
        Assert.Equal(expected.Length, bytesWritten);
        Assert.Equal(expected, buffer.AsSpan(0, bytesWritten).ToArray());
        Assert.All(buffer.AsSpan(bytesWritten).ToArray(), b => Assert.Equal(0xFF, b));
    }

    internal static byte[] Write(FrameWrite write)
    {
        byte[] buffer = new byte[1024];
        Assert.True(write(buffer, out int length));
        return buffer[..length];
    }

    internal static (Http2FrameHeader Header, ReadOnlySequence<byte> Payload) ReadSingle(byte[] frame, int segmentSize)
    {
        ReadOnlySequence<byte> buffer = SegmentedSequence.Split(frame, segmentSize);
        Assert.True(Http2FrameReader.TryReadFrame(ref buffer, MaxFrameSize, out Http2FrameHeader header, out ReadOnlySequence<byte> payload));
        Assert.True(buffer.IsEmpty);
        return (header, payload);
    }
}
