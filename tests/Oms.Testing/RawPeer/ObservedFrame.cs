using Oms.Transport.Http2;

namespace Oms.Testing.RawPeer;

/// <summary>
/// A frame the raw peer received from the client: every frame other than HEADERS, CONTINUATION and DATA, and those too
/// with <see cref="RawPeerOptions.RecordStreamFrames"/>.
/// </summary>
/// <param name="Type">The frame type.</param>
/// <param name="Flags">The flags.</param>
/// <param name="StreamId">The stream.</param>
/// <param name="ErrorCode">RST_STREAM's and GOAWAY's error code; NoError otherwise.</param>
/// <param name="LastStreamId">GOAWAY's last-stream-id; 0 otherwise.</param>
/// <param name="Increment">WINDOW_UPDATE's increment; 0 otherwise.</param>
/// <param name="Opaque">PING's opaque data; 0 otherwise.</param>
/// <param name="Length">The frame's payload length (the Length field of its header).</param>
internal readonly record struct ObservedFrame(
    Http2FrameType Type, Http2FrameFlags Flags, int StreamId, Http2ErrorCode ErrorCode, int LastStreamId, int Increment, ulong Opaque, int Length);
