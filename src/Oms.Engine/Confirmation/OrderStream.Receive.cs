using System.Buffers;
using System.Net;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using Oms.Engine.Signing;
using Oms.Transport.Connections;

namespace Oms.Engine.Confirmation;

/// <summary>One live connection of the order stream: receiving into the reused buffer, answering and sending pings, and what each message means.</summary>
internal sealed partial class OrderStream
{
    // The steady state: nothing in here allocates per message. Stream thread only.
    private void Receive(IStreamSocket socket, ref ConnectionEnding ending)
    {
        long interval = ToTimestampTicks(_settings.StreamPingInterval);

        // A cold start (the first connection of a process, code still being compiled) may take longer than a short
        // ping interval allows; the handshake gets at least the connect timeout.
        long handshakeBudget = ToTimestampTicks(s_connectTimeout);
        long opened = Stopwatch.GetTimestamp();
        long lastTraffic = opened;
        long nextPing = opened + interval;
        long liveSince = 0;
        var state = StreamState.AwaitingConnected;
        byte[] message = _receiveBuffer;
        int length = 0;
        bool skipping = false;
        _pingSentTimestamp = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                long now = Stopwatch.GetTimestamp();

                // Silence ends a connection, and so does a handshake not done in the same time: pongs alone keep
                // nothing alive that is not subscribed.
                long deadline = state == StreamState.Live
                    ? lastTraffic + (SilentIntervals * interval)
                    : opened + Math.Max(SilentIntervals * interval, handshakeBudget);
                if (now >= deadline)
                {
                    _lastFailure = state == StreamState.Live
                        ? $"the stream was silent for {SilentIntervals} ping intervals"
                        : $"the stream was not subscribed within {SilentIntervals} ping intervals (at least {s_connectTimeout.TotalSeconds:0} s)";
                    return;
                }

                if (now >= nextPing)
                {
                    _pingSentTimestamp = now;
                    if (!Send(socket, s_ping))
                    {
                        return;
                    }

                    nextPing = now + interval;
                }

                if (!socket.TryReceive(message.AsMemory(length), ToTimeoutMs(Math.Min(deadline, nextPing) - now), out var received))
                {
                    continue;
                }

                lastTraffic = Stopwatch.GetTimestamp();
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    _lastFailure = "the venue closed the stream";
                    return;
                }

                length += received.Count;
                if (!received.EndOfMessage)
                {
                    if (length == message.Length)
                    {
                        GrowOrSkip(ref message, ref length, ref skipping);
                    }

                    continue;
                }

                if (skipping)
                {
                    skipping = false;
                    Interlocked.Increment(ref _oversizedMessages);
                }
                else if (!Handle(socket, message.AsSpan(0, length), ref state))
                {
                    return;
                }
                else if (state == StreamState.Live && liveSince == 0)
                {
                    liveSince = lastTraffic;
                    ending.WentLive = true;
                }

                length = 0;
                if (message != _receiveBuffer)
                {
                    ArrayPool<byte>.Shared.Return(message);
                    message = _receiveBuffer;
                }
            }
        }
        finally
        {
            if (message != _receiveBuffer)
            {
                ArrayPool<byte>.Shared.Return(message);
            }

            if (liveSince != 0)
            {
                ending.LiveFor = Stopwatch.GetElapsedTime(liveSince);
            }
        }
    }

    // False when the message ends the connection.
    private bool Handle(IStreamSocket socket, ReadOnlySpan<byte> json, ref StreamState state)
    {
        switch (OrderStreamProtocol.Parse(json, _orderIdScratch, out var parsed))
        {
            case OrderStreamMessageKind.Order:
                Interlocked.Increment(ref _messages);
                _sink.OnOrderStatus(_orderIdScratch.AsSpan(0, parsed.OrderIdLength), parsed.Status);
                return true;
            case OrderStreamMessageKind.Ping:
                return Send(socket, s_pong);
            case OrderStreamMessageKind.Pong:
                OnPong(parsed.ServerTimeMs);
                return true;
            case OrderStreamMessageKind.Connected when !parsed.Authenticated:
                _lastFailure = "the venue did not authenticate the stream (connected as unauth)";
                return false;
            case OrderStreamMessageKind.Connected when state == StreamState.AwaitingConnected:
                state = StreamState.AwaitingSubAck;
                return Send(socket, _subscribe);
            case OrderStreamMessageKind.SubAck when parsed.Code != 0:
                _lastFailure = $"the venue refused the order subscription: code {parsed.Code}";
                return false;
            case OrderStreamMessageKind.SubAck when state == StreamState.AwaitingSubAck:
                state = StreamState.Live;
                _sink.OnStreamLive();
                return true;
            case OrderStreamMessageKind.Disconnected:
                _lastFailure = $"the venue disconnected the stream: code {parsed.Code}";
                return false;
            default:
                return true;
        }
    }

    private void OnPong(long serverMs)
    {
        if (serverMs <= 0)
        {
            return;
        }

        long localMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        long sent = _pingSentTimestamp;
        if (sent != 0)
        {
            // The venue stamped the pong about half a round trip before it arrived.
            localMs -= (long)(Stopwatch.GetElapsedTime(sent).TotalMilliseconds / 2);
            _pingSentTimestamp = 0;
        }

        Volatile.Write(ref _clockOffsetMillis, serverMs - localMs);
        Interlocked.Increment(ref _clockSamples);
    }

    private bool Send(IStreamSocket socket, byte[] message)
    {
        // A ping interval, or the connect timeout when that is longer: a short interval must not fail a cold first send.
        var budget = _settings.StreamPingInterval > s_connectTimeout ? _settings.StreamPingInterval : s_connectTimeout;
        if (socket.TrySend(message, ToTimeoutMs(ToTimestampTicks(budget))))
        {
            return true;
        }

        _lastFailure = "a send to the stream did not finish within a ping interval (at least the connect timeout)";
        return false;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GrowOrSkip(ref byte[] message, ref int length, ref bool skipping)
    {
        if (skipping || message.Length >= MaxMessageSize)
        {
            // Past the limit the rest of the message is received over the same bytes and dropped.
            skipping = true;
            length = 0;
            return;
        }

        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Min(message.Length * 2, MaxMessageSize));
        message.AsSpan(0, length).CopyTo(larger);
        if (message != _receiveBuffer)
        {
            ArrayPool<byte>.Shared.Return(message);
        }

        message = larger;
    }
}
