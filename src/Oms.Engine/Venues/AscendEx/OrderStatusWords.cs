namespace Oms.Engine.Venues.AscendEx;

/// <summary>The venue's words for an order's status (status query <c>status</c>, order stream <c>st</c>).</summary>
internal static class OrderStatusWords
{
    /// <summary>The status a word names; <see cref="VenueOrderStatus.Unknown"/> for any other word.</summary>
    public static VenueOrderStatus Parse(ReadOnlySpan<byte> word) => word switch
    {
        _ when word.SequenceEqual("Canceled"u8) => VenueOrderStatus.Canceled,
        _ when word.SequenceEqual("Filled"u8) => VenueOrderStatus.Filled,
        _ when word.SequenceEqual("New"u8) => VenueOrderStatus.New,
        _ when word.SequenceEqual("PartiallyFilled"u8) => VenueOrderStatus.PartiallyFilled,
        _ when word.SequenceEqual("PendingNew"u8) => VenueOrderStatus.PendingNew,
        _ when word.SequenceEqual("Rejected"u8) => VenueOrderStatus.Rejected,
        _ => VenueOrderStatus.Unknown,
    };
}
