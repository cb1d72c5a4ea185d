using System.Text;
using Oms.Transport.HPack;
using Oms.Transport.Http2;

namespace Oms.Benchmarks.Support;

/// <summary>
/// Reads back what one cancel step wrote (HEADERS then DATA) and checks it field by field, so the consumer-step
/// and framing benchmarks are known to time a request the venue would accept.
/// </summary>
internal static class CancelStepVerifier
{
    /// <summary>Checks one request's frames.</summary>
    /// <param name="wire">The octets written, starting with the HEADERS frame header.</param>
    /// <param name="streamId">The stream both frames must carry.</param>
    /// <param name="decoder">A decoder whose dynamic table matches the encoder's (it has decoded the connection's earlier blocks).</param>
    /// <param name="expectedHeaders">The header list the block must decode to, in order.</param>
    /// <param name="expectedBody">The DATA frame's payload.</param>
    /// <exception cref="InvalidOperationException">Anything differs.</exception>
    public static void VerifyRequest(
        ReadOnlySpan<byte> wire, int streamId, HPackDecoder decoder, IReadOnlyList<KeyValuePair<string, string>> expectedHeaders, string expectedBody)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(expectedHeaders);
        BenchmarkCheck.That(Http2FrameHeader.TryRead(wire, out Http2FrameHeader headers), "a HEADERS frame header");
        BenchmarkCheck.Equal(Http2FrameType.Headers, headers.Type, "first frame type");
        BenchmarkCheck.Equal(Http2FrameFlags.EndHeaders, headers.Flags, "HEADERS flags");
        BenchmarkCheck.Equal(streamId, headers.StreamId, "HEADERS stream");

        var recorder = new HeaderListRecorder();
        decoder.Decode(wire.Slice(Http2FrameHeader.Size, headers.PayloadLength), endHeaders: true, recorder);
        BenchmarkCheck.Equal(Render(expectedHeaders), Render(recorder.Headers), "decoded header list");

        ReadOnlySpan<byte> rest = wire[(Http2FrameHeader.Size + headers.PayloadLength)..];
        BenchmarkCheck.That(Http2FrameHeader.TryRead(rest, out Http2FrameHeader data), "a DATA frame header");
        BenchmarkCheck.Equal(Http2FrameType.Data, data.Type, "second frame type");
        BenchmarkCheck.Equal(Http2FrameFlags.EndStream, data.Flags, "DATA flags");
        BenchmarkCheck.Equal(streamId, data.StreamId, "DATA stream");
        BenchmarkCheck.Equal(rest.Length, Http2FrameHeader.Size + data.PayloadLength, "octets after the DATA frame");
        BenchmarkCheck.Equal(expectedBody, Encoding.UTF8.GetString(rest.Slice(Http2FrameHeader.Size, data.PayloadLength)), "DATA payload");
    }

    /// <summary>The header list a cancel request carries, in the order the connection writes it.</summary>
    /// <param name="authority">The <c>:authority</c> value.</param>
    /// <param name="path">The <c>:path</c> value.</param>
    /// <param name="timestamp">The <c>x-auth-timestamp</c> value.</param>
    /// <param name="signature">The <c>x-auth-signature</c> value.</param>
    /// <returns>The fields, pseudo-headers first.</returns>
    public static IReadOnlyList<KeyValuePair<string, string>> CancelHeaders(string authority, string path, string timestamp, string signature) =>
    [
        new(":method", "DELETE"),
        new(":scheme", "http"),
        new(":authority", authority),
        new(":path", path),
        new("content-type", "application/json"),
        new("x-auth-key", Fixtures.ApiKey),
        new("x-auth-timestamp", timestamp),
        new("x-auth-signature", signature),
    ];

    private static string Render(IEnumerable<KeyValuePair<string, string>> headers) =>
        string.Join("\n", headers.Select(h => h.Key + ": " + h.Value));
}
