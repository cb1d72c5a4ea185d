using System.Text;
using Oms.Transport.Http2;

namespace Oms.Testing.RawPeer;

/// <summary>
/// Frames a test injects through the raw peer, built byte by byte with <see cref="RawFrame"/> so they can break any
/// rule the frame writer would refuse to break.
/// </summary>
internal static class PeerFrames
{
    public const byte Data = 0x0, Headers = 0x1, RstStream = 0x3, Settings = 0x4, PushPromise = 0x5, Ping = 0x6, GoAway = 0x7, WindowUpdate = 0x8, Continuation = 0x9;
    public const byte EndStream = 0x1, Ack = 0x1, EndHeaders = 0x4;

    /// <summary>An HTTP/1.1 answer, which read as an HTTP/2 frame header claims a 4.7 MB frame.</summary>
    public static byte[] Garbage() => Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");

    public static byte[] GoAwayFrame(int lastStreamId, Http2ErrorCode code) =>
        RawFrame.Build(GoAway, 0, 0, [.. RawFrame.U32((uint)lastStreamId), .. RawFrame.U32((uint)code)]);

    public static byte[] RstStreamFrame(int streamId, Http2ErrorCode code) =>
        RawFrame.Build(RstStream, 0, (uint)streamId, RawFrame.U32((uint)code));

    public static byte[] PingFrame(ulong opaque, bool ack = false) =>
        RawFrame.Build(Ping, ack ? Ack : (byte)0, 0, [.. RawFrame.U32((uint)(opaque >> 32)), .. RawFrame.U32((uint)opaque)]);

    public static byte[] SettingsFrame(params (Http2SettingsParameter Parameter, uint Value)[] settings) =>
        RawFrame.Build(Settings, 0, 0, [.. settings.SelectMany(s => RawFrame.Setting((ushort)s.Parameter, s.Value))]);

    public static byte[] DataFrame(int streamId, byte[] data, byte flags = EndStream) => RawFrame.Build(Data, flags, (uint)streamId, data);

    public static byte[] HeadersFrame(int streamId, byte[] block, byte flags = EndHeaders) => RawFrame.Build(Headers, flags, (uint)streamId, block);

    public static byte[] ContinuationFrame(int streamId, byte[] block, byte flags = EndHeaders) => RawFrame.Build(Continuation, flags, (uint)streamId, block);

    public static byte[] WindowUpdateFrame(int streamId, uint increment) => RawFrame.Build(WindowUpdate, 0, (uint)streamId, RawFrame.U32(increment));

    /// <summary>PUSH_PROMISE on <paramref name="streamId"/> promising stream <paramref name="promisedStreamId"/> with an indexed <c>:method GET</c>.</summary>
    public static byte[] PushPromiseFrame(int streamId, int promisedStreamId) =>
        RawFrame.Build(PushPromise, EndHeaders, (uint)streamId, [.. RawFrame.U32((uint)promisedStreamId), 0x82]);

    /// <summary>
    /// A response header block of about <paramref name="totalBytes"/> octets: <c>:status 200</c>, then literal
    /// <c>x-filler-N</c> fields without indexing, split into HEADERS and CONTINUATION frames of at most 16,384 octets.
    /// </summary>
    public static byte[] HugeHeaderBlockFrames(int streamId, int totalBytes)
    {
        var block = new List<byte> { 0x88 };
        var value = new string('v', 100);
        for (var i = 0; block.Count < totalBytes; i++)
        {
            var name = "x-filler-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            block.Add(0x00);
            block.Add((byte)name.Length);
            block.AddRange(Encoding.ASCII.GetBytes(name));
            block.Add((byte)value.Length);
            block.AddRange(Encoding.ASCII.GetBytes(value));
        }

        var frames = new List<byte>();
        var bytes = block.ToArray();
        for (var offset = 0; offset < bytes.Length; offset += 16_384)
        {
            var chunk = bytes.AsSpan(offset, Math.Min(16_384, bytes.Length - offset)).ToArray();
            var last = offset + chunk.Length >= bytes.Length;
            var type = offset == 0 ? Headers : Continuation;
            frames.AddRange(RawFrame.Build(type, (byte)((last ? EndHeaders : 0) | (offset == 0 ? EndStream : 0)), (uint)streamId, chunk));
        }

        return [.. frames];
    }
}
