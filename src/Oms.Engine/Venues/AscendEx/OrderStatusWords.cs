using System.Text.Json;

namespace Oms.Engine.Venues.AscendEx;

/// <summary>The venue's order-status words (<c>st</c> on the stream, <c>status</c> in queries) as <see cref="VenueOrderStatus"/>.</summary>
/// <remarks>Stateless; any thread. Matching is case-sensitive, as the venue writes the words.</remarks>
internal static class OrderStatusWords
{
    /// <summary>The status a word names; <see cref="VenueOrderStatus.Unknown"/> for any other word.</summary>
    public static VenueOrderStatus FromUtf8(ReadOnlySpan<byte> word) =>
        word.SequenceEqual("Canceled"u8) ? VenueOrderStatus.Canceled
        : word.SequenceEqual("Filled"u8) ? VenueOrderStatus.Filled
        : word.SequenceEqual("New"u8) ? VenueOrderStatus.New
        : word.SequenceEqual("PartiallyFilled"u8) ? VenueOrderStatus.PartiallyFilled
        : word.SequenceEqual("Rejected"u8) ? VenueOrderStatus.Rejected
        : word.SequenceEqual("PendingNew"u8) ? VenueOrderStatus.PendingNew
        : VenueOrderStatus.Unknown;

    /// <summary>The status named by the reader's current string token, escapes decoded; anything but a string is <see cref="VenueOrderStatus.Unknown"/>.</summary>
    public static VenueOrderStatus FromToken(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return VenueOrderStatus.Unknown;
        }

        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            return FromUtf8(reader.ValueSpan);
        }

        return AnswerFields.TextEquals(ref reader, "Canceled"u8) ? VenueOrderStatus.Canceled
            : AnswerFields.TextEquals(ref reader, "Filled"u8) ? VenueOrderStatus.Filled
            : AnswerFields.TextEquals(ref reader, "New"u8) ? VenueOrderStatus.New
            : AnswerFields.TextEquals(ref reader, "PartiallyFilled"u8) ? VenueOrderStatus.PartiallyFilled
            : AnswerFields.TextEquals(ref reader, "Rejected"u8) ? VenueOrderStatus.Rejected
            : AnswerFields.TextEquals(ref reader, "PendingNew"u8) ? VenueOrderStatus.PendingNew
            : VenueOrderStatus.Unknown;
    }
}
