namespace Oms.Venue.Tests.Support;

/// <summary>Signed cancel requests for the raw probe.</summary>
internal static class ProbeRequests
{
    public static (IReadOnlyList<(string, string)> Headers, byte[] Body) Cancel(VenueServer venue, string requestId, string orderId)
    {
        var now = VenueClient.NowMs();
        var ts = now.ToString(CultureInfo.InvariantCulture);
        var headers = new List<(string, string)>
        {
            (":method", "DELETE"),
            (":scheme", "http"),
            (":authority", venue.BaseUri.Authority),
            (":path", venue.CancelUri().AbsolutePath),
            ("content-type", "application/json"),
            ("x-auth-key", venue.Credentials.ApiKey),
            ("x-auth-timestamp", ts),
            ("x-auth-signature", VenueClient.Sign(venue.Credentials.ApiSecret, ts, "order")),
        };
        return (headers, Encoding.UTF8.GetBytes(VenueClient.CancelBody(requestId, orderId, "BTC-PERP", now)));
    }
}
