using System.Buffers.Binary;

namespace Oms.Transport.Http2;

/// <summary>
/// Writes the HTTP/2 frames that carry no request content (RFC 9113 sections 3.4 and 6): the connection preface,
/// SETTINGS, WINDOW_UPDATE, RST_STREAM, PING and GOAWAY, each into a caller's span, without allocating.
/// </summary>
/// <remarks>
/// Each <c>TryWrite*</c> method writes one frame and returns <see langword="false"/>, writing nothing useful, when it
/// does not fit. HEADERS, CONTINUATION and DATA are <see cref="Http2FrameWriter"/>'s. Stateless and thread-safe; the
/// buffer being written belongs to its single writer.
/// </remarks>
internal static class Http2ControlFrameWriter
{
    /// <summary>The length of the client connection preface, in octets.</summary>
    public const int ClientPrefaceLength = 24;

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
            ThrowHelper.ThrowArgumentOutOfRange(nameof(settings), "Too many settings for one frame.");
        }

        foreach (Http2Setting setting in settings)
        {
            if (!setting.TryValidate(out _, out string message))
            {
                throw new ArgumentException(message, nameof(settings));
            }
        }

        if (!TryStartFrame(destination, settings.Length * Http2Setting.Size, Http2FrameType.Settings, Http2FrameFlags.None, 0, out Span<byte> cursor, out bytesWritten))
        {
            return false;
        }

        foreach (Http2Setting setting in settings)
        {
            BinaryPrimitives.WriteUInt16BigEndian(cursor, (ushort)setting.Parameter);
            BinaryPrimitives.WriteUInt32BigEndian(cursor.Slice(2), setting.Value);
            cursor = cursor.Slice(Http2Setting.Size);
        }

        return true;
    }

    /// <summary>
    /// Writes an empty SETTINGS frame with the ACK flag, acknowledging the peer's SETTINGS (RFC 9113 section 6.5.3).
    /// </summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="bytesWritten">9, or 0 when it does not fit.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    public static bool TryWriteSettingsAck(Span<byte> destination, out int bytesWritten) =>
        Http2FrameWriter.TryWriteFrame(destination, Http2FrameType.Settings, Http2FrameFlags.Ack, 0, [], out bytesWritten);

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

        // A positive int never has the top bit set, so the reserved bit goes out cleared.
        return TryWriteFourOctetFrame(destination, Http2FrameType.WindowUpdate, streamId, (uint)windowSizeIncrement, out bytesWritten);
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
        return TryWriteFourOctetFrame(destination, Http2FrameType.RstStream, streamId, (uint)errorCode, out bytesWritten);
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
            ThrowHelper.ThrowArgumentOutOfRange(nameof(debugData), "The debug data does not fit in one frame.");
        }

        if (!TryStartFrame(destination, GoAwayFixedLength + debugData.Length, Http2FrameType.GoAway, Http2FrameFlags.None, 0, out Span<byte> payload, out bytesWritten))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)lastStreamId);
        BinaryPrimitives.WriteUInt32BigEndian(payload.Slice(4), (uint)errorCode);
        debugData.CopyTo(payload.Slice(GoAwayFixedLength));
        return true;
    }

    private static bool TryWritePingFrame(Span<byte> destination, ulong opaqueData, Http2FrameFlags flags, out int bytesWritten)
    {
        if (!TryStartFrame(destination, 8, Http2FrameType.Ping, flags, 0, out Span<byte> payload, out bytesWritten))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt64BigEndian(payload, opaqueData);
        return true;
    }

    // WINDOW_UPDATE and RST_STREAM: a header and one 32-bit field, no flags.
    private static bool TryWriteFourOctetFrame(Span<byte> destination, Http2FrameType type, int streamId, uint value, out int bytesWritten)
    {
        if (!TryStartFrame(destination, 4, type, Http2FrameFlags.None, streamId, out Span<byte> payload, out bytesWritten))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(payload, value);
        return true;
    }

    // Writes the 9-octet header of a frame with this payload length and hands back its payload to fill; false, and
    // nothing written, when the whole frame does not fit.
    private static bool TryStartFrame(
        Span<byte> destination, int payloadLength, Http2FrameType type, Http2FrameFlags flags, int streamId, out Span<byte> payload, out int bytesWritten)
    {
        int frameLength = Http2FrameHeader.Size + payloadLength;
        if (destination.Length < frameLength)
        {
            payload = default;
            bytesWritten = 0;
            return false;
        }

        Http2FrameHeader.Write(destination, payloadLength, type, flags, streamId);
        payload = destination.Slice(Http2FrameHeader.Size, payloadLength);
        bytesWritten = frameLength;
        return true;
    }
}
