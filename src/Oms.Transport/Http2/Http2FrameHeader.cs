using System.Buffers.Binary;
using System.Globalization;

namespace Oms.Transport.Http2;

/// <summary>
/// The fixed 9-octet header that starts every HTTP/2 frame (RFC 9113 section 4.1).
/// </summary>
/// <remarks>
/// An immutable value: safe to copy and share between threads.
/// </remarks>
internal readonly struct Http2FrameHeader : IEquatable<Http2FrameHeader>
{
    /// <summary>The size of the frame header on the wire, in octets.</summary>
    public const int Size = 9;

    /// <summary>The largest payload the 24-bit Length field can express: 2^24-1 octets.</summary>
    public const int MaxPayloadLength = (1 << 24) - 1;

    // The top bit of the stream identifier word is the reserved R bit (RFC 9113 section 4.1).
    private const uint StreamIdMask = 0x7FFF_FFFF;

    /// <summary>Creates a frame header.</summary>
    /// <param name="payloadLength">The payload length, 0 to 2^24-1.</param>
    /// <param name="type">The frame type.</param>
    /// <param name="flags">The type-specific flags.</param>
    /// <param name="streamId">The stream identifier, 0 to 2^31-1 (0 for connection frames).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value does not fit its wire field.</exception>
    public Http2FrameHeader(int payloadLength, Http2FrameType type, Http2FrameFlags flags, int streamId)
    {
        if ((uint)payloadLength > MaxPayloadLength)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(payloadLength), "The payload length must be between 0 and 2^24-1.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(streamId);
        PayloadLength = payloadLength;
        Type = type;
        Flags = flags;
        StreamId = streamId;
    }

    /// <summary>The payload length in octets, excluding these 9 octets.</summary>
    public readonly int PayloadLength;

    /// <summary>The frame type; a value outside <see cref="Http2FrameType"/> is an extension frame to ignore.</summary>
    public readonly Http2FrameType Type;

    /// <summary>The type-specific flags, as received (unused bits included).</summary>
    public readonly Http2FrameFlags Flags;

    /// <summary>The stream identifier with the reserved bit removed; 0 addresses the connection.</summary>
    public readonly int StreamId;

    /// <summary>Whether all of <paramref name="flags"/> are set.</summary>
    /// <param name="flags">The flag or flags to test.</param>
    /// <returns><see langword="true"/> when every bit of <paramref name="flags"/> is set.</returns>
    public bool HasFlags(Http2FrameFlags flags) => (Flags & flags) == flags;

    /// <summary>
    /// Reads a frame header from the first 9 octets of <paramref name="source"/>.
    /// </summary>
    /// <remarks>
    /// RFC 9113 section 4.1. The reserved bit is ignored on receipt.
    /// <code>
    /// HTTP Frame {
    ///   Length (24),
    ///   Type (8),
    ///
    ///   Flags (8),
    ///
    ///   Reserved (1),
    ///   Stream Identifier (31),
    ///
    ///   Frame Payload (..),
    /// }
    /// </code>
    /// </remarks>
    /// <param name="source">The received octets.</param>
    /// <param name="header">The header read, or default when <paramref name="source"/> is too short.</param>
    /// <returns><see langword="false"/> when fewer than 9 octets are available.</returns>
    public static bool TryRead(ReadOnlySpan<byte> source, out Http2FrameHeader header)
    {
        if (source.Length < Size)
        {
            header = default;
            return false;
        }

        // Length (24) and Type (8) form one big-endian word, so a single load reads both.
        uint lengthAndType = BinaryPrimitives.ReadUInt32BigEndian(source);
        uint streamWord = BinaryPrimitives.ReadUInt32BigEndian(source.Slice(5));
        header = new Http2FrameHeader(
            (int)(lengthAndType >> 8),
            (Http2FrameType)(byte)lengthAndType,
            (Http2FrameFlags)source[4],
            (int)(streamWord & StreamIdMask));
        return true;
    }

    /// <summary>
    /// Writes this header into the first 9 octets of <paramref name="destination"/>, reserved bit cleared.
    /// </summary>
    /// <remarks>
    /// RFC 9113 section 4.1. The reserved bit "MUST remain unset (0x0) when sending".
    /// <code>
    /// HTTP Frame {
    ///   Length (24),
    ///   Type (8),
    ///
    ///   Flags (8),
    ///
    ///   Reserved (1),
    ///   Stream Identifier (31),
    ///
    ///   Frame Payload (..),
    /// }
    /// </code>
    /// </remarks>
    /// <param name="destination">Where to write.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is shorter than 9 octets.</returns>
    public bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            return false;
        }

        Write(destination, PayloadLength, Type, Flags, StreamId);
        return true;
    }

    /// <summary>Writes a header whose fields the caller has already range-checked.</summary>
    /// <param name="destination">At least 9 octets.</param>
    /// <param name="payloadLength">0 to 2^24-1.</param>
    /// <param name="type">The frame type.</param>
    /// <param name="flags">The flags.</param>
    /// <param name="streamId">0 to 2^31-1.</param>
    internal static void Write(Span<byte> destination, int payloadLength, Http2FrameType type, Http2FrameFlags flags, int streamId)
    {
        // Writing the last word first lets the JIT drop the bounds checks of the earlier stores.
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(5, 4), (uint)streamId & StreamIdMask);
        BinaryPrimitives.WriteUInt32BigEndian(destination, ((uint)payloadLength << 8) | (byte)type);
        destination[4] = (byte)flags;
    }

    /// <inheritdoc/>
    public bool Equals(Http2FrameHeader other) =>
        PayloadLength == other.PayloadLength && Type == other.Type && Flags == other.Flags && StreamId == other.StreamId;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Http2FrameHeader other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(PayloadLength, Type, Flags, StreamId);

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Type} stream={StreamId} length={PayloadLength} flags=0x{(byte)Flags:x2}");

    /// <summary>Compares two headers field by field.</summary>
    /// <param name="left">The first header.</param>
    /// <param name="right">The second header.</param>
    /// <returns><see langword="true"/> when all four fields are equal.</returns>
    public static bool operator ==(Http2FrameHeader left, Http2FrameHeader right) => left.Equals(right);

    /// <summary>Compares two headers field by field.</summary>
    /// <param name="left">The first header.</param>
    /// <param name="right">The second header.</param>
    /// <returns><see langword="true"/> when any field differs.</returns>
    public static bool operator !=(Http2FrameHeader left, Http2FrameHeader right) => !left.Equals(right);
}
