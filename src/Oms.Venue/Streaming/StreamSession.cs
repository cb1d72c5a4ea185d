using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Oms.Venue.Handling;
using Oms.Venue.Stats;

namespace Oms.Venue.Streaming;

/// <summary>One accepted private stream: the client's requests, the venue's keep-alive, and the account's order messages.</summary>
/// <remarks>
/// Three loops share the socket: the reader answers the client, the keep-alive pings a quiet client and ends the
/// session after two unanswered pings, the writer sends order messages. A WebSocket allows one send at a time, so
/// every send takes <see cref="_sendLock"/>. Order messages wait in a bounded queue filled by the book's threads
/// (<see cref="Offer"/> never blocks): when a slow client lets it fill, the oldest waiting message is dropped and
/// counted, as the exchange drops what a client cannot take.
/// </remarks>
internal sealed class StreamSession : IDisposable
{
    private const int SaltDrop = 5;
    private const int MaxRequestBytes = 16 * 1024;

    /// <summary>How long the venue waits for the client's close frame after sending its own.</summary>
    private static readonly TimeSpan s_closeHandshakeTimeout = TimeSpan.FromSeconds(2);

    private readonly WebSocket _socket;
    private readonly StreamProfile _profile;
    private readonly VenueServer _venue;
    private readonly StreamMessages _messages;
    private readonly FaultDice _dice;
    private readonly int _pingIntervalMs;
    private readonly Channel<StreamedOrder> _orders;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Func<Task> _endStream;
    private long _lastHeardMs = Environment.TickCount64;
    private volatile bool _subscribed;
    private volatile bool _droppedByFault;

    /// <param name="socket">The accepted WebSocket.</param>
    /// <param name="endStream">Ends the HTTP stream under the socket from the venue's side, delivering what was sent (HTTP/2 END_STREAM).</param>
    /// <param name="profile">The stream's profile.</param>
    /// <param name="venue">The venue, for its clock, faults and counters.</param>
    /// <param name="messages">The account's message writer.</param>
    /// <param name="dice">The seeded draws that pick the dropped messages.</param>
    /// <param name="pingIntervalMs">How long the client may stay quiet before a ping.</param>
    /// <param name="queueCapacity">How many order messages may wait.</param>
    public StreamSession(
        WebSocket socket, Func<Task> endStream, StreamProfile profile, VenueServer venue, StreamMessages messages, FaultDice dice, int pingIntervalMs, int queueCapacity)
    {
        _socket = socket;
        _endStream = endStream;
        _profile = profile;
        _venue = venue;
        _messages = messages;
        _dice = dice;
        _pingIntervalMs = pingIntervalMs;
        var stats = venue.Stats;
        _orders = Channel.CreateBounded<StreamedOrder>(
            new BoundedChannelOptions(queueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => stats.OnStreamBacklogDropped());
    }

    private VenueStats Stats => _venue.Stats;

    /// <summary>Queues an order message if the client subscribed; called on the book's threads, never blocks.</summary>
    public void Offer(StreamedOrder order)
    {
        if (_subscribed)
        {
            _orders.Writer.TryWrite(order);
        }
    }

    /// <summary>Serves the session until the client leaves, the venue ends it, or <paramref name="stop"/> fires.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var token = ending.Token;
        if (!await TrySendAsync(StreamMessages.Connected, token).ConfigureAwait(false))
        {
            return;
        }

        var reading = ReadAsync(token);
        var writing = WriteOrdersAsync(token);
        var keeping = KeepAliveAsync(token);
        await Task.WhenAny(reading, writing, keeping).ConfigureAwait(false);

        if (_droppedByFault)
        {
            // The stream ends without a close frame. Cancelling the read at once would reset the stream, and the
            // client would lose messages it received but has not read yet; so wait for the client to go first.
            await EndStreamAsync().ConfigureAwait(false);
            await Task.WhenAny(reading, Task.Delay(s_closeHandshakeTimeout, stop)).ConfigureAwait(false);
        }
        else if (_socket.State == WebSocketState.CloseSent)
        {
            // The venue said goodbye: give the client a moment to answer its close frame before the stream goes.
            await Task.WhenAny(reading, Task.Delay(s_closeHandshakeTimeout, stop)).ConfigureAwait(false);
        }
        else if (_socket.State == WebSocketState.CloseReceived)
        {
            await TryCloseAsync(WebSocketCloseStatus.NormalClosure, "", stop).ConfigureAwait(false);
        }

        _orders.Writer.TryComplete();
        await ending.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(reading, writing, keeping).ConfigureAwait(false);
    }

    private async Task ReadAsync(CancellationToken token)
    {
        var message = new ArrayBufferWriter<byte>(256);
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(message.GetMemory(1024), token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Advance(result.Count);
                if (message.WrittenCount > MaxRequestBytes)
                {
                    await TrySendAsync(StreamMessages.Error("", $"A message may be at most {MaxRequestBytes} bytes."), token).ConfigureAwait(false);
                    return;
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                Volatile.Write(ref _lastHeardMs, Environment.TickCount64);
                await AnswerAsync(message.WrittenSpan, token).ConfigureAwait(false);
                message.ResetWrittenCount();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // The client went away, or the session is ending: either way the reading is over.
        }
    }

    private Task<bool> AnswerAsync(ReadOnlySpan<byte> utf8, CancellationToken token)
    {
        if (!StreamRequest.TryRead(utf8, out var request))
        {
            return TrySendAsync(StreamMessages.Error("", "The message is not a JSON object."), token);
        }

        switch (request.Op)
        {
            case "ping":
                return TrySendAsync(StreamMessages.Pong(_venue.NowMs()), token);
            case "pong":
                // Being heard is all a pong is for; the read itself reset the keep-alive.
                return Task.FromResult(true);
            case "sub":
            case "unsub":
                var known = string.Equals(request.Channel, _profile.OrderChannel, StringComparison.Ordinal);
                if (known)
                {
                    _subscribed = request.Op == "sub";
                }

                var error = known ? null : $"Unknown channel '{request.Channel}'; this venue serves '{_profile.OrderChannel}'.";
                return TrySendAsync(StreamMessages.SubscriptionAnswer(request.Op, request.Id, request.Channel, error), token);
            default:
                return TrySendAsync(StreamMessages.Error(request.Id, $"Unknown op '{request.Op}'."), token);
        }
    }

    private async Task WriteOrdersAsync(CancellationToken token)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using var json = new Utf8JsonWriter(buffer);
        var sent = 0L;
        try
        {
            var reader = _orders.Reader;
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var order))
                {
                    var faults = _venue.Faults;
                    if (faults.StreamDropShare > 0 && _dice.Draw(FaultDice.KeyOf(order.Order.OrderId), SaltDrop) < faults.StreamDropShare)
                    {
                        Stats.OnStreamMessageDropped();
                        continue;
                    }

                    buffer.ResetWrittenCount();
                    json.Reset(buffer);
                    _messages.WriteOrder(json, order, _profile.FlatOrders);
                    json.Flush();
                    if (!await TrySendAsync(buffer.WrittenMemory, token).ConfigureAwait(false))
                    {
                        return;
                    }

                    Stats.OnStreamMessageSent();
                    sent++;
                    if (faults.StreamCloseEveryN > 0 && sent % faults.StreamCloseEveryN == 0)
                    {
                        // No close frame, no goodbye: the session ends and with it the HTTP stream, as when a gateway drops it.
                        Stats.OnStreamClosedByFault();
                        _droppedByFault = true;
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The session is ending.
        }
    }

    private async Task KeepAliveAsync(CancellationToken token)
    {
        var lastPingMs = 0L;
        var unanswered = 0;
        try
        {
            while (true)
            {
                var heardMs = Volatile.Read(ref _lastHeardMs);
                if (heardMs >= lastPingMs)
                {
                    unanswered = 0;
                }

                var waitMs = Math.Max(heardMs, lastPingMs) + _pingIntervalMs - Environment.TickCount64;
                if (waitMs > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(waitMs), token).ConfigureAwait(false);
                    continue;
                }

                if (unanswered == 2)
                {
                    // Facts sheet: two missed pings end the session with 100005, then the close.
                    await TrySendAsync(StreamMessages.Disconnected("Session closed: no answer to two pings."), token).ConfigureAwait(false);
                    await TryCloseAsync(WebSocketCloseStatus.PolicyViolation, "no pong", token).ConfigureAwait(false);
                    return;
                }

                if (!await TrySendAsync(StreamMessages.Ping, token).ConfigureAwait(false))
                {
                    return;
                }

                lastPingMs = Environment.TickCount64;
                unanswered++;
            }
        }
        catch (OperationCanceledException)
        {
            // The session is ending.
        }
    }

    private async Task<bool> TrySendAsync(ReadOnlyMemory<byte> utf8, CancellationToken token)
    {
        try
        {
            await _sendLock.WaitAsync(token).ConfigureAwait(false);
            try
            {
                await _socket.SendAsync(utf8, WebSocketMessageType.Text, endOfMessage: true, token).ConfigureAwait(false);
                return true;
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            return false;
        }
    }

    private async Task EndStreamAsync()
    {
        try
        {
            await _sendLock.WaitAsync().ConfigureAwait(false);
            try
            {
                await _endStream().ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Already gone: nothing left to end.
        }
    }

    private async Task TryCloseAsync(WebSocketCloseStatus status, string description, CancellationToken token)
    {
        try
        {
            await _sendLock.WaitAsync(token).ConfigureAwait(false);
            try
            {
                await _socket.CloseOutputAsync(status, description, token).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // Already gone: nothing left to close.
        }
    }

    public void Dispose() => _sendLock.Dispose();
}
