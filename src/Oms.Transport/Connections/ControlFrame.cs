namespace Oms.Transport.Connections;

/// <summary>A control frame queued by a thread that does not own the write side, written by whoever holds it next.</summary>
internal readonly record struct ControlFrame(Http2FrameType Type, int StreamId, long Value, bool Ack)
{
    public static ControlFrame SettingsAck() => new(Http2FrameType.Settings, 0, 0, true);

    public static ControlFrame Ping(long payload) => new(Http2FrameType.Ping, 0, payload, false);

    public static ControlFrame PingAck(long payload) => new(Http2FrameType.Ping, 0, payload, true);

    public static ControlFrame WindowUpdate(int streamId, int increment) => new(Http2FrameType.WindowUpdate, streamId, increment, false);

    public static ControlFrame Reset(int streamId, Http2ErrorCode code) => new(Http2FrameType.RstStream, streamId, (long)code, false);

    public static ControlFrame GoAway(Http2ErrorCode code) => new(Http2FrameType.GoAway, 0, (long)code, false);
}
