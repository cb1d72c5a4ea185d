using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Oms.Transport.Tests.Diagnostics;

/// <summary>The <c>Oms.Transport</c> meter as a standard <see cref="MeterListener"/> (dotnet-counters, OpenTelemetry) sees it.</summary>
public sealed class TransportCountersMeterTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    public static TheoryData<string, string, string> Instruments => new()
    {
        { "oms.transport.connections.open", "updown", "{connection}" },
        { "oms.transport.connections.opened", "counter", "{connection}" },
        { "oms.transport.reconnects", "counter", "{connection}" },
        { "oms.transport.connect.failures", "counter", "{attempt}" },
        { "oms.transport.streams.in_flight", "updown", "{stream}" },
        { "oms.transport.streams.opened", "counter", "{stream}" },
        { "oms.transport.frames.sent", "counter", "{frame}" },
        { "oms.transport.frames.received", "counter", "{frame}" },
        { "oms.transport.bytes.sent", "counter", "By" },
        { "oms.transport.bytes.received", "counter", "By" },
        { "oms.transport.resets.received", "counter", "{frame}" },
        { "oms.transport.resets.sent", "counter", "{frame}" },
        { "oms.transport.goaways.received", "counter", "{frame}" },
        { "oms.transport.timeouts", "counter", "{stream}" },
        { "oms.transport.protocol_errors", "counter", "{connection}" },
        { "oms.transport.ping.rtt", "gauge", "us" },
        { "oms.transport.connect.attempts", "counter", "{attempt}" },
        { "oms.transport.connections.retired", "counter", "{connection}" },
        { "oms.transport.responses.too_large", "counter", "{stream}" },
        { "oms.transport.reconnect.backoff", "gauge", "ms" },
    };

    [Fact]
    public async Task Meter_AfterRequestsAResetAndPings_ListenerSeesEveryInstrumentWithValuesThatReconcileWithTheCounters()
    {
        using var counters = new TransportCounters();
        var published = new ConcurrentDictionary<string, Instrument>(StringComparer.Ordinal);
        var completed = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var values = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            // Every client's counters publish a meter of the same name: only this test's instance counts.
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, counters.Meter))
                {
                    published[instrument.Name] = instrument;
                    l.EnableMeasurementEvents(instrument);
                }
            },
            MeasurementsCompleted = (instrument, _) => completed[instrument.Name] = true,
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => values[instrument.Name] = value);
        listener.Start();
        using var peer = RawHttp2Peer.Start(new RawPeerOptions { Reply = c => c.RequestNumber == 3 ? RawPeerReply.ResetCancel : RawPeerReply.Answer });
        var handler = new RecordingResponseHandler(10);
        var client = await Http2Client.ConnectAsync(PeerRequests.Options(peer.BaseUri, pingInterval: TimeSpan.FromMilliseconds(50)), handler, counters);

        SendDriver.SendAll(client, 0, 10, t => PeerRequests.TrySend(client, t), 4, s_wait);
        Assert.True(await handler.WaitForOutcomesAsync(10, s_wait));
        Assert.True(await WaitUntilAsync(() => counters.PingRttMicros >= 0), "no PING round trip was measured");
        listener.RecordObservableInstruments();
        var whileOpen = new Dictionary<string, long>(values, StringComparer.Ordinal);
        await client.DisposeAsync();

        // The client counts a connection closed in a continuation of its close, which may run just after DisposeAsync.
        Assert.True(await WaitUntilAsync(() => counters.ConnectionsOpen == 0), "the connection was never counted closed");
        listener.RecordObservableInstruments();
        var afterDispose = new Dictionary<string, long>(values, StringComparer.Ordinal);
        counters.Dispose();

        Assert.Equal(Instruments.Select(row => (string)row[0]).Order(StringComparer.Ordinal), published.Keys.Order(StringComparer.Ordinal));
        foreach (var row in Instruments)
        {
            var instrument = published[(string)row[0]];
            Assert.Equal(TransportCounters.MeterName, instrument.Meter.Name);
            Assert.Equal((string)row[2], instrument.Unit);
            Assert.False(string.IsNullOrEmpty(instrument.Description));
            Assert.True(
                (string)row[1] switch
                {
                    "counter" => instrument is ObservableCounter<long>,
                    "updown" => instrument is ObservableUpDownCounter<long>,
                    _ => instrument is ObservableGauge<long>,
                },
                $"{instrument.Name} is a {instrument.GetType().Name}");
        }

        Assert.Equal(1, whileOpen["oms.transport.connections.open"]);
        Assert.Equal(0, whileOpen["oms.transport.streams.in_flight"]);
        Assert.Equal(10, whileOpen["oms.transport.streams.opened"]);

        // Once the client is disposed nothing moves, so every instrument must equal its counter.
        Assert.Equal(counters.ConnectionsOpen, afterDispose["oms.transport.connections.open"]);
        Assert.Equal(counters.ConnectionsOpened, afterDispose["oms.transport.connections.opened"]);
        Assert.Equal(counters.Reconnects, afterDispose["oms.transport.reconnects"]);
        Assert.Equal(counters.ConnectFailures, afterDispose["oms.transport.connect.failures"]);
        Assert.Equal(counters.StreamsInFlight, afterDispose["oms.transport.streams.in_flight"]);
        Assert.Equal(counters.StreamsOpened, afterDispose["oms.transport.streams.opened"]);
        Assert.Equal(counters.FramesSent, afterDispose["oms.transport.frames.sent"]);
        Assert.Equal(counters.FramesReceived, afterDispose["oms.transport.frames.received"]);
        Assert.Equal(counters.BytesSent, afterDispose["oms.transport.bytes.sent"]);
        Assert.Equal(counters.BytesReceived, afterDispose["oms.transport.bytes.received"]);
        Assert.Equal(counters.ResetsReceived, afterDispose["oms.transport.resets.received"]);
        Assert.Equal(counters.ResetsSent, afterDispose["oms.transport.resets.sent"]);
        Assert.Equal(counters.GoAwaysReceived, afterDispose["oms.transport.goaways.received"]);
        Assert.Equal(counters.Timeouts, afterDispose["oms.transport.timeouts"]);
        Assert.Equal(counters.ProtocolErrors, afterDispose["oms.transport.protocol_errors"]);
        Assert.Equal(counters.PingRttMicros, afterDispose["oms.transport.ping.rtt"]);
        Assert.Equal(counters.ConnectAttempts, afterDispose["oms.transport.connect.attempts"]);
        Assert.Equal(counters.ConnectionsRetired, afterDispose["oms.transport.connections.retired"]);
        Assert.Equal(counters.ResponsesTooLarge, afterDispose["oms.transport.responses.too_large"]);
        Assert.Equal(counters.ReconnectBackoffMillis, afterDispose["oms.transport.reconnect.backoff"]);

        // And the counters say what happened: one connection, ten requests, one reset, PINGs, at least two frames
        // each way per request.
        Assert.Equal((0L, 1L, 0L, 1L), (counters.ConnectionsOpen, counters.ConnectionsOpened, counters.Reconnects, counters.ConnectAttempts));
        Assert.Equal((0L, 10L, 1L), (counters.StreamsInFlight, counters.StreamsOpened, counters.ResetsReceived));
        Assert.True(counters.FramesSent >= 20 && counters.FramesReceived >= 19, $"{counters.FramesSent} frames sent, {counters.FramesReceived} received");
        Assert.True(counters.BytesSent > counters.FramesSent * 9 && counters.BytesReceived > counters.FramesReceived * 9);
        Assert.True(counters.PingRttMicros >= 0);
        Assert.Equal(0, counters.ProtocolErrors + counters.Timeouts + counters.GoAwaysReceived + counters.ConnectFailures);
        Assert.Equal(published.Keys.Order(StringComparer.Ordinal), completed.Keys.Order(StringComparer.Ordinal));
    }
}
