using Oms.Engine.Tests.Confirmation.WebSockets;
using Oms.Testing.Waiting;
using Oms.Transport.Http2;

namespace Oms.Engine.Tests.Confirmation;

/// <summary>
/// Which client carries the order stream, and the HTTP/2 tunnel's endings: our tunnel when the venue speaks RFC 8441,
/// the runtime's HTTP/1.1 WebSocket when it does not, and a GOAWAY mid-stream reported as a gap before reconnecting.
/// </summary>
public sealed class OrderStreamTransportTests
{
    private const string Group = "4";
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(15);

    private static readonly ConfirmationSettings s_fast = new()
    {
        StreamPingInterval = TimeSpan.FromSeconds(5),
        StreamReconnectMinDelay = TimeSpan.FromMilliseconds(20),
        StreamReconnectMaxDelay = TimeSpan.FromMilliseconds(100),
    };

    [Fact]
    public async Task TlsVenueWithoutHttp2_FallsBackToTheHttp11WebSocket_AndGoesLive()
    {
        // Arrange
        using var authority = new TestAuthority();
        await using var server = await ScriptedStreamServer.StartAsync(
            async session =>
            {
                await session.HandshakeAsync();
                await session.SendAsync("""{"m":"order","data":{"orderId":"a1","st":"Canceled"}}""");
                await session.HoldAsync();
            },
            tlsCertificate: authority.Server,
            http1Only: true);
        var sink = new RecordingStreamSink();
        var stream = new OrderStream(server.BaseUri, Group, CancelProfile.V1, ScriptedStreamServer.Credentials, authority.CaPath, s_fast, sink);

        // Act
        stream.Start();
        bool delivered = await Waiting.WaitUntilAsync(() => sink.OrderCount == 1, s_bound);
        await StopAsync(stream);

        // Assert
        Assert.True(delivered, stream.LastFailure);
        Assert.Equal(StreamTransport.Http11Fallback, stream.Transport);
        Assert.Equal([("a1", VenueOrderStatus.Canceled)], sink.Orders.ToArray());
        var attempt = Assert.Single(server.Attempts);
        Assert.Equal(("HTTP/1.1", true), (attempt.Protocol, attempt.Signed));
        Assert.Equal(0, stream.ConnectFailures);
    }

    [Fact]
    public async Task CleartextVenueWithoutExtendedConnect_IsAskedForAnHttp11Upgrade_Signed()
    {
        // Arrange: HTTP/2, but SETTINGS without ENABLE_CONNECT_PROTOCOL; the peer records the HTTP/1.1 request that follows.
        using var peer = TunnelPeer.Start(c =>
        {
            c.Accept(enableConnect: false);
            c.WaitClosed();
        });
        var stream = new OrderStream(peer.BaseUri, Group, CancelProfile.V1, ScriptedStreamServer.Credentials, null, s_fast, new RecordingStreamSink());

        // Act
        stream.Start();
        bool asked = await Waiting.WaitUntilAsync(() => !peer.Http11Requests.IsEmpty, s_bound);
        await StopAsync(stream);

        // Assert
        Assert.True(asked, stream.LastFailure);
        string request = peer.Http11Requests.First();
        Assert.StartsWith("GET /4/api/pro/v1/stream HTTP/1.1\r\n", request, StringComparison.Ordinal);
        Assert.Contains("Upgrade: websocket", request, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"x-auth-key: {ScriptedStreamServer.ApiKey}", request, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(peer.Connections[0].Seen, f => f.Type == PeerFrames.Headers);
        Assert.Equal(StreamTransport.None, stream.Transport);
    }

    [Fact]
    public async Task GoAwayMidStream_ReportsAGap_ThenReconnectsAndResubscribes()
    {
        // Arrange: the first connection goes live, delivers one order, then says GOAWAY; the second stays.
        int connections = 0;
        using var peer = TunnelPeer.Start(c =>
        {
            int number = Interlocked.Increment(ref connections);
            c.Accept();
            c.SendText("""{"m":"connected","type":"auth"}""");
            while (!c.NextWebSocketFrame().Text.Contains("\"sub\"", StringComparison.Ordinal))
            {
            }

            c.SendText("""{"m":"sub","id":"oms-orders","ch":"order:futures","code":0}""");
            if (number == 1)
            {
                c.SendText("""{"m":"order","data":{"orderId":"a1","st":"Canceled"}}""");
                c.Send(PeerFrames.GoAwayFrame(1, Http2ErrorCode.NoError));
            }

            c.WaitClosed();
        });
        var sink = new RecordingStreamSink();
        var stream = new OrderStream(peer.BaseUri, Group, CancelProfile.V1, ScriptedStreamServer.Credentials, null, s_fast, sink);

        // Act
        stream.Start();
        bool again = await Waiting.WaitUntilAsync(() => sink.Live == 2, s_bound);
        string? failure = stream.LastFailure;
        await StopAsync(stream);

        // Assert
        Assert.True(again, $"{failure}; events {string.Join(",", sink.Events)}");
        Assert.Equal(["live", "order", "gap", "live"], sink.Events.ToArray());
        Assert.Contains("GOAWAY", failure, StringComparison.Ordinal);
        Assert.Equal((1L, 1L, 0L), (stream.Reconnects, stream.Gaps, stream.ConnectFailures));
        Assert.Equal(StreamTransport.Http2Tunnel, stream.Transport);
    }

    private static async Task StopAsync(OrderStream stream)
    {
        Assert.True(await stream.StopAsync().WaitAsync(s_bound), "The stream's thread did not end.");
        await stream.DisposeAsync();
        Assert.False(stream.IsRunning);
    }
}
