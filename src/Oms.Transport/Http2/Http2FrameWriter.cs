using System.Runtime.CompilerServices;

namespace Oms.Transport.Http2;

/// <summary>
/// Writes the HTTP/2 frames that carry a request (RFC 9113 sections 4.1, 6.1, 6.2 and 6.10): HEADERS, CONTINUATION
/// and DATA, without allocating.
/// </summary>
/// <remarks>
/// The <c>TryWrite*</c> methods write one frame into a caller's span and return <see langword="false"/>, writing
/// nothing useful, when it does not fit. The <c>Write*</c> methods taking an <see cref="IBufferWriter{T}"/>
/// (a <c>PipeWriter</c> on the send path) split content over as many frames as <c>maxFrameSize</c> requires.
/// None of them check flow control: the caller spends send-window credit before writing DATA. The frames that carry
/// no content are <see cref="Http2ControlFrameWriter"/>'s. Stateless and thread-safe; the buffer being written
/// belongs to its single writer.
/// </remarks>
internal static class Http2FrameWriter
{
    /// <summary>
    /// Writes one HEADERS frame carrying <paramref name="fieldBlockFragment"/>, without padding or priority.
    /// </summary>
    /// <remarks>
    /// RFC 9113 section 6.2 (the Pad Length, priority and Padding fields are never written).
    /// <code>
    /// HEADERS Frame {
    ///   Length (24),
    ///   Type (8) = 0x01,
    ///
    ///   Unused Flags (2),
    ///   PRIORITY Flag (1),
    ///   Unused Flag (1),
    ///   PADDED Flag (1),
    ///   END_HEADERS Flag (1),
    ///   Unused Flag (1),
    ///   END_STREAM Flag (1),
    ///
    ///   Reserved (1),
    ///   Stream Identifier (31),
    ///
    ///   [Pad Length (8)],
    ///   [Exclusive (1)],
    ///   [Stream Dependency (31)],
    ///   [Weight (8)],
    ///   Field Block Fragment (..),
    ///   Padding (..2040),
    /// }
    /// </code>
    /// </remarks>
    /// <param name="destination">Where to write.</param>
    /// <param name="streamId">The stream, greater than 0.</param>
    /// <param name="fieldBlockFragment">HPACK-encoded header block (or its first fragment).</param>
    /// <param name="flags">Any of <see cref="Http2FrameFlags.EndStream"/> and <see cref="Http2FrameFlags.EndHeaders"/>.</param>
    /// <param name="bytesWritten">The frame length, or 0 when it does not fit.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A stream of 0, a fragment over 2^24-1 octets, or another flag.</exception>
    public static bool TryWriteHeaders(
        Span<byte> destination, int streamId, ReadOnlySpan<byte> fieldBlockFragment, Http2FrameFlags flags, out int bytesWritten)
    {
        ValidateStreamFrame(streamId, fieldBlockFragment.Length, flags, Http2FrameFlags.EndStream | Http2FrameFlags.EndHeaders);
        return TryWriteFrame(destination, Http2FrameType.Headers, flags, streamId, fieldBlockFragment, out bytesWritten);
    }

    /// <summary>
    /// Writes one CONTINUATION frame carrying the next fragment of a header block.
    /// </summary>
    /// <remarks>
    /// RFC 9113 section 6.10.
    /// <code>
    /// CONTINUATION Frame {
    ///   Length (24),
    ///   Type (8) = 0x09,
    ///
    ///   Unused Flags (5),
    ///   END_HEADERS Flag (1),
    ///   Unused Flags (2),
    ///
    ///   Reserved (1),
    ///   Stream Identifier (31),
    ///
    ///   Field Block Fragment (..),
    /// }
    /// </code>
    /// </remarks>
    /// <param name="destination">Where to write.</param>
    /// <param name="streamId">The stream of the preceding HEADERS, greater than 0.</param>
    /// <param name="fieldBlockFragment">The next fragment of the header block.</param>
    /// <param name="flags"><see cref="Http2FrameFlags.EndHeaders"/> on the last fragment, otherwise none.</param>
    /// <param name="bytesWritten">The frame length, or 0 when it does not fit.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A stream of 0, a fragment over 2^24-1 octets, or another flag.</exception>
    public static bool TryWriteContinuation(
        Span<byte> destination, int streamId, ReadOnlySpan<byte> fieldBlockFragment, Http2FrameFlags flags, out int bytesWritten)
    {
        ValidateStreamFrame(streamId, fieldBlockFragment.Length, flags, Http2FrameFlags.EndHeaders);
        return TryWriteFrame(destination, Http2FrameType.Continuation, flags, streamId, fieldBlockFragment, out bytesWritten);
    }

    /// <summary>
    /// Writes one DATA frame, without padding.
    /// </summary>
    /// <remarks>
    /// RFC 9113 section 6.1 (the Pad Length and Padding fields are never written).
    /// <code>
    /// DATA Frame {
    ///   Length (24),
    ///   Type (8) = 0x00,
    ///
    ///   Unused Flags (4),
    ///   PADDED Flag (1),
    ///   Unused Flags (2),
    ///   END_STREAM Flag (1),
    ///
    ///   Reserved (1),
    ///   Stream Identifier (31),
    ///
    ///   [Pad Length (8)],
    ///   Data (..),
    ///   Padding (..2040),
    /// }
    /// </code>
    /// </remarks>
    /// <param name="destination">Where to write.</param>
    /// <param name="streamId">The stream, greater than 0.</param>
    /// <param name="data">The content octets.</param>
    /// <param name="flags"><see cref="Http2FrameFlags.EndStream"/> on the last frame of the request, otherwise none.</param>
    /// <param name="bytesWritten">The frame length, or 0 when it does not fit.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A stream of 0, data over 2^24-1 octets, or another flag.</exception>
    public static bool TryWriteData(Span<byte> destination, int streamId, ReadOnlySpan<byte> data, Http2FrameFlags flags, out int bytesWritten)
    {
        ValidateStreamFrame(streamId, data.Length, flags, Http2FrameFlags.EndStream);
        return TryWriteFrame(destination, Http2FrameType.Data, flags, streamId, data, out bytesWritten);
    }
    /// <summary>
    /// Writes a whole request: HEADERS (and CONTINUATION frames when <paramref name="headerBlock"/> exceeds
    /// <paramref name="maxFrameSize"/>), then DATA frames with END_STREAM on the last one. An empty
    /// <paramref name="body"/> puts END_STREAM on the HEADERS frame and writes no DATA frame.
    /// </summary>
    /// <remarks>
    /// The hot path of the send side: a small request takes one <see cref="IBufferWriter{T}.GetSpan"/> and one
    /// <see cref="IBufferWriter{T}.Advance"/>. A writer that hands out smaller spans is still served, frame by
    /// frame. The caller must already hold send-window credit for <paramref name="body"/> (RFC 9113 section 6.9)
    /// and the stream must be new: END_STREAM on HEADERS is legal only for a body-less request.
    /// </remarks>
    /// <param name="writer">The connection's output, typically its <c>PipeWriter</c>.</param>
    /// <param name="streamId">A new client stream, greater than 0.</param>
    /// <param name="headerBlock">The complete HPACK-encoded header block.</param>
    /// <param name="body">The request content, possibly empty.</param>
    /// <param name="maxFrameSize">The peer's SETTINGS_MAX_FRAME_SIZE, 1 to 2^24-1.</param>
    /// <returns>The number of octets written.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A stream of 0 or less, or an invalid <paramref name="maxFrameSize"/>.</exception>
    public static int WriteHeadersAndData(
        IBufferWriter<byte> writer, int streamId, ReadOnlySpan<byte> headerBlock, ReadOnlySpan<byte> body, int maxFrameSize)
    {
        bool endStreamOnHeaders = body.IsEmpty;
        return WriteRuns(
            writer, streamId, maxFrameSize, headerBlock, FrameRun.HeaderBlock(endStreamOnHeaders), body, endStreamOnHeaders ? null : FrameRun.Data(endStream: true));
    }

    /// <summary>
    /// Writes a header block as one HEADERS frame followed by as many CONTINUATION frames as
    /// <paramref name="maxFrameSize"/> requires, END_HEADERS on the last one (RFC 9113 sections 4.3 and 6.10).
    /// </summary>
    /// <remarks>
    /// END_STREAM, when asked for, goes on the HEADERS frame: CONTINUATION has no such flag, and the stream
    /// ends with the header block that HEADERS opened (RFC 9113 section 6.2).
    /// </remarks>
    /// <param name="writer">The connection's output.</param>
    /// <param name="streamId">The stream, greater than 0.</param>
    /// <param name="headerBlock">The complete HPACK-encoded header block.</param>
    /// <param name="endStream">Whether the stream ends with this header block.</param>
    /// <param name="maxFrameSize">The peer's SETTINGS_MAX_FRAME_SIZE, 1 to 2^24-1.</param>
    /// <returns>The number of octets written.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A stream of 0 or less, or an invalid <paramref name="maxFrameSize"/>.</exception>
    public static int WriteHeaders(IBufferWriter<byte> writer, int streamId, ReadOnlySpan<byte> headerBlock, bool endStream, int maxFrameSize) =>
        WriteRuns(writer, streamId, maxFrameSize, headerBlock, FrameRun.HeaderBlock(endStream), [], null);

    /// <summary>
    /// Writes <paramref name="data"/> as DATA frames of at most <paramref name="maxFrameSize"/> octets, with
    /// END_STREAM on the last one when <paramref name="endStream"/> is set. Empty data writes one empty frame.
    /// </summary>
    /// <remarks>The caller must already hold send-window credit for <paramref name="data"/> (RFC 9113 section 6.9).</remarks>
    /// <param name="writer">The connection's output.</param>
    /// <param name="streamId">The stream, greater than 0.</param>
    /// <param name="data">The content octets.</param>
    /// <param name="endStream">Whether this is the end of the request.</param>
    /// <param name="maxFrameSize">The peer's SETTINGS_MAX_FRAME_SIZE, 1 to 2^24-1.</param>
    /// <returns>The number of octets written.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A stream of 0 or less, or an invalid <paramref name="maxFrameSize"/>.</exception>
    public static int WriteData(IBufferWriter<byte> writer, int streamId, ReadOnlySpan<byte> data, bool endStream, int maxFrameSize) =>
        WriteRuns(writer, streamId, maxFrameSize, data, FrameRun.Data(endStream), [], null);

    /// <summary>The octets needed to carry <paramref name="contentLength"/> octets in frames of at most <paramref name="maxFrameSize"/>.</summary>
    /// <param name="contentLength">The content to split; 0 still takes one empty frame.</param>
    /// <param name="maxFrameSize">The largest payload per frame, at least 1.</param>
    /// <returns>The payload plus one 9-octet header per frame.</returns>
    internal static long FramedLength(int contentLength, int maxFrameSize)
    {
        long frames = contentLength == 0 ? 1 : ((long)contentLength + maxFrameSize - 1) / maxFrameSize;
        return (frames * Http2FrameHeader.Size) + contentLength;
    }

    // Writes one or two runs of frames (a header block, then possibly a body). When the writer's span holds all of
    // them, they go out with one GetSpan and one Advance; otherwise frame by frame (see FrameSink).
    private static int WriteRuns(
        IBufferWriter<byte> writer, int streamId, int maxFrameSize, ReadOnlySpan<byte> first, FrameRun firstRun, ReadOnlySpan<byte> second, FrameRun? secondRun)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ValidateSplitArguments(streamId, maxFrameSize);

        long total = FramedLength(first.Length, maxFrameSize) + (secondRun is null ? 0 : FramedLength(second.Length, maxFrameSize));
        Span<byte> span = total <= int.MaxValue ? writer.GetSpan((int)total) : [];
        var sink = new FrameSink(writer, span.Length >= total ? span : []);
        WriteRun(ref sink, streamId, first, maxFrameSize, firstRun);
        if (secondRun is { } run)
        {
            WriteRun(ref sink, streamId, second, maxFrameSize, run);
        }

        return sink.Complete();
    }

    // The one place content is cut into frames: the first frame has the run's first type and flags, later ones its
    // next type; the last flags go on the final frame (which may be the first). Empty content still takes one frame.
    private static void WriteRun(ref FrameSink sink, int streamId, ReadOnlySpan<byte> content, int maxFrameSize, FrameRun run)
    {
        Http2FrameType type = run.FirstType;
        Http2FrameFlags flags = run.FirstFlags;
        while (true)
        {
            int chunkLength = Math.Min(content.Length, maxFrameSize);
            bool last = chunkLength == content.Length;
            sink.Write(type, last ? flags | run.LastFlags : flags, streamId, content.Slice(0, chunkLength));
            if (last)
            {
                return;
            }

            content = content.Slice(chunkLength);
            type = run.NextType;
            flags = Http2FrameFlags.None;
        }
    }

    // The slow path, for a writer whose span is smaller than the whole request: if even one frame does not fit a
    // span, it is copied across spans.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WriteFrame(IBufferWriter<byte> writer, Http2FrameType type, Http2FrameFlags flags, int streamId, ReadOnlySpan<byte> payload)
    {
        int frameLength = Http2FrameHeader.Size + payload.Length;
        Span<byte> span = writer.GetSpan(frameLength);
        if (span.Length >= frameLength)
        {
            Http2FrameHeader.Write(span, payload.Length, type, flags, streamId);
            payload.CopyTo(span.Slice(Http2FrameHeader.Size));
            writer.Advance(frameLength);
            return frameLength;
        }

        Span<byte> header = stackalloc byte[Http2FrameHeader.Size];
        Http2FrameHeader.Write(header, payload.Length, type, flags, streamId);
        writer.Write(header);
        writer.Write(payload);
        return frameLength;
    }

    internal static bool TryWriteFrame(
        Span<byte> destination, Http2FrameType type, Http2FrameFlags flags, int streamId, ReadOnlySpan<byte> payload, out int bytesWritten)
    {
        int frameLength = Http2FrameHeader.Size + payload.Length;
        if (destination.Length < frameLength)
        {
            bytesWritten = 0;
            return false;
        }

        Http2FrameHeader.Write(destination, payload.Length, type, flags, streamId);
        payload.CopyTo(destination.Slice(Http2FrameHeader.Size));
        bytesWritten = frameLength;
        return true;
    }

    private static void ValidateStreamFrame(int streamId, int payloadLength, Http2FrameFlags flags, Http2FrameFlags allowedFlags)
    {
        // DATA, HEADERS and CONTINUATION on stream 0 are connection errors at the peer (RFC 9113 sections 6.1, 6.2, 6.10).
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(streamId);
        if (payloadLength > Http2FrameHeader.MaxPayloadLength)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(payloadLength), "The payload does not fit in one frame.");
        }

        if ((flags & ~allowedFlags) != 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(flags), "The flags include one this frame type cannot carry here.");
        }
    }

    private static void ValidateSplitArguments(int streamId, int maxFrameSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(streamId);
        if ((uint)maxFrameSize - 1 >= Http2FrameHeader.MaxPayloadLength)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(maxFrameSize), "The maximum frame size must be between 1 and 2^24-1.");
        }
    }

    // One run of frames: a header block (HEADERS then CONTINUATION, END_STREAM if asked on HEADERS, END_HEADERS on the
    // last) or a body (DATA, END_STREAM if asked on the last).
    private readonly record struct FrameRun(Http2FrameType FirstType, Http2FrameType NextType, Http2FrameFlags FirstFlags, Http2FrameFlags LastFlags)
    {
        public static FrameRun HeaderBlock(bool endStream) =>
            new(Http2FrameType.Headers, Http2FrameType.Continuation, endStream ? Http2FrameFlags.EndStream : Http2FrameFlags.None, Http2FrameFlags.EndHeaders);

        public static FrameRun Data(bool endStream) =>
            new(Http2FrameType.Data, Http2FrameType.Data, Http2FrameFlags.None, endStream ? Http2FrameFlags.EndStream : Http2FrameFlags.None);
    }

    // Where frames go: into the span reserved for all of them, advanced once at the end; or, when the writer's span
    // was too small (reserved is empty), one frame at a time, each asked for separately.
    private ref struct FrameSink
    {
        private readonly IBufferWriter<byte> _writer;
        private readonly Span<byte> _reserved;
        private int _written;

        public FrameSink(IBufferWriter<byte> writer, Span<byte> reserved)
        {
            _writer = writer;
            _reserved = reserved;
        }

        public void Write(Http2FrameType type, Http2FrameFlags flags, int streamId, ReadOnlySpan<byte> payload)
        {
            if (_reserved.IsEmpty)
            {
                _written += WriteFrame(_writer, type, flags, streamId, payload);
                return;
            }

            Span<byte> frame = _reserved.Slice(_written);
            Http2FrameHeader.Write(frame, payload.Length, type, flags, streamId);
            payload.CopyTo(frame.Slice(Http2FrameHeader.Size));
            _written += Http2FrameHeader.Size + payload.Length;
        }

        public readonly int Complete()
        {
            if (!_reserved.IsEmpty)
            {
                _writer.Advance(_written);
            }

            return _written;
        }
    }
}
