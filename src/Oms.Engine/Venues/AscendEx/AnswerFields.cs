using System.Buffers;
using System.Text.Json;

namespace Oms.Engine.Venues.AscendEx;

/// <summary>
/// The token-level reads <see cref="CancelResponseParser"/> is built from: an id object, a status, a reason, a text
/// compared or copied without allocating. Stateless; any thread.
/// </summary>
internal static class AnswerFields
{
    // Six bytes per escaped character (\uXXXX) times the longest id kept: any escaped id longer than this cannot
    // unescape to an id the engine sent.
    private const int MaxEscapedIdLength = 6 * CancelResponse.MaxEchoedIdLength;

    // From a property name whose value should be an object holding "id"; any other value is skipped.
    public static bool ReadIdObject(ref Utf8JsonReader reader, ref CapturedId id, out bool wasObject)
    {
        wasObject = false;
        if (!reader.Read())
        {
            return false;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return reader.TrySkip();
        }

        wasObject = true;
        while (true)
        {
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return true;
            }

            if (TextEquals(ref reader, "id"u8))
            {
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.String)
                {
                    CaptureId(ref reader, ref id);
                }
                else if (!reader.TrySkip())
                {
                    return false;
                }
            }
            else if (!reader.TrySkip())
            {
                return false;
            }
        }
    }

    // From a property name; a status that is not a string is skipped and reads as no status.
    public static bool ReadStatus(ref Utf8JsonReader reader, out VenueStatus status)
    {
        status = VenueStatus.None;
        if (!reader.Read())
        {
            return false;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return reader.TrySkip();
        }

        status = TextEquals(ref reader, "Ack"u8) ? VenueStatus.Ack
            : TextEquals(ref reader, "Err"u8) ? VenueStatus.Err
            : VenueStatus.Other;
        return true;
    }

    // ValueTextEquals throws when an escaped name or value decodes to a lone surrogate; such text simply matches
    // nothing we look for, so it is compared here without letting the exception out. Unescaped text, the only
    // kind the venue sends, takes the plain path.
    public static bool TextEquals(ref Utf8JsonReader reader, ReadOnlySpan<byte> literal) =>
        reader.ValueIsEscaped ? EscapedTextEquals(ref reader, literal) : reader.ValueTextEquals(literal);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool EscapedTextEquals(ref Utf8JsonReader reader, ReadOnlySpan<byte> literal)
    {
        try
        {
            return reader.ValueTextEquals(literal);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public static VenueReason MatchReason(ref Utf8JsonReader reader)
    {
        for (VenueReason reason = VenueReason.InvalidOrderId; reason < VenueReason.Other; reason++)
        {
            ReadOnlySpan<byte> text = VenueErrorCodes.ReasonTextUtf8(reason);
            if (!text.IsEmpty && TextEquals(ref reader, text))
            {
                return reason;
            }
        }

        return VenueReason.Other;
    }

    public static void CaptureId(ref Utf8JsonReader reader, ref CapturedId id)
    {
        id.Present = true;
        Span<byte> destination = id.Bytes;
        if (!reader.ValueIsEscaped)
        {
            id.Length = CopyRaw(ref reader, destination, out _);
            return;
        }

        int rawLength = RawLength(ref reader);
        if (rawLength <= MaxEscapedIdLength)
        {
            Span<byte> unescaped = stackalloc byte[MaxEscapedIdLength];
            try
            {
                int length = reader.CopyString(unescaped);
                unescaped[..Math.Min(length, destination.Length)].CopyTo(destination);
                id.Length = length;
                return;
            }
            catch (InvalidOperationException)
            {
                // An escape that decodes to an invalid surrogate: keep the raw text, which can never match a sent id.
            }
        }

        id.Length = CopyRaw(ref reader, destination, out _);
    }

    public static int RawLength(ref Utf8JsonReader reader) =>
        reader.HasValueSequence ? ClampToInt(reader.ValueSequence.Length) : reader.ValueSpan.Length;

    // A sequence may in theory exceed int.MaxValue bytes; lengths saturate rather than throw.
    public static int ClampToInt(long length) => (int)Math.Min(length, int.MaxValue);

    // Copies the current token's raw bytes, truncated to the destination; returns the full length.
    public static int CopyRaw(ref Utf8JsonReader reader, scoped Span<byte> destination, out int copied)
    {
        if (reader.HasValueSequence)
        {
            ReadOnlySequence<byte> value = reader.ValueSequence;
            copied = (int)Math.Min(value.Length, destination.Length);
            value.Slice(0, copied).CopyTo(destination);
            return ClampToInt(value.Length);
        }

        ReadOnlySpan<byte> span = reader.ValueSpan;
        copied = Math.Min(span.Length, destination.Length);
        span[..copied].CopyTo(destination);
        return span.Length;
    }

    public struct CapturedId
    {
        public EchoedIdBuffer Bytes;
        public int Length;
        public bool Present;
    }
}
