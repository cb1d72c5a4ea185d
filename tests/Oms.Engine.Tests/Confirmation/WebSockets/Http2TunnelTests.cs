using System.Net.Sockets;
using System.Net.WebSockets;
using Oms.Engine.Confirmation.WebSockets;
using Oms.Transport.Http2;

namespace Oms.Engine.Tests.Confirmation.WebSockets;

/// <summary>
/// The HTTP/2 tunnel and the WebSocket over it against a raw venue: extended CONNECT asked only when allowed, the
/// answer (CONTINUATION included), flow control over a burst, GOAWAY, pings at both layers, close, abort.
/// </summary>
public sealed class Http2TunnelTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void Open_VenueWithoutExtendedConnect_SaysSo_AndAsksNothing()
    {
        // Arrange
        using var peer = TunnelPeer.Start(c =>
        {
            c.Accept(enableConnect: false);
            c.WaitClosed();
        });
        using var tunnel = new Http2Tunnel();

        // Act
        var outcome = tunnel.Open(Request(peer), s_timeout);
        tunnel.Dispose();

        // Assert
        Assert.Equal(TunnelOutcome.NoExtendedConnect, outcome);
        var connection = Assert.Single(peer.Connections);
        connection.WaitClosed();
        Assert.DoesNotContain(connection.Seen, f => f.Type == PeerFrames.Headers);
        Assert.Contains(connection.Seen, f => f.Type == PeerFrames.Settings && f.Flags == PeerFrames.Ack);
    }

    [Fact]
    public void Open_VenueAllowsIt_SendsTheExtendedConnect_AndOpens()
    {
        // Arrange
        List<(string Name, string Value)>? asked = null;
        ReceivedFrame? headers = null;
        using var peer = TunnelPeer.Start(c =>
        {
            asked = c.Accept();
            headers = c.Seen.First(f => f.Type == PeerFrames.Headers);
            c.WaitClosed();
        });
        using var tunnel = new Http2Tunnel();
        int port = peer.Port;

        // Act
        var outcome = tunnel.Open(Request(peer), s_timeout);
        tunnel.Dispose();
        peer.Dispose();

        // Assert
        Assert.Equal(TunnelOutcome.Open, outcome);
        Assert.Equal(200, tunnel.ResponseStatusCode);
        Assert.Equal(
            [(":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "http"), (":path", "/4/api/pro/v1/stream"),
             (":authority", $"127.0.0.1:{port}"), ("sec-websocket-version", "13"), ("x-auth-key", "key")],
            asked);
        Assert.Equal((1, PeerFrames.EndHeaders), (headers!.StreamId, headers.Flags));
    }

    [Fact]
    public void Open_RefusalSplitOverContinuation_IsRefusedWithItsStatus()
    {
        // Arrange: :status 401 as a literal with an indexed name (RFC 7541 section 6.2.2), cut in two.
        using var peer = TunnelPeer.Start(c =>
        {
            c.Send(PeerFrames.SettingsFrame(((Http2SettingsParameter)0x8, 1)));
            c.Next(f => f.Type == PeerFrames.Headers);
            c.Send(PeerFrames.HeadersFrame(1, [0x08, 0x03, (byte)'4'], flags: PeerFrames.EndStream));
            c.Send(PeerFrames.ContinuationFrame(1, [(byte)'0', (byte)'1']));
            c.WaitClosed();
        });
        using var tunnel = new Http2Tunnel();

        // Act
        var outcome = tunnel.Open(Request(peer), s_timeout);

        // Assert
        Assert.Equal(TunnelOutcome.Refused, outcome);
        Assert.Equal(401, tunnel.ResponseStatusCode);
    }

    [Fact]
    public void Receive_BurstBeyondTheReceiveWindow_ArrivesWhole_BecauseTheClientGivesCreditForStreamAndConnection()
    {
        // Arrange: the venue keeps to its windows, so without WINDOW_UPDATE it would stall after 1 MiB.
        const int messageCount = 400;
        string body = new('x', 8_000);
        using var peer = TunnelPeer.Start(c =>
        {
            c.Accept();
            for (int i = 0; i < messageCount; i++)
            {
                c.SendText(body);
            }

            c.WaitClosed();
        });
        using var tunnel = new Http2Tunnel();
        Assert.Equal(TunnelOutcome.Open, tunnel.Open(Request(peer), s_timeout));
        var socket = new TunnelWebSocket(tunnel);

        // Act
        var messages = ReceiveMessages(socket, messageCount);
        int updates = tunnel.WindowUpdatesSent;
        socket.Dispose();
        var connection = peer.Connections.Single();
        connection.WaitClosed();

        // Assert
        Assert.Equal(messageCount, messages.Count);
        Assert.All(messages, m => Assert.Equal(body, m));
        Assert.True(messageCount * 8_000 > 3 * TunnelWindows.ReceiveWindow);
        Assert.True(connection.Credited(1) >= (messageCount * 8_000) - TunnelWindows.ReceiveWindow, $"stream credit {connection.Credited(1)}");
        Assert.True(connection.Credited(0) >= (messageCount * 8_000) - TunnelWindows.DefaultWindow, $"connection credit {connection.Credited(0)}");
        Assert.True(updates >= 4, $"{updates} updates");
    }

    [Fact]
    public void Receive_GoAwayAfterAMessage_DeliversTheMessage_ThenEndsTheTunnel()
    {
        // Arrange
        using var peer = TunnelPeer.Start(c =>
        {
            c.Accept();
            c.SendText("before");
            c.Send(PeerFrames.GoAwayFrame(1, Http2ErrorCode.NoError));
            c.WaitClosed();
        });
        using var tunnel = new Http2Tunnel();
        Assert.Equal(TunnelOutcome.Open, tunnel.Open(Request(peer), s_timeout));
        using var socket = new TunnelWebSocket(tunnel);

        // Act
        var first = ReceiveMessages(socket, 1);
        var ended = Assert.Throws<IOException>(() => ReceiveMessages(socket, 1));

        // Assert
        Assert.Equal(["before"], first);
        Assert.Contains("GOAWAY", ended.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receive_Http2PingAndWebSocketPing_AreBothAnswered()
    {
        // Arrange
        ReceivedFrame? pingAck = null;
        var pongSeen = new TaskCompletionSource<ClientWebSocketFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var peer = TunnelPeer.Start(c =>
        {
            c.Accept();
            c.Send(PeerFrames.PingFrame(0x1122_3344_5566_7788));
            c.SendData(ServerFrames.Frame(ServerFrames.Ping, [7, 8]));
            c.SendText("after");
            pingAck = c.Next(f => f.Type == PeerFrames.Ping);
            pongSeen.TrySetResult(c.NextWebSocketFrame());
            c.WaitClosed();
        });
        using var tunnel = new Http2Tunnel();
        Assert.Equal(TunnelOutcome.Open, tunnel.Open(Request(peer), s_timeout));
        var socket = new TunnelWebSocket(tunnel);

        // Act
        var messages = ReceiveMessages(socket, 1);
        var pong = await pongSeen.Task.WaitAsync(s_timeout);
        socket.Dispose();
        peer.Dispose();

        // Assert
        Assert.Equal(["after"], messages);
        Assert.Equal(PeerFrames.Ack, pingAck!.Flags);
        Assert.Equal(PeerFrames.PingFrame(0x1122_3344_5566_7788).AsSpan(9).ToArray(), pingAck.Payload);
        Assert.Equal((true, ServerFrames.Pong, true), (pong.Fin, pong.Opcode, pong.Masked));
        Assert.Equal([7, 8], pong.Payload);
        Assert.Equal(1, socket.PingsAnswered);
    }

    [Fact]
    public async Task Receive_VenueCloses_AnswersWithItsCode_AndReportsClose()
    {
        // Arrange
        var answered = new TaskCompletionSource<ClientWebSocketFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var peer = TunnelPeer.Start(c =>
        {
            c.Accept();
            c.SendData(ServerFrames.Frame(ServerFrames.Close, [0x03, 0xE8, (byte)'b']));
            answered.TrySetResult(c.NextWebSocketFrame());
            c.WaitClosed();
        });
        using var tunnel = new Http2Tunnel();
        Assert.Equal(TunnelOutcome.Open, tunnel.Open(Request(peer), s_timeout));
        var socket = new TunnelWebSocket(tunnel);

        // Act
        bool received = socket.TryReceive(new byte[64], (int)s_timeout.TotalMilliseconds, out var result);
        var answer = await answered.Task.WaitAsync(s_timeout);
        socket.Dispose();
        peer.Dispose();

        // Assert
        Assert.True(received);
        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal((ServerFrames.Close, true), (answer.Opcode, answer.Masked));
        Assert.Equal([0x03, 0xE8], answer.Payload);
    }

    [Fact]
    public async Task Abort_FromAnotherThread_EndsAReceiveBlockedForAMinute()
    {
        // Arrange
        using var peer = TunnelPeer.Start(c =>
        {
            c.Accept();
            c.WaitClosed();
        });
        using var tunnel = new Http2Tunnel();
        Assert.Equal(TunnelOutcome.Open, tunnel.Open(Request(peer), s_timeout));
        var socket = new TunnelWebSocket(tunnel);
        var receiving = Task.Factory.StartNew(() => socket.TryReceive(new byte[64], 60_000, out _), TaskCreationOptions.LongRunning);
        await Task.Delay(100);

        // Act
        socket.Abort();
        var ended = await Record.ExceptionAsync(() => receiving.WaitAsync(s_timeout));

        // Assert
        Assert.True(ended is IOException or ObjectDisposedException or SocketException, ended?.ToString());
        Assert.True(tunnel.IsAborted);
        socket.Dispose();
    }

    private static TunnelRequest Request(TunnelPeer peer) =>
        new("127.0.0.1", peer.Port, Tls: false, Pinned: null, $"127.0.0.1:{peer.Port}", "/4/api/pro/v1/stream", [new("x-auth-key", "key")]);

    private static List<string> ReceiveMessages(TunnelWebSocket socket, int count)
    {
        var messages = new List<string>();
        var buffer = new byte[64 * 1024];
        int length = 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(s_timeout.TotalSeconds * Stopwatch.Frequency);
        while (messages.Count < count)
        {
            Assert.True(Stopwatch.GetTimestamp() < deadline, $"{messages.Count} of {count} messages");
            if (!socket.TryReceive(buffer.AsMemory(length), 100, out var result))
            {
                continue;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                messages.Add(Encoding.UTF8.GetString(buffer, 0, length));
                length = 0;
            }
        }

        return messages;
    }
}
