using System.Diagnostics.Metrics;

namespace Oms.Transport.Diagnostics;

/// <summary>
/// The transport's counters, readable in-process at any time and published through
/// <see cref="System.Diagnostics.Metrics"/> as meter <c>Oms.Transport</c> (see <see cref="MeterName"/>).
/// </summary>
/// <remarks>
/// Each counter has one writing thread or is updated with interlocked operations, so reads are never torn; a set of
/// reads is not one atomic snapshot. The meter's instruments are observable: publishing costs nothing per event.
/// </remarks>
public sealed class TransportCounters : IDisposable
{
    /// <summary>The meter name for <c>dotnet-counters monitor --counters Oms.Transport</c>.</summary>
    public const string MeterName = "Oms.Transport";

    private readonly Meter _meter;
    private long _connectionsOpen;
    private long _connectionsOpened;
    private long _reconnects;
    private long _connectFailures;
    private long _streamsInFlight;
    private long _streamsOpened;
    private long _framesSent;
    private long _framesReceived;
    private long _bytesSent;
    private long _bytesReceived;
    private long _resetsReceived;
    private long _resetsSent;
    private long _goAwaysReceived;
    private long _timeouts;
    private long _protocolErrors;
    private long _handlerExceptions;
    private long _pingRttMicros = -1;
    private long _connectAttempts;
    private long _connectionsRetired;
    private long _responsesTooLarge;
    private long _reconnectBackoffMillis;

    /// <summary>Creates the counters and their meter.</summary>
    internal TransportCounters()
    {
        _meter = new Meter(MeterName, "1.0");
        _meter.CreateObservableUpDownCounter("oms.transport.connections.open", () => ConnectionsOpen, "{connection}", "HTTP/2 connections open now");
        _meter.CreateObservableCounter("oms.transport.connections.opened", () => ConnectionsOpened, "{connection}", "HTTP/2 connections established since start");
        _meter.CreateObservableCounter("oms.transport.reconnects", () => Reconnects, "{connection}", "connections re-established after a loss");
        _meter.CreateObservableCounter("oms.transport.connect.failures", () => ConnectFailures, "{attempt}", "connection attempts that failed");
        _meter.CreateObservableUpDownCounter("oms.transport.streams.in_flight", () => StreamsInFlight, "{stream}", "requests sent and not yet completed");
        _meter.CreateObservableCounter("oms.transport.streams.opened", () => StreamsOpened, "{stream}", "requests sent");
        _meter.CreateObservableCounter("oms.transport.frames.sent", () => FramesSent, "{frame}", "HTTP/2 frames written");
        _meter.CreateObservableCounter("oms.transport.frames.received", () => FramesReceived, "{frame}", "HTTP/2 frames read");
        _meter.CreateObservableCounter("oms.transport.bytes.sent", () => BytesSent, "By", "octets written to connections");
        _meter.CreateObservableCounter("oms.transport.bytes.received", () => BytesReceived, "By", "octets read from connections");
        _meter.CreateObservableCounter("oms.transport.resets.received", () => ResetsReceived, "{frame}", "RST_STREAM frames received");
        _meter.CreateObservableCounter("oms.transport.resets.sent", () => ResetsSent, "{frame}", "RST_STREAM frames sent (timeouts, stream errors)");
        _meter.CreateObservableCounter("oms.transport.goaways.received", () => GoAwaysReceived, "{frame}", "GOAWAY frames received");
        _meter.CreateObservableCounter("oms.transport.timeouts", () => Timeouts, "{stream}", "requests that timed out");
        _meter.CreateObservableCounter("oms.transport.protocol_errors", () => ProtocolErrors, "{connection}", "connections closed for a peer protocol violation");
        _meter.CreateObservableGauge("oms.transport.ping.rtt", () => PingRttMicros, "us", "round trip of the last keep-alive PING");
        _meter.CreateObservableCounter("oms.transport.connect.attempts", () => ConnectAttempts, "{attempt}", "connection attempts, first ones and reconnects");
        _meter.CreateObservableCounter("oms.transport.connections.retired", () => ConnectionsRetired, "{connection}", "connections closed for timing out or leaving a PING unanswered");
        _meter.CreateObservableCounter("oms.transport.responses.too_large", () => ResponsesTooLarge, "{stream}", "responses whose body passed the limit (stream reset, first octets reported)");
        _meter.CreateObservableGauge("oms.transport.reconnect.backoff", () => ReconnectBackoffMillis, "ms", "the longest reconnect delay being waited now; 0 when no connection is waiting");
    }

    /// <summary>HTTP/2 connections open now.</summary>
    public long ConnectionsOpen => Volatile.Read(ref _connectionsOpen);

    /// <summary>Connections established since start.</summary>
    public long ConnectionsOpened => Volatile.Read(ref _connectionsOpened);

    /// <summary>Connections re-established after a loss.</summary>
    public long Reconnects => Volatile.Read(ref _reconnects);

    /// <summary>Connection attempts that failed.</summary>
    public long ConnectFailures => Volatile.Read(ref _connectFailures);

    /// <summary>Requests sent and not yet completed.</summary>
    public long StreamsInFlight => Volatile.Read(ref _streamsInFlight);

    /// <summary>Requests sent.</summary>
    public long StreamsOpened => Volatile.Read(ref _streamsOpened);

    /// <summary>Frames written.</summary>
    public long FramesSent => Volatile.Read(ref _framesSent);

    /// <summary>Frames read.</summary>
    public long FramesReceived => Volatile.Read(ref _framesReceived);

    /// <summary>Octets written.</summary>
    public long BytesSent => Volatile.Read(ref _bytesSent);

    /// <summary>Octets read.</summary>
    public long BytesReceived => Volatile.Read(ref _bytesReceived);

    /// <summary>RST_STREAM frames received.</summary>
    public long ResetsReceived => Volatile.Read(ref _resetsReceived);

    /// <summary>RST_STREAM frames sent.</summary>
    public long ResetsSent => Volatile.Read(ref _resetsSent);

    /// <summary>GOAWAY frames received.</summary>
    public long GoAwaysReceived => Volatile.Read(ref _goAwaysReceived);

    /// <summary>Requests that timed out.</summary>
    public long Timeouts => Volatile.Read(ref _timeouts);

    /// <summary>Connections closed because the peer broke the protocol.</summary>
    public long ProtocolErrors => Volatile.Read(ref _protocolErrors);

    /// <summary>Exceptions thrown by response handlers (counted and swallowed).</summary>
    public long HandlerExceptions => Volatile.Read(ref _handlerExceptions);

    /// <summary>Connection attempts (TCP, TLS and SETTINGS), first ones and reconnects, whether they succeeded or not.</summary>
    public long ConnectAttempts => Volatile.Read(ref _connectAttempts);

    /// <summary>Connections retired because their requests kept timing out or a PING went unanswered.</summary>
    public long ConnectionsRetired => Volatile.Read(ref _connectionsRetired);

    /// <summary>Responses whose body passed <c>MaxResponseBodySize</c>: reset, and reported truncated.</summary>
    public long ResponsesTooLarge => Volatile.Read(ref _responsesTooLarge);

    /// <summary>The longest reconnect delay being waited now, in milliseconds; 0 when no connection is waiting to reconnect.</summary>
    public long ReconnectBackoffMillis => Volatile.Read(ref _reconnectBackoffMillis);

    /// <summary>Round trip of the last PING in microseconds; -1 before the first.</summary>
    public long PingRttMicros => Volatile.Read(ref _pingRttMicros);

    /// <summary>The meter these counters publish to: several instances share its name, so tests tell them apart by it.</summary>
    internal Meter Meter => _meter;

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    internal void OnConnectionOpened(bool isReconnect)
    {
        Interlocked.Increment(ref _connectionsOpen);
        Interlocked.Increment(ref _connectionsOpened);
        if (isReconnect)
        {
            Interlocked.Increment(ref _reconnects);
        }
    }

    internal void OnConnectionClosed() => Interlocked.Decrement(ref _connectionsOpen);

    internal void OnConnectFailure() => Interlocked.Increment(ref _connectFailures);

    internal void OnStreamOpened()
    {
        Interlocked.Increment(ref _streamsInFlight);
        Interlocked.Increment(ref _streamsOpened);
    }

    internal void OnStreamClosed() => Interlocked.Decrement(ref _streamsInFlight);

    internal void OnFramesSent(int frames, int bytes)
    {
        Interlocked.Add(ref _framesSent, frames);
        Interlocked.Add(ref _bytesSent, bytes);
    }

    internal void OnFrameReceived() => Interlocked.Increment(ref _framesReceived);

    internal void OnBytesReceived(long bytes) => Interlocked.Add(ref _bytesReceived, bytes);

    internal void OnResetReceived() => Interlocked.Increment(ref _resetsReceived);

    internal void OnResetSent() => Interlocked.Increment(ref _resetsSent);

    internal void OnGoAwayReceived() => Interlocked.Increment(ref _goAwaysReceived);

    internal void OnTimeout() => Interlocked.Increment(ref _timeouts);

    internal void OnProtocolError() => Interlocked.Increment(ref _protocolErrors);

    internal void OnHandlerException() => Interlocked.Increment(ref _handlerExceptions);

    internal void OnPingRtt(long micros) => Volatile.Write(ref _pingRttMicros, micros);

    internal void OnConnectAttempt() => Interlocked.Increment(ref _connectAttempts);

    internal void OnConnectionRetired() => Interlocked.Increment(ref _connectionsRetired);

    internal void OnResponseTooLarge() => Interlocked.Increment(ref _responsesTooLarge);

    internal void SetReconnectBackoff(long millis) => Volatile.Write(ref _reconnectBackoffMillis, millis);
}
