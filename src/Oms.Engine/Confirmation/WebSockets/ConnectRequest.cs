using System.Buffers;
using System.Text;
using Oms.Transport.HPack;
using Oms.Transport.Http2;

namespace Oms.Engine.Confirmation.WebSockets;

/// <summary>The tunnel's one request: an extended CONNECT (RFC 8441 section 4) as HEADERS and any CONTINUATION frames.</summary>
/// <remarks>Once per connection, so it allocates freely; stateless apart from the encoder it is given.</remarks>
internal static class ConnectRequest
{
    /// <summary>The largest header block sent; the signed headers take a few hundred octets.</summary>
    public const int MaxBlockSize = 16 * 1024;

    /// <summary>Encodes the request's header block and frames it for stream <paramref name="streamId"/>, END_STREAM left off.</summary>
    /// <remarks>
    /// RFC 8441 section 4: <c>:method CONNECT</c> with <c>:protocol websocket</c>, and unlike a plain CONNECT also
    /// <c>:scheme</c> and <c>:path</c>; RFC 8441 section 5 keeps <c>sec-websocket-version</c> from RFC 6455.
    /// </remarks>
    /// <param name="encoder">The connection's encoder, its table size already set from the venue's SETTINGS.</param>
    /// <param name="request">The target and the further headers.</param>
    /// <param name="streamId">The new stream.</param>
    /// <param name="maxFrameSize">The venue's SETTINGS_MAX_FRAME_SIZE.</param>
    /// <returns>The frames, ready to write.</returns>
    /// <exception cref="InvalidOperationException">The headers exceed <see cref="MaxBlockSize"/>.</exception>
    public static ReadOnlyMemory<byte> Frame(HPackEncoder encoder, TunnelRequest request, int streamId, int maxFrameSize)
    {
        var block = new byte[MaxBlockSize];
        encoder.TryBeginHeaderBlock(block, out int length);
        length += Encode(encoder, ":method", "CONNECT", HPackIndexing.WithoutIndexing, block.AsSpan(length));
        length += Encode(encoder, ":protocol", "websocket", HPackIndexing.WithoutIndexing, block.AsSpan(length));
        length += Encode(encoder, ":scheme", request.Tls ? "https" : "http", HPackIndexing.WithoutIndexing, block.AsSpan(length));
        length += Encode(encoder, ":path", request.Path, HPackIndexing.WithoutIndexing, block.AsSpan(length));
        length += Encode(encoder, ":authority", request.Authority, HPackIndexing.WithoutIndexing, block.AsSpan(length));
        length += Encode(encoder, "sec-websocket-version", "13", HPackIndexing.WithoutIndexing, block.AsSpan(length));
        foreach (var (name, value) in request.Headers)
        {
            // Never indexed (RFC 7541 section 7.1.3): the key and the signature must not sit in any intermediary's table.
            length += Encode(encoder, name, value, HPackIndexing.NeverIndexed, block.AsSpan(length));
        }

        var frames = new ArrayBufferWriter<byte>();
        Http2FrameWriter.WriteHeaders(frames, streamId, block.AsSpan(0, length), endStream: false, maxFrameSize);
        return frames.WrittenMemory;
    }

    private static int Encode(HPackEncoder encoder, string name, string value, HPackIndexing indexing, Span<byte> destination)
    {
        if (!encoder.TryEncodeHeader(Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(value), indexing, huffman: false, destination, out int written))
        {
            throw new InvalidOperationException("The stream's CONNECT headers exceed the largest header block sent.");
        }

        return written;
    }
}
