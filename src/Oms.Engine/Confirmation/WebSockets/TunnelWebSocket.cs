using System.Net.WebSockets;
using System.Security.Cryptography;

namespace Oms.Engine.Confirmation.WebSockets;

/// <summary>
/// The order stream's WebSocket over an <see cref="Http2Tunnel"/>: receives through a <see cref="WebSocketFrameReader"/>,
/// answers the venue's pings and close itself, and sends masked text frames. Nothing is allocated per message.
/// </summary>
/// <remarks>
/// Masking keys come from the system's random generator, four octets per frame on the stack: RFC 6455 section 5.3 asks
/// for keys the sender's application cannot predict, and the client sends a frame per ping interval, not per message.
/// The stream thread only, except <see cref="Abort"/>.
/// </remarks>
internal sealed class TunnelWebSocket : IStreamSocket
{
    // The client sends a subscription, pings, pongs and a close: far below this.
    private const int MaxMessageLength = 4 * 1024;

    private readonly Http2Tunnel _tunnel;
    private readonly WebSocketFrameReader _reader;
    private readonly byte[] _frame = new byte[WebSocketFrameWriter.FrameLength(MaxMessageLength)];

    /// <summary>Wraps <paramref name="tunnel"/>, which is opened (or not) through <see cref="Tunnel"/>.</summary>
    public TunnelWebSocket(Http2Tunnel tunnel)
    {
        _tunnel = tunnel;
        _reader = new WebSocketFrameReader(tunnel);
    }

    /// <summary>The HTTP/2 connection under the socket.</summary>
    public Http2Tunnel Tunnel => _tunnel;

    /// <summary>Pings from the venue answered with a pong.</summary>
    public int PingsAnswered { get; private set; }

    /// <inheritdoc/>
    public bool TryReceive(Memory<byte> buffer, int timeoutMs, out ValueWebSocketReceiveResult result)
    {
        long deadline = Stopwatch.GetTimestamp() + (timeoutMs * Stopwatch.Frequency / 1000);
        while (true)
        {
            int remaining = (int)Math.Max(0, (deadline - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency);
            var read = _reader.Read(buffer.Span, remaining);
            switch (read.Kind)
            {
                case WebSocketReadKind.Data:
                    result = new ValueWebSocketReceiveResult(read.Count, read.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, read.EndOfMessage);
                    return true;
                case WebSocketReadKind.Ping:
                    // RFC 6455 section 5.5.2: a pong carries the ping's payload.
                    Send(WebSocketOpcode.Pong, _reader.ControlPayload, timeoutMs);
                    PingsAnswered++;
                    continue;
                case WebSocketReadKind.Pong:
                    continue;
                case WebSocketReadKind.Close:
                    // RFC 6455 section 5.5.1: answer with a close, echoing the status code when there is one.
                    var payload = _reader.ControlPayload;
                    Send(WebSocketOpcode.Close, payload.Length >= 2 ? payload.Slice(0, 2) : default, timeoutMs);
                    result = new ValueWebSocketReceiveResult(0, WebSocketMessageType.Close, endOfMessage: true);
                    return true;
                default:
                    result = default;
                    return false;
            }
        }
    }

    /// <inheritdoc/>
    public bool TrySend(ReadOnlyMemory<byte> message, int timeoutMs)
    {
        Send(WebSocketOpcode.Text, message.Span, timeoutMs);
        return true;
    }

    /// <inheritdoc/>
    public void Abort() => _tunnel.Abort();

    /// <summary>Closes the connection.</summary>
    public void Dispose() => _tunnel.Dispose();

    private void Send(WebSocketOpcode opcode, ReadOnlySpan<byte> payload, int timeoutMs)
    {
        Span<byte> key = stackalloc byte[4];
        RandomNumberGenerator.Fill(key);
        if (!WebSocketFrameWriter.TryWriteClientFrame(_frame, opcode, fin: true, payload, key, out int length))
        {
            throw new InvalidOperationException("An order stream message is longer than the client ever sends.");
        }

        _tunnel.Write(_frame.AsSpan(0, length), timeoutMs);
    }
}
