namespace Oms.Venue.Tests.Support;

/// <summary>Starts a venue with known credentials for one test and stops it at the end.</summary>
internal static class TestVenues
{
    public static readonly VenueCredentials Credentials = new("testkey0123456789", "hV8FgjyJtpvVeAcMAgzgAFQCN36wmbWuN7o3WPcYcYhFd8qvE43gzFGVsFcCqMNk", "6");

    public static Task<VenueServer> StartAsync(VenueFaults? faults = null, bool tls = false, int maxConcurrentStreams = 100, TimeProvider? clock = null) =>
        VenueServer.StartAsync(new VenueOptions
        {
            Credentials = Credentials,
            Faults = faults ?? VenueFaults.None,
            UseTls = tls,
            MaxConcurrentStreams = maxConcurrentStreams,
            Clock = clock ?? TimeProvider.System,
        });

    /// <summary>A venue with the test credentials and whatever else <paramref name="options"/> sets.</summary>
    public static Task<VenueServer> StartAsync(VenueOptions options) =>
        VenueServer.StartAsync(new VenueOptions
        {
            Credentials = Credentials,
            Faults = options.Faults,
            Seed = options.Seed,
            Book = options.Book,
            FillBeforeCancelShare = options.FillBeforeCancelShare,
            FillAfterAckShare = options.FillAfterAckShare,
            CancelDelayMs = options.CancelDelayMs,
            StatusLeavesOutUnknownIds = options.StatusLeavesOutUnknownIds,
            UseTls = options.UseTls,
            StreamPingIntervalMs = options.StreamPingIntervalMs,
            StreamQueueCapacity = options.StreamQueueCapacity,
            RateLimitPerSecond = options.RateLimitPerSecond,
            Clock = options.Clock,
        });
}
