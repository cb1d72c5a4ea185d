using System.Buffers.Binary;

namespace Oms.Transport.Http2;

/// <summary>
/// Validates the payloads of the frames that carry no content (RFC 9113 section 6): SETTINGS, PING, GOAWAY,
/// RST_STREAM, WINDOW_UPDATE and PRIORITY, once <see cref="Http2FrameReader.TryReadFrame"/> has cut them out.
/// </summary>
/// <remarks>
/// A broken peer gets an <see cref="Http2ConnectionException"/> (answer with GOAWAY) or, where RFC 9113 scopes the
/// error to one stream, an <see cref="Http2StreamException"/> (answer with RST_STREAM). Stateless and thread-safe.
/// </remarks>
internal static class Http2ControlFrameReader
{
    private const uint ReservedBitMask = 0x7FFF_FFFF;

    /// <summary>
    /// Validates a whole SETTINGS frame, every value included, and returns its parameters to walk.
    /// </summary>
    /// <remarks>
    /// RFC 9113 section 6.5, and the value ranges of section 6.5.2. The frame is validated before any
    /// parameter is handed out, so a caller never applies half of a frame that turns out to be invalid. An ACK
    /// yields no parameters. Unknown identifiers are yielded for the caller to ignore.
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
    /// </code>
    /// </remarks>
    /// <param name="header">The frame header.</param>
    /// <param name="payload">The frame payload.</param>
    /// <returns>The parameters, in wire order.</returns>
    /// <exception cref="Http2ConnectionException">
    /// PROTOCOL_ERROR on a stream other than 0, for ENABLE_PUSH or NO_RFC7540_PRIORITIES not 0 or 1, or MAX_FRAME_SIZE
    /// outside 16,384 to 16,777,215; FRAME_SIZE_ERROR for an ACK with a payload or a length not a multiple of 6;
    /// FLOW_CONTROL_ERROR for INITIAL_WINDOW_SIZE above 2^31-1.
    /// </exception>
    public static Http2SettingsEnumerator ReadSettings(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        Debug.Assert(header.Type == Http2FrameType.Settings && header.PayloadLength == payload.Length, "A SETTINGS frame and its payload.");
        if (header.StreamId != 0)
        {
            ThrowHelper.ThrowConnectionError(Http2ErrorCode.ProtocolError, "SETTINGS frame on a stream other than 0.");
        }

        if ((header.Flags & Http2FrameFlags.Ack) != 0)
        {
            if (!payload.IsEmpty)
            {
                ThrowHelper.ThrowConnectionError(Http2ErrorCode.FrameSizeError, "SETTINGS ACK with a payload.");
            }

            return new Http2SettingsEnumerator(ReadOnlySequence<byte>.Empty);
        }

        if (payload.Length % Http2Setting.Size != 0)
        {
            ThrowHelper.ThrowConnectionError(Http2ErrorCode.FrameSizeError, "SETTINGS length is not a multiple of 6.");
        }

        foreach (Http2Setting setting in new Http2SettingsEnumerator(payload))
        {
            setting.ThrowIfInvalid();
        }

        return new Http2SettingsEnumerator(payload);
    }

    /// <summary>
    /// Validates a PING frame and returns its opaque data, big-endian, as written by
    /// <see cref="Http2ControlFrameWriter.TryWritePing"/>. Whether it is an ACK is in the header's flags.
    /// </summary>
    /// <remarks>
    /// RFC 9113 section 6.7.
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
    /// <param name="header">The frame header.</param>
    /// <param name="payload">The frame payload.</param>
    /// <returns>The 8 opaque octets.</returns>
    /// <exception cref="Http2ConnectionException">PROTOCOL_ERROR on a stream other than 0; FRAME_SIZE_ERROR when the length is not 8.</exception>
    public static ulong ReadPing(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        Debug.Assert(header.Type == Http2FrameType.Ping && header.PayloadLength == payload.Length, "A PING frame and its payload.");
        if (header.StreamId != 0)
        {
            ThrowHelper.ThrowConnectionError(Http2ErrorCode.ProtocolError, "PING frame on a stream other than 0.");
        }

        if (payload.Length != 8)
        {
            ThrowHelper.ThrowConnectionError(Http2ErrorCode.FrameSizeError, "PING length is not 8.");
        }

        Span<byte> scratch = stackalloc byte[8];
        return BinaryPrimitives.ReadUInt64BigEndian(Http2FrameReader.Prefix(payload, scratch));
    }

    /// <summary>
    /// Validates a GOAWAY frame and returns its fields.
    /// </summary>
    /// <remarks>
    /// RFC 9113 section 6.8. The reserved bit before Last-Stream-ID is ignored.
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
    /// <param name="header">The frame header.</param>
    /// <param name="payload">The frame payload.</param>
    /// <returns>Last-Stream-ID, error code and debug data (a slice of <paramref name="payload"/>).</returns>
    /// <exception cref="Http2ConnectionException">PROTOCOL_ERROR on a stream other than 0; FRAME_SIZE_ERROR when shorter than 8 octets.</exception>
    public static Http2GoAwayPayload ReadGoAway(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        Debug.Assert(header.Type == Http2FrameType.GoAway && header.PayloadLength == payload.Length, "A GOAWAY frame and its payload.");
        if (header.StreamId != 0)
        {
            ThrowHelper.ThrowConnectionError(Http2ErrorCode.ProtocolError, "GOAWAY frame on a stream other than 0.");
        }

        if (payload.Length < 8)
        {
            ThrowHelper.ThrowConnectionError(Http2ErrorCode.FrameSizeError, "GOAWAY shorter than 8 octets.");
        }

        Span<byte> scratch = stackalloc byte[8];
        ReadOnlySpan<byte> fixedFields = Http2FrameReader.Prefix(payload, scratch);
        return new Http2GoAwayPayload(
            (int)(BinaryPrimitives.ReadUInt32BigEndian(fixedFields) & ReservedBitMask),
            (Http2ErrorCode)BinaryPrimitives.ReadUInt32BigEndian(fixedFields.Slice(4)),
            payload.Slice(8));
    }

    /// <summary>
    /// Validates an RST_STREAM frame and returns its error code.
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
    /// <param name="header">The frame header.</param>
    /// <param name="payload">The frame payload.</param>
    /// <returns>Why the peer terminated the stream.</returns>
    /// <exception cref="Http2ConnectionException">PROTOCOL_ERROR on stream 0; FRAME_SIZE_ERROR when the length is not 4.</exception>
    public static Http2ErrorCode ReadRstStream(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        Debug.Assert(header.Type == Http2FrameType.RstStream && header.PayloadLength == payload.Length, "An RST_STREAM frame and its payload.");
        if (header.StreamId == 0)
        {
            ThrowHelper.ThrowConnectionError(Http2ErrorCode.ProtocolError, "RST_STREAM frame on stream 0.");
        }

        if (payload.Length != 4)
        {
            ThrowHelper.ThrowConnectionError(Http2ErrorCode.FrameSizeError, "RST_STREAM length is not 4.");
        }

        Span<byte> scratch = stackalloc byte[4];
        return (Http2ErrorCode)BinaryPrimitives.ReadUInt32BigEndian(Http2FrameReader.Prefix(payload, scratch));
    }

    /// <summary>
    /// Validates a WINDOW_UPDATE frame and returns its increment, 1 to 2^31-1.
    /// </summary>
    /// <remarks>
    /// RFC 9113 section 6.9. The reserved bit is ignored. Whether the increment overflows the
    /// window (past 2^31-1) is the flow-control window's to detect.
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
    /// <param name="header">The frame header.</param>
    /// <param name="payload">The frame payload.</param>
    /// <returns>The window size increment.</returns>
    /// <exception cref="Http2ConnectionException">FRAME_SIZE_ERROR when the length is not 4; PROTOCOL_ERROR for an increment of 0 on stream 0.</exception>
    /// <exception cref="Http2StreamException">PROTOCOL_ERROR for an increment of 0 on a stream.</exception>
    public static int ReadWindowUpdate(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        Debug.Assert(header.Type == Http2FrameType.WindowUpdate && header.PayloadLength == payload.Length, "A WINDOW_UPDATE frame and its payload.");
        if (payload.Length != 4)
        {
            ThrowHelper.ThrowConnectionError(Http2ErrorCode.FrameSizeError, "WINDOW_UPDATE length is not 4.");
        }

        Span<byte> scratch = stackalloc byte[4];
        int increment = (int)(BinaryPrimitives.ReadUInt32BigEndian(Http2FrameReader.Prefix(payload, scratch)) & ReservedBitMask);
        if (increment == 0)
        {
            if (header.StreamId == 0)
            {
                ThrowHelper.ThrowConnectionError(Http2ErrorCode.ProtocolError, "WINDOW_UPDATE with an increment of 0 on the connection.");
            }

            ThrowHelper.ThrowStreamError(header.StreamId, Http2ErrorCode.ProtocolError, "WINDOW_UPDATE with an increment of 0 on a stream.");
        }

        return increment;
    }

    /// <summary>
    /// Validates a PRIORITY frame, whose content is otherwise ignored: its signal is deprecated.
    /// </summary>
    /// <remarks>
    /// RFC 9113 section 6.3.
    /// <code>
    /// PRIORITY Frame {
    ///   Length (24) = 0x05,
    ///   Type (8) = 0x02,
    ///
    ///   Unused Flags (8),
    ///
    ///   Reserved (1),
    ///   Stream Identifier (31),
    ///
    ///   Exclusive (1),
    ///   Stream Dependency (31),
    ///   Weight (8),
    /// }
    /// </code>
    /// </remarks>
    /// <param name="header">The frame header.</param>
    /// <exception cref="Http2ConnectionException">PROTOCOL_ERROR on stream 0.</exception>
    /// <exception cref="Http2StreamException">FRAME_SIZE_ERROR when the length is not 5.</exception>
    public static void ValidatePriority(Http2FrameHeader header)
    {
        Debug.Assert(header.Type == Http2FrameType.Priority, "A PRIORITY frame.");
        if (header.StreamId == 0)
        {
            ThrowHelper.ThrowConnectionError(Http2ErrorCode.ProtocolError, "PRIORITY frame on stream 0.");
        }

        if (header.PayloadLength != Http2FrameReader.PriorityFieldsLength)
        {
            ThrowHelper.ThrowStreamError(header.StreamId, Http2ErrorCode.FrameSizeError, "PRIORITY length is not 5.");
        }
    }
}
