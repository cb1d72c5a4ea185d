using Oms.Transport.Http2;

namespace Oms.Testing.RawPeer;

/// <summary>The frames each <see cref="RawPeerReply"/> sends, built by hand with <see cref="RawFrame"/>.</summary>
internal sealed class PeerReplies(PeerOutput output, RawPeerOptions options, EndlessBodyPump pump)
{
    private const byte EndStream = PeerFrames.EndStream, EndHeaders = PeerFrames.EndHeaders;

    // RFC 7541 section 6.1: :status 200 is static table entry 8, one indexed octet.
    private static readonly byte[] s_statusOk = [0x88];

    /// <summary>Writes what <paramref name="reply"/> sends on <paramref name="streamId"/>; the caller holds the output's lock.</summary>
    public void WriteUnderLock(int streamId, RawPeerReply reply)
    {
        switch (reply)
        {
            case RawPeerReply.Hold:
                break;
            case RawPeerReply.Answer:
                AppendAnswer(streamId);
                break;
            case RawPeerReply.ResetRefused:
            case RawPeerReply.ResetCancel:
                var code = reply == RawPeerReply.ResetRefused ? Http2ErrorCode.RefusedStream : Http2ErrorCode.Cancel;
                Span<byte> payload = stackalloc byte[4];
                RawFrame.WriteU32(payload, (uint)code);
                output.AppendUnderLock(PeerFrames.RstStream, 0, streamId, payload);
                break;
            case RawPeerReply.AnswerThenGoAway:
            case RawPeerReply.AnswerThenViolate:
                AppendAnswer(streamId);
                output.FlushUnderLock();
                output.SendAllUnderLock(reply == RawPeerReply.AnswerThenGoAway ? PeerFrames.GoAwayFrame(streamId, Http2ErrorCode.NoError) : PeerFrames.DataFrame(0, [1]));
                break;
            case RawPeerReply.EndlessBody:
                output.AppendUnderLock(PeerFrames.Headers, EndHeaders, streamId, s_statusOk);
                output.FlushUnderLock();
                pump.Add(streamId);
                break;
            case RawPeerReply.EndlessHeaderBlock:
                output.FlushUnderLock();
                var more = output.SendAllUnderLock(PeerFrames.HeadersFrame(streamId, s_statusOk, 0));
                var continuation = PeerFrames.ContinuationFrame(streamId, [], 0);
                for (var i = 0; more && i < 10_000_000; i++)
                {
                    more = output.SendAllUnderLock(continuation);
                }

                break;
            case RawPeerReply.UpperCaseFieldName:
                // RFC 7541 section 6.2.2: a literal without indexing, new name "X-A", value "1".
                output.FlushUnderLock();
                output.SendAllUnderLock(PeerFrames.HeadersFrame(streamId, [0x88, 0x00, 0x03, (byte)'X', (byte)'-', (byte)'A', 0x01, (byte)'1'], PeerFrames.EndHeaders));
                output.SendAllUnderLock(PeerFrames.DataFrame(streamId, options.ResponseBody));
                break;
            case RawPeerReply.HeadersThenClose:
                output.AppendUnderLock(PeerFrames.Headers, EndHeaders, streamId, s_statusOk);
                output.AppendUnderLock(PeerFrames.Data, 0, streamId, options.ResponseBody.AsSpan(0, options.ResponseBody.Length / 2));
                output.FlushUnderLock();
                break;
            default:
                break;
        }
    }

    // RFC 9113 section 8.3.2: HEADERS carrying :status 200, then the body in one DATA frame with END_STREAM.
    private void AppendAnswer(int streamId)
    {
        output.AppendUnderLock(PeerFrames.Headers, EndHeaders, streamId, s_statusOk);
        output.AppendUnderLock(PeerFrames.Data, EndStream, streamId, options.ResponseBody);
    }
}
