using System.Net.WebSockets;
using static Oms.Testing.Waiting.Waiting;

namespace Oms.Venue.Tests.Streaming;

/// <summary>The stream's faults: each does what it says and is counted, and each test fails if its fault is ignored.</summary>
public sealed class OrderStreamFaultTests
{
    private const string Symbol = "BTC-PERP";

    [Fact]
    public async Task DropShareOne_OrderCanceled_MessageDroppedAndCountedNotSent()
    {
        // Ignored, the message would be sent: StreamMessagesDropped would stay 0 and the wait below would fail.
        await using var venue = await TestVenues.StartAsync(new VenueFaults { StreamDropShare = 1.0 });
        using var client = await StreamClient.ConnectAsync(venue);
        await client.SubscribeAsync();

        venue.Book.TryCancel(venue.Book.SeedGenerated(1, Symbol)[0], Symbol);

        Assert.True(await WaitUntilAsync(() => venue.Stats.StreamMessagesDropped == 1));
        await client.SendAsync("{\"op\":\"ping\"}");
        await client.ReceiveAsync("pong");
        Assert.Equal(0, venue.Stats.StreamMessagesSent);
    }

    [Fact]
    public async Task DropShareHalf_TwoSessions_BothMissTheSameOrders()
    {
        // The draw is keyed by the seed and the order id, so every session misses the same messages, run after run.
        const int orders = 40;
        await using var venue = await TestVenues.StartAsync(new VenueFaults { StreamDropShare = 0.5 });
        using var first = await StreamClient.ConnectAsync(venue);
        using var second = await StreamClient.ConnectAsync(venue);
        await first.SubscribeAsync();
        await second.SubscribeAsync();
        foreach (var orderId in venue.Book.SeedGenerated(orders, Symbol))
        {
            venue.Book.TryCancel(orderId, Symbol);
        }

        Assert.True(await WaitUntilAsync(() => venue.Stats.StreamMessagesSent + venue.Stats.StreamMessagesDropped == 2 * orders));
        var sent = (int)(venue.Stats.StreamMessagesSent / 2);
        var firstIds = new List<string>();
        var secondIds = new List<string>();
        for (var i = 0; i < sent; i++)
        {
            firstIds.Add((await first.ReceiveAsync("order")).GetProperty("data").GetProperty("orderId").GetString()!);
            secondIds.Add((await second.ReceiveAsync("order")).GetProperty("data").GetProperty("orderId").GetString()!);
        }

        Assert.InRange(sent, 1, orders - 1);
        Assert.Equal(firstIds, secondIds);
    }

    [Fact]
    public async Task CloseEveryTwo_ThreeOrders_SessionEndsAfterTheSecondWithoutCloseFrame()
    {
        // Ignored, the session would stay open: the third receive would time out instead of failing at once.
        await using var venue = await TestVenues.StartAsync(new VenueFaults { StreamCloseEveryN = 2 });
        using var client = await StreamClient.ConnectAsync(venue);
        await client.SubscribeAsync();
        var orders = venue.Book.SeedGenerated(3, Symbol);
        foreach (var orderId in orders)
        {
            venue.Book.TryCancel(orderId, Symbol);
        }

        await client.ReceiveAsync("order");
        await client.ReceiveAsync("order");
        var end = await Record.ExceptionAsync(client.ReceiveAsync);

        Assert.IsType<WebSocketException>(end);
        Assert.True(await WaitUntilAsync(() => venue.Stats.StreamClosedByFault == 1));
        Assert.Equal(2, venue.Stats.StreamMessagesSent);
    }

    [Fact]
    public async Task RefuseWindow_UpgradeDuringIt_Refused503AndCountedThenAcceptedOnceLifted()
    {
        // Ignored, the first connect would succeed and ThrowsAsync would fail.
        await using var venue = await TestVenues.StartAsync(new VenueFaults { StreamRefuseMs = 600_000 });

        var refused = await Assert.ThrowsAsync<RefusedException>(() => StreamClient.ConnectAsync(venue));
        venue.Faults = VenueFaults.None;
        using var client = await StreamClient.ConnectAsync(venue);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Equal(1, venue.Stats.StreamUpgradesRefused);
        Assert.Equal(1, venue.Stats.StreamSessions);
    }

    [Fact]
    public async Task RefuseWindow_AssignedWhileRunning_StartsAWindowThen()
    {
        await using var venue = await TestVenues.StartAsync();
        using var before = await StreamClient.ConnectAsync(venue);

        venue.Faults = new VenueFaults { StreamRefuseMs = 600_000 };
        var refused = await Assert.ThrowsAsync<RefusedException>(() => StreamClient.ConnectAsync(venue));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Equal(1, venue.Stats.StreamUpgradesRefused);
    }

    [Fact]
    public void ValidateStream_PingIntervalOrQueueBelowOne_ThrowsNamingIt()
    {
        var ping = Assert.Throws<ArgumentException>(() => new VenueOptions { StreamPingIntervalMs = 0 }.ValidateStream());
        var queue = Assert.Throws<ArgumentException>(() => new VenueOptions { StreamQueueCapacity = 0 }.ValidateStream());

        Assert.Equal(nameof(VenueOptions.StreamPingIntervalMs), ping.ParamName);
        Assert.Equal(nameof(VenueOptions.StreamQueueCapacity), queue.ParamName);
    }
}
