using System.Net.Sockets;

namespace Oms.Venue.Tests;

/// <summary>The README's "Testing against the simulator" flow: a venue per test, started and stopped by <c>await using</c>.</summary>
public sealed class VenueInTestsTests
{
    [Fact]
    public async Task StartAsync_AwaitUsingInATest_ServesTheSeededBookAndStopsAtTheEndOfTheScope()
    {
        int port;
        await using (var venue = await VenueServer.StartAsync(new VenueOptions()))
        {
            var orderIds = venue.Book.SeedGenerated(100, "BTC-PERP");
            port = venue.Port;

            // The code under test: here an independent HTTP/2 client, signing with the venue's own credentials.
            using (var client = new VenueClient(venue))
            {
                foreach (var orderId in orderIds)
                {
                    await client.CancelAsync(orderId);
                }
            }

            Assert.Equal(100, venue.Stats.Acked);
            Assert.Equal(0, venue.Book.OpenCount);
        }

        // Disposed: the port no longer accepts connections.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync(IPAddress.Loopback, port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }
}
