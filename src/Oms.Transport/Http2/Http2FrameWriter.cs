using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Oms.Transport.Http2;

/// <summary>
/// Writes whole HTTP/2 frames (RFC 9113 sections 3.4, 4.1 and 6) without allocating.
/// </summary>
/// <remarks>
/// The <c>TryWrite*</c> methods write one frame into a caller's span and return <see langword="false"/>, writing
/// nothing useful, when it does not fit. The <c>Write*</c> methods taking an <see cref="IBufferWriter{T}"/>
/// (a <c>PipeWriter</c> on the send path) split content over as many frames as <c>maxFrameSize</c> requires.
/// None of them check flow control: the caller spends send-window credit before writing DATA.
/// Stateless and thread-safe; the buffer being written belongs to its single writer.
/// </remarks>
internal static class Http2FrameWriter
{
    /// <summary>The length of the client connection preface, in octets.</summary>
    public const int ClientPrefaceLength = 24;

    private const int WindowUpdateFrameLength = Http2FrameHeader.Size + 4;
    private const int RstStreamFrameLength = Http2FrameHeader.Size + 4;
    private const int PingFrameLength = Http2FrameHeader.Size + 8;
    private const int GoAwayFixedLength = 8;

    /// <summary>
    /// The client connection preface, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" (RFC 9113 section 3.4); a SETTINGS frame
    /// must follow it.
    /// </summary>
    public static ReadOnlySpan<byte> ClientPreface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>Writes the 24-octet client connection preface (RFC 9113 section 3.4).</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="bytesWritten">24, or 0 when it does not fit.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    public static bool TryWriteClientPreface(Span<byte> destination, out int bytesWritten)
    {
        if (!ClientPreface.TryCopyTo(destination))
        {
            bytesWritten = 0;
            return false;
        }

        bytesWritten = ClientPrefaceLength;
        return true;
    }

    /// <summary>
    /// Writes a SETTINGS frame carrying <paramref name="settings"/> in order, on stream 0.
    /// </summary>
    /// <remarks>
    /// RFC 9113 section 6.5.
    /// <code>
    /// SETTINGS Frame {
    ///   Length (24),
    ///   Type (8) = 0x04,
    ///
    ///   Unused Flags (7),
    ///   ACK Flag (1),
    ///
    ///   Reserved (1),
    ///   Stream Identifier (31) = 0,
    ///
    ///   Setting (48) ...,
    /// }
    ///
    /// Setting {
    ///   Identifier (16),
    ///   Value (32),
    /// }
    /// </code>
    /// </remarks>
    /// <param name="destination">Where to write.</param>
    /// <param name="settings">The parameters to announce, possibly none.</param>
    /// <param name="bytesWritten">The frame length, or 0 when it does not fit.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    /// <exception cref="ArgumentException">A value is outside the range RFC 9113 allows for its parameter.</exception>
    public static bool TryWriteSettings(Span<byte> destination, ReadOnlySpan<Http2Setting> settings, out int bytesWritten)
    {
        if (settings.Length > Http2FrameHeader.MaxPayloadLength / Http2Setting.Size)
        {
            Http2ThrowHelper.ThrowArgumentOutOfRange(nameof(settings), "Too many settings for one frame.");
        }

        foreach (Http2Setting setting in settings)
        {
            if (!setting.TryValidate(out _, out string message))
            {
                throw new ArgumentException(message, nameof(settings));
            }
        }

        int payloadLength = settings.Length * Http2Setting.Size;
        int frameLength = Http2FrameHeader.Size + payloadLength;
        if (destination.Length < frameLength)
        {
            bytesWritten = 0;
            return false;
        }

        Http2FrameHeader.Write(destination, payloadLength, Http2FrameType.Settings, Http2FrameFlags.None, 0);
        Span<byte> cursor = destination.Slice(Http2FrameHeader.Size, payloadLength);
        foreach (Http2Setting setting in settings)
        {
            BinaryPrimitives.WriteUInt16BigEndian(cursor, (ushort)setting.Parameter);
            BinaryPrimitives.WriteUInt32BigEndian(cursor.Slice(2), setting.Value);
            cursor = cursor.Slice(Http2Setting.Size);
        }

        bytesWritten = frameLength;
        return true;
    }

    /// <summary>
    /// Writes an empty SETTINGS frame with the ACK flag, acknowledging the peer's SETTINGS (RFC 9113 section 6.5.3).
    /// </summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="bytesWritten">9, or 0 when it does not fit.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    public static bool TryWriteSettingsAck(Span<byte> destination, out int bytesWritten) =>
        TryWriteFrame(destination, Http2FrameType.Settings, Http2FrameFlags.Ack, 0, [], out bytesWritten);

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
    /// Writes a WINDOW_UPDATE frame granting the peer <paramref name="windowSizeIncrement"/> more octets.
    /// </summary>
    /// <remarks>
    /// RFC 9113 section 6.9.
    /// <code>
    /// WINDOW_UPDATE Frame {
    ///   Length (24) = 0x04,
    ///   Type (8) = 0x08,
    ///
    ///   Unused Flags (8),
    ///
    ///   Reserved (1),
    ///   Stream Identifier (31),
    ///
    ///   Reserved (1),
    ///   Window Size Increment (31),
    /// }
    /// </code>
    /// </remarks>
    /// <param name="destination">Where to write.</param>
    /// <param name="streamId">The stream, or 0 for the connection window.</param>
    /// <param name="windowSizeIncrement">1 to 2^31-1; an increment of 0 is a protocol error at the peer.</param>
    /// <param name="bytesWritten">13, or 0 when it does not fit.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A negative stream or a non-positive increment.</exception>
    public static bool TryWriteWindowUpdate(Span<byte> destination, int streamId, int windowSizeIncrement, out int bytesWritten)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(streamId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowSizeIncrement);
        if (destination.Length < WindowUpdateFrameLength)
        {
            bytesWritten = 0;
            return false;
        }

        Http2FrameHeader.Write(destination, 4, Http2FrameType.WindowUpdate, Http2FrameFlags.None, streamId);

        // A positive int never has the top bit set, so the reserved bit goes out cleared.
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(Http2FrameHeader.Size), (uint)windowSizeIncrement);
        bytesWritten = WindowUpdateFrameLength;
        return true;
    }

    /// <summary>
    /// Writes an RST_STREAM frame terminating <paramref name="streamId"/>.
    /// </summary>
    /// <remarks>
    /// RFC 9113 section 6.4.
    /// <code>
    /// RST_STREAM Frame {
    ///   Length (24) = 0x04,
    ///   Type (8) = 0x03,
    ///
    ///   Unused Flags (8),
    ///
    ///   Reserved (1),
    ///   Stream Identifier (31),
    ///
    ///   Error Code (32),
    /// }
    /// </code>
    /// </remarks>
    /// <param name="destination">Where to write.</param>
    /// <param name="streamId">The stream, greater than 0.</param>
    /// <param name="errorCode">Why the stream is terminated, <see cref="Http2ErrorCode.Cancel"/> for a plain abort.</param>
    /// <param name="bytesWritten">13, or 0 when it does not fit.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A stream of 0 or less.</exception>
    public static bool TryWriteRstStream(Span<byte> destination, int streamId, Http2ErrorCode errorCode, out int bytesWritten)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(streamId);
        if (destination.Length < RstStreamFrameLength)
        {
            bytesWritten = 0;
            return false;
        }

        Http2FrameHeader.Write(destination, 4, Http2FrameType.RstStream, Http2FrameFlags.None, streamId);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(Http2FrameHeader.Size), (uint)errorCode);
        bytesWritten = RstStreamFrameLength;
        return true;
    }

    /// <summary>
    /// Writes a PING frame carrying <paramref name="opaqueData"/>; the peer must answer with a PING ACK.
    /// </summary>
    /// <remarks>
    /// RFC 9113 section 6.7. The 8 opaque octets are <paramref name="opaqueData"/> in big-endian order.
    /// <code>
    /// PING Frame {
    ///   Length (24) = 0x08,
    ///   Type (8) = 0x06,
    ///
    ///   Unused Flags (7),
    ///   ACK Flag (1),
    ///
    ///   Reserved (1),
    ///   Stream Identifier (31) = 0,
    ///
    ///   Opaque Data (64),
    /// }
    /// </code>
    /// </remarks>
    /// <param name="destination">Where to write.</param>
    /// <param name="opaqueData">Any value, echoed back by the peer.</param>
    /// <param name="bytesWritten">17, or 0 when it does not fit.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    public static bool TryWritePing(Span<byte> destination, ulong opaqueData, out int bytesWritten) =>
        TryWritePingFrame(destination, opaqueData, Http2FrameFlags.None, out bytesWritten);

    /// <summary>
    /// Writes a PING frame with the ACK flag, echoing the <paramref name="opaqueData"/> of the peer's PING
    /// (RFC 9113 section 6.7).
    /// </summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="opaqueData">The opaque data of the PING being answered.</param>
    /// <param name="bytesWritten">17, or 0 when it does not fit.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    public static bool TryWritePingAck(Span<byte> destination, ulong opaqueData, out int bytesWritten) =>
        TryWritePingFrame(destination, opaqueData, Http2FrameFlags.Ack, out bytesWritten);

    /// <summary>
    /// Writes a GOAWAY frame, announcing shutdown or a connection error.
    /// </summary>
    /// <remarks>
    /// RFC 9113 section 6.8.
    /// <code>
    /// GOAWAY Frame {
    ///   Length (24),
    ///   Type (8) = 0x07,
    ///
    ///   Unused Flags (8),
    ///
    ///   Reserved (1),
    ///   Stream Identifier (31) = 0,
    ///
    ///   Reserved (1),
    ///   Last-Stream-ID (31),
    ///   Error Code (32),
    ///   Additional Debug Data (..),
    /// }
    /// </code>
    /// </remarks>
    /// <param name="destination">Where to write.</param>
    /// <param name="lastStreamId">The highest peer-initiated stream processed; 0 for a client that accepts no pushes.</param>
    /// <param name="errorCode">Why the connection is closing.</param>
    /// <param name="debugData">Optional diagnostic octets, possibly empty.</param>
    /// <param name="bytesWritten">The frame length, or 0 when it does not fit.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A negative stream or debug data over 2^24-9 octets.</exception>
    public static bool TryWriteGoAway(
        Span<byte> destination, int lastStreamId, Http2ErrorCode errorCode, ReadOnlySpan<byte> debugData, out int bytesWritten)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lastStreamId);
        if (debugData.Length > Http2FrameHeader.MaxPayloadLength - GoAwayFixedLength)
        {
            Http2ThrowHelper.ThrowArgumentOutOfRange(nameof(debugData), "The debug data does not fit in one frame.");
        }

        int payloadLength = GoAwayFixedLength + debugData.Length;
        int frameLength = Http2FrameHeader.Size + payloadLength;
        if (destination.Length < frameLength)
        {
            bytesWritten = 0;
            return false;
        }

        Http2FrameHeader.Write(destination, payloadLength, Http2FrameType.GoAway, Http2FrameFlags.None, 0);
        Span<byte> payload = destination.Slice(Http2FrameHeader.Size, payloadLength);
        BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)lastStreamId);
        BinaryPrimitives.WriteUInt32BigEndian(payload.Slice(4), (uint)errorCode);
        debugData.CopyTo(payload.Slice(GoAwayFixedLength));
        bytesWritten = frameLength;
        return true;
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
        ArgumentNullException.ThrowIfNull(writer);
        ValidateSplitArguments(streamId, maxFrameSize);

        bool endStreamOnHeaders = body.IsEmpty;
        long total = FramedLength(headerBlock.Length, maxFrameSize) + (endStreamOnHeaders ? 0 : FramedLength(body.Length, maxFrameSize));
        if (total <= int.MaxValue)
        {
            Span<byte> span = writer.GetSpan((int)total);
            if (span.Length >= total)
            {
                int written = WriteFieldBlockFrames(span, streamId, headerBlock, endStreamOnHeaders, maxFrameSize);
                if (!endStreamOnHeaders)
                {
                    written += WriteDataFrames(span.Slice(written), streamId, body, endStream: true, maxFrameSize);
                }

                writer.Advance(written);
                return written;
            }
        }

        return WriteHeadersAndDataFrameByFrame(writer, streamId, headerBlock, body, maxFrameSize);
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
    public static int WriteHeaders(IBufferWriter<byte> writer, int streamId, ReadOnlySpan<byte> headerBlock, bool endStream, int maxFrameSize)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ValidateSplitArguments(streamId, maxFrameSize);

        long total = FramedLength(headerBlock.Length, maxFrameSize);
        if (total <= int.MaxValue)
        {
            Span<byte> span = writer.GetSpan((int)total);
            if (span.Length >= total)
            {
                int written = WriteFieldBlockFrames(span, streamId, headerBlock, endStream, maxFrameSize);
                writer.Advance(written);
                return written;
            }
        }

        return WriteSplitFrameByFrame(
            writer, streamId, headerBlock, maxFrameSize, Http2FrameType.Headers, Http2FrameType.Continuation,
            endStream ? Http2FrameFlags.EndStream : Http2FrameFlags.None, Http2FrameFlags.EndHeaders);
    }

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
    public static int WriteData(IBufferWriter<byte> writer, int streamId, ReadOnlySpan<byte> data, bool endStream, int maxFrameSize)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ValidateSplitArguments(streamId, maxFrameSize);

        long total = FramedLength(data.Length, maxFrameSize);
        if (total <= int.MaxValue)
        {
            Span<byte> span = writer.GetSpan((int)total);
            if (span.Length >= total)
            {
                int written = WriteDataFrames(span, streamId, data, endStream, maxFrameSize);
                writer.Advance(written);
                return written;
            }
        }

        return WriteSplitFrameByFrame(
            writer, streamId, data, maxFrameSize, Http2FrameType.Data, Http2FrameType.Data,
            Http2FrameFlags.None, endStream ? Http2FrameFlags.EndStream : Http2FrameFlags.None);
    }

    /// <summary>The octets needed to carry <paramref name="contentLength"/> octets in frames of at most <paramref name="maxFrameSize"/>.</summary>
    /// <param name="contentLength">The content to split; 0 still takes one empty frame.</param>
    /// <param name="maxFrameSize">The largest payload per frame, at least 1.</param>
    /// <returns>The payload plus one 9-octet header per frame.</returns>
    internal static long FramedLength(int contentLength, int maxFrameSize)
    {
        long frames = contentLength == 0 ? 1 : ((long)contentLength + maxFrameSize - 1) / maxFrameSize;
        return (frames * Http2FrameHeader.Size) + contentLength;
    }

    private static int WriteFieldBlockFrames(Span<byte> destination, int streamId, ReadOnlySpan<byte> headerBlock, bool endStream, int maxFrameSize) =>
        WriteSplit(
            destination, streamId, headerBlock, maxFrameSize, Http2FrameType.Headers, Http2FrameType.Continuation,
            endStream ? Http2FrameFlags.EndStream : Http2FrameFlags.None, Http2FrameFlags.EndHeaders);

    private static int WriteDataFrames(Span<byte> destination, int streamId, ReadOnlySpan<byte> data, bool endStream, int maxFrameSize) =>
        WriteSplit(
            destination, streamId, data, maxFrameSize, Http2FrameType.Data, Http2FrameType.Data,
            Http2FrameFlags.None, endStream ? Http2FrameFlags.EndStream : Http2FrameFlags.None);

    // Splits content over frames into a span the caller sized with FramedLength. The first frame has
    // firstType and firstFlags, later ones nextType; lastFlags goes on the final frame (which may be the first).
    private static int WriteSplit(
        Span<byte> destination,
        int streamId,
        ReadOnlySpan<byte> content,
        int maxFrameSize,
        Http2FrameType firstType,
        Http2FrameType nextType,
        Http2FrameFlags firstFlags,
        Http2FrameFlags lastFlags)
    {
        int written = 0;
        Http2FrameType type = firstType;
        Http2FrameFlags flags = firstFlags;
        while (true)
        {
            int chunkLength = Math.Min(content.Length, maxFrameSize);
            bool last = chunkLength == content.Length;
            Http2FrameHeader.Write(destination.Slice(written), chunkLength, type, last ? flags | lastFlags : flags, streamId);
            content.Slice(0, chunkLength).CopyTo(destination.Slice(written + Http2FrameHeader.Size));
            written += Http2FrameHeader.Size + chunkLength;
            if (last)
            {
                return written;
            }

            content = content.Slice(chunkLength);
            type = nextType;
            flags = Http2FrameFlags.None;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WriteHeadersAndDataFrameByFrame(
        IBufferWriter<byte> writer, int streamId, ReadOnlySpan<byte> headerBlock, ReadOnlySpan<byte> body, int maxFrameSize)
    {
        bool endStreamOnHeaders = body.IsEmpty;
        int written = WriteSplitFrameByFrame(
            writer, streamId, headerBlock, maxFrameSize, Http2FrameType.Headers, Http2FrameType.Continuation,
            endStreamOnHeaders ? Http2FrameFlags.EndStream : Http2FrameFlags.None, Http2FrameFlags.EndHeaders);
        if (!endStreamOnHeaders)
        {
            written += WriteSplitFrameByFrame(
                writer, streamId, body, maxFrameSize, Http2FrameType.Data, Http2FrameType.Data,
                Http2FrameFlags.None, Http2FrameFlags.EndStream);
        }

        return written;
    }

    // The slow path for writers whose spans are smaller than the whole request: same frames as WriteSplit,
    // each asked for separately and, if even one frame does not fit a span, copied across spans.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WriteSplitFrameByFrame(
        IBufferWriter<byte> writer,
        int streamId,
        ReadOnlySpan<byte> content,
        int maxFrameSize,
        Http2FrameType firstType,
        Http2FrameType nextType,
        Http2FrameFlags firstFlags,
        Http2FrameFlags lastFlags)
    {
        int written = 0;
        Http2FrameType type = firstType;
        Http2FrameFlags flags = firstFlags;
        while (true)
        {
            int chunkLength = Math.Min(content.Length, maxFrameSize);
            bool last = chunkLength == content.Length;
            written += WriteFrame(writer, type, last ? flags | lastFlags : flags, streamId, content.Slice(0, chunkLength));
            if (last)
            {
                return written;
            }

            content = content.Slice(chunkLength);
            type = nextType;
            flags = Http2FrameFlags.None;
        }
    }

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

    private static bool TryWriteFrame(
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

    private static bool TryWritePingFrame(Span<byte> destination, ulong opaqueData, Http2FrameFlags flags, out int bytesWritten)
    {
        if (destination.Length < PingFrameLength)
        {
            bytesWritten = 0;
            return false;
        }

        Http2FrameHeader.Write(destination, 8, Http2FrameType.Ping, flags, 0);
        BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(Http2FrameHeader.Size), opaqueData);
        bytesWritten = PingFrameLength;
        return true;
    }

    private static void ValidateStreamFrame(int streamId, int payloadLength, Http2FrameFlags flags, Http2FrameFlags allowedFlags)
    {
        // DATA, HEADERS and CONTINUATION on stream 0 are connection errors at the peer (RFC 9113 sections 6.1, 6.2, 6.10).
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(streamId);
        if (payloadLength > Http2FrameHeader.MaxPayloadLength)
        {
            Http2ThrowHelper.ThrowArgumentOutOfRange(nameof(payloadLength), "The payload does not fit in one frame.");
        }

        if ((flags & ~allowedFlags) != 0)
        {
            Http2ThrowHelper.ThrowArgumentOutOfRange(nameof(flags), "The flags include one this frame type cannot carry here.");
        }
    }

    private static void ValidateSplitArguments(int streamId, int maxFrameSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(streamId);
        if ((uint)maxFrameSize - 1 >= Http2FrameHeader.MaxPayloadLength)
        {
            Http2ThrowHelper.ThrowArgumentOutOfRange(nameof(maxFrameSize), "The maximum frame size must be between 1 and 2^24-1.");
        }
    }
}
