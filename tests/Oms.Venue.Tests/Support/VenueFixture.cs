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
}
