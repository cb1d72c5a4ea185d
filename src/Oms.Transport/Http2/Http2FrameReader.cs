using System.Runtime.CompilerServices;

namespace Oms.Transport.Http2;

/// <summary>
/// Cuts frames out of received bytes and validates the payloads of those that carry a response (DATA, HEADERS,
/// CONTINUATION) against RFC 9113 section 6, without allocating or copying variable-length content.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="TryReadFrame"/> is resumable in the <c>PipeReader</c> way: it consumes nothing until a whole frame
/// is buffered, so bytes may arrive one at a time across any number of segments. The payload parsers then
/// validate one frame: a broken peer gets an <see cref="Http2ConnectionException"/> (answer with GOAWAY) or,
/// where RFC 9113 scopes the error to one stream, an <see cref="Http2StreamException"/> (answer with RST_STREAM).
/// </para>
/// <para>
/// Returned sequences point into the caller's buffer and are valid until the reader is advanced past them.
/// The frames that carry no content are <see cref="Http2ControlFrameReader"/>'s.
/// Stateless and thread-safe. State that spans frames (a header block continued by CONTINUATION, stream
/// states, flow control) belongs to the connection.
/// </para>
/// </remarks>
internal static class Http2FrameReader
{
    // HEADERS with PRIORITY, and PRIORITY itself: Exclusive, Stream Dependency (32 bits together) and Weight.
    internal const int PriorityFieldsLength = 5;

    /// <summary>
    /// Reads the next frame from <paramref name="buffer"/> when it is complete, and advances past it.
    /// </summary>
    /// <remarks>
    /// RFC 9113 section 4.1 (layout, see <see cref="Http2FrameHeader.TryRead"/>) and 4.2: a frame longer than
    /// our SETTINGS_MAX_FRAME_SIZE is a FRAME_SIZE_ERROR, detected as soon as its header has arrived. It is
    /// treated as a connection error for every frame type, which RFC 9113 section 5.4 permits.
    /// </remarks>
    /// <param name="buffer">The received bytes; on success, what follows the frame.</param>
    /// <param name="maxFrameSize">The SETTINGS_MAX_FRAME_SIZE this endpoint advertised.</param>
    /// <param name="header">The frame header, or default when incomplete.</param>
    /// <param name="payload">The payload, a slice of the original buffer, or empty when incomplete.</param>
    /// <returns><see langword="false"/> when the frame is incomplete; <paramref name="buffer"/> is then unchanged.</returns>
    /// <exception cref="Http2ConnectionException">FRAME_SIZE_ERROR: the frame exceeds <paramref name="maxFrameSize"/>.</exception>
    public static bool TryReadFrame(
        ref ReadOnlySequence<byte> buffer, uint maxFrameSize, out Http2FrameHeader header, out ReadOnlySequence<byte> payload)
    {
        if (buffer.Length >= Http2FrameHeader.Size)
        {
            if (!Http2FrameHeader.TryRead(buffer.FirstSpan, out Http2FrameHeader candidate))
            {
                candidate = ReadHeaderAcrossSegments(buffer);
            }

            if ((uint)candidate.PayloadLength > maxFrameSize)
            {
                ThrowHelper.ThrowConnectionError(Http2ErrorCode.FrameSizeError, "The frame exceeds SETTINGS_MAX_FRAME_SIZE.");
            }

            if (buffer.Length - Http2FrameHeader.Size >= candidate.PayloadLength)
            {
                header = candidate;
                payload = buffer.Slice(Http2FrameHeader.Size, candidate.PayloadLength);
                buffer = buffer.Slice(payload.End);
                return true;
            }
        }

        header = default;
        payload = default;
        return false;
    }

    /// <summary>
    /// Validates a DATA frame and returns its content with any padding removed.
    /// </summary>
    /// <remarks>
    /// RFC 9113 section 6.1. Flow control counts the whole payload, padding included, so charge
    /// <see cref="Http2FrameHeader.PayloadLength"/> to the receive windows, not the length returned here.
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
    /// <param name="header">The frame header.</param>
    /// <param name="payload">The frame payload.</param>
    /// <returns>The data octets.</returns>
    /// <exception cref="Http2ConnectionException">
    /// PROTOCOL_ERROR on stream 0 or when the padding is as long as the payload; FRAME_SIZE_ERROR when PADDED is
    /// set on an empty payload.
    /// </exception>
    public static ReadOnlySequence<byte> ReadData(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        Debug.Assert(header.Type == Http2FrameType.Data && header.PayloadLength == payload.Length, "A DATA frame and its payload.");
        if (header.StreamId == 0)
        {
            ThrowHelper.ThrowConnectionError(Http2ErrorCode.ProtocolError, "DATA frame on stream 0.");
        }

        return (header.Flags & Http2FrameFlags.Padded) == 0 ? payload : RemovePadding(payload, prefixLength: 0);
    }

    /// <summary>
    /// Validates a HEADERS frame and returns its field block fragment, without padding or priority fields.
    /// </summary>
    /// <remarks>
    /// RFC 9113 section 6.2. The priority fields are deprecated (RFC 9113 section 5.3.2) and skipped.
    /// Whether the block continues (no END_HEADERS) is the connection's to track.
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
    /// <param name="header">The frame header.</param>
    /// <param name="payload">The frame payload.</param>
    /// <returns>The field block fragment, for the HPACK decoder.</returns>
    /// <exception cref="Http2ConnectionException">
    /// PROTOCOL_ERROR on stream 0 or when the padding exceeds what remains after the other fields;
    /// FRAME_SIZE_ERROR when the payload is too short for the Pad Length or priority fields its flags announce.
    /// </exception>
    public static ReadOnlySequence<byte> ReadHeaders(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        Debug.Assert(header.Type == Http2FrameType.Headers && header.PayloadLength == payload.Length, "A HEADERS frame and its payload.");
        if (header.StreamId == 0)
        {
            ThrowHelper.ThrowConnectionError(Http2ErrorCode.ProtocolError, "HEADERS frame on stream 0.");
        }

        int prefixLength = (header.Flags & Http2FrameFlags.Priority) != 0 ? PriorityFieldsLength : 0;
        if ((header.Flags & Http2FrameFlags.Padded) != 0)
        {
            return RemovePadding(payload, prefixLength);
        }

        if (payload.Length < prefixLength)
        {
            ThrowHelper.ThrowConnectionError(Http2ErrorCode.FrameSizeError, "HEADERS frame too short for its priority fields.");
        }

        return prefixLength == 0 ? payload : payload.Slice(prefixLength);
    }

    /// <summary>
    /// Validates a CONTINUATION frame and returns its field block fragment.
    /// </summary>
    /// <remarks>
    /// RFC 9113 section 6.10. That it follows a HEADERS frame of the same stream without END_HEADERS
    /// is the connection's to check.
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
    /// <param name="header">The frame header.</param>
    /// <param name="payload">The frame payload.</param>
    /// <returns>The field block fragment.</returns>
    /// <exception cref="Http2ConnectionException">PROTOCOL_ERROR on stream 0.</exception>
    public static ReadOnlySequence<byte> ReadContinuation(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        Debug.Assert(header.Type == Http2FrameType.Continuation && header.PayloadLength == payload.Length, "A CONTINUATION frame and its payload.");
        if (header.StreamId == 0)
        {
            ThrowHelper.ThrowConnectionError(Http2ErrorCode.ProtocolError, "CONTINUATION frame on stream 0.");
        }

        return payload;
    }

    // Pad Length comes first, then the prefix (HEADERS priority fields), then content, then padding.
    // RFC 9113 sections 6.1 and 6.2: padding as long as what it pads is a PROTOCOL_ERROR; a payload too short
    // for the fields its flags announce is a FRAME_SIZE_ERROR (section 4.2, "too small to contain mandatory frame data").
    private static ReadOnlySequence<byte> RemovePadding(ReadOnlySequence<byte> payload, int prefixLength)
    {
        long fieldsLength = 1 + prefixLength;
        if (payload.Length < fieldsLength)
        {
            ThrowHelper.ThrowConnectionError(Http2ErrorCode.FrameSizeError, "Padded frame too short for its Pad Length or priority fields.");
        }

        Span<byte> scratch = stackalloc byte[1];
        int padLength = Prefix(payload, scratch)[0];
        long contentLength = payload.Length - fieldsLength - padLength;
        if (contentLength < 0)
        {
            ThrowHelper.ThrowConnectionError(Http2ErrorCode.ProtocolError, "Padding exceeds the frame payload.");
        }

        return payload.Slice(fieldsLength, contentLength);
    }

    // The first scratch.Length octets, from the first segment when it holds them all, else copied into scratch.
    internal static ReadOnlySpan<byte> Prefix(in ReadOnlySequence<byte> source, Span<byte> scratch)
    {
        ReadOnlySpan<byte> first = source.FirstSpan;
        if (first.Length >= scratch.Length)
        {
            return first.Slice(0, scratch.Length);
        }

        source.Slice(0, scratch.Length).CopyTo(scratch);
        return scratch;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Http2FrameHeader ReadHeaderAcrossSegments(in ReadOnlySequence<byte> buffer)
    {
        Span<byte> scratch = stackalloc byte[Http2FrameHeader.Size];
        buffer.Slice(0, Http2FrameHeader.Size).CopyTo(scratch);
        Http2FrameHeader.TryRead(scratch, out Http2FrameHeader header);
        return header;
    }
}
