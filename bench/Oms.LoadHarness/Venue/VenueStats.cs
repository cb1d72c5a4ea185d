using System.Text.Json;

namespace Oms.LoadHarness.Venue;

/// <summary>The venue's counters the harness reconciles against (a subset of <c>GET /stats</c>).</summary>
internal readonly record struct VenueStats(long ConnectionsOpened, long Streams, long CancelRequests, long Acked, long Rejected, long DuplicateRequestIds)
{
    /// <summary>Reads the counters from the body of <c>GET /stats</c>.</summary>
    public static VenueStats Parse(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        return new VenueStats(
            root.GetProperty("connectionsOpened").GetInt64(),
            root.GetProperty("streams").GetInt64(),
            root.GetProperty("cancelRequests").GetInt64(),
            root.GetProperty("acked").GetInt64(),
            root.GetProperty("rejected").GetInt64(),
            root.GetProperty("duplicateRequestIds").GetInt64());
    }

    /// <summary>What happened between two snapshots.</summary>
    public static VenueStats operator -(VenueStats after, VenueStats before) => new(
        after.ConnectionsOpened - before.ConnectionsOpened,
        after.Streams - before.Streams,
        after.CancelRequests - before.CancelRequests,
        after.Acked - before.Acked,
        after.Rejected - before.Rejected,
        after.DuplicateRequestIds - before.DuplicateRequestIds);

    /// <summary>The same as <see cref="op_Subtraction"/>, for languages without operators.</summary>
    public static VenueStats Subtract(VenueStats after, VenueStats before) => after - before;
}
