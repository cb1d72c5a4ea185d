using System.Diagnostics.Metrics;

namespace Oms.Engine.Tests;

/// <summary>The <c>Oms.Engine</c> meter as a standard <see cref="MeterListener"/> (dotnet-counters, OpenTelemetry) sees it.</summary>
/// <remarks>
/// Alone in its collection: every engine creates a meter of the same name, so the test tells its engine's meter apart
/// from older ones by publication order, which only holds while no other engine starts at the same time.
/// </remarks>
[Collection(Collection)]
public sealed class CancelEngineMeterTests
{
    public const string Collection = "Engine meter";

    [Fact]
    public async Task Meter_AfterMixedOutcomes_ListenerSeesEveryInstrumentWithReasonTags()
    {
        var preexisting = new HashSet<Meter>();
        var armed = false;
        var counters = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var histogramCounts = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name != "Oms.Engine")
                {
                    return;
                }

                if (!Volatile.Read(ref armed))
                {
                    preexisting.Add(instrument.Meter);
                }
                else if (!preexisting.Contains(instrument.Meter))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var reason = tags.Length > 0 ? "{" + tags[0].Key + "=" + tags[0].Value + "}" : "";
            counters[instrument.Name + reason] = value;
        });
        meterListener.SetMeasurementEventCallback<double>((instrument, _, _, _) => histogramCounts.AddOrUpdate(instrument.Name, 1, (_, n) => n + 1));
        meterListener.Start();
        Volatile.Write(ref armed, true);

        await using var fake = FakeEngine.Start();
        using (new AutoResponder(fake.Sender, (sender, request) =>
        {
            var n = int.Parse(request.OrderId![^2..], System.Globalization.CultureInfo.InvariantCulture);
            switch (n)
            {
                case < 3:
                    sender.Ack(request);
                    break;
                case < 5:
                    sender.Respond(request, 200, FakeAnswers.OrderErr(request, 300006, "INVALID_ORDER_ID", "x"));
                    break;
                case 5:
                    sender.Respond(request, 200, FakeAnswers.ShortErr(100008, "SYMBOL_ERROR", "x"));
                    break;
                default:
                    sender.Respond(request, 200, "<html>");
                    break;
            }
        }))
        {
            fake.CancelOrders(7);

            await fake.WaitForOutcomesAsync(7);
            await fake.WaitIdleAsync();
        }

        meterListener.RecordObservableInstruments();

        Assert.Equal(7, counters["oms.engine.intents"]);
        Assert.Equal(3, counters["oms.engine.acked"]);
        Assert.Equal(2, counters["oms.engine.rejected{reason=InvalidOrderId}"]);
        Assert.Equal(1, counters["oms.engine.rejected{reason=SymbolError}"]);
        Assert.Equal(0, counters["oms.engine.rejected{reason=ServerError}"]);
        Assert.Equal(1, counters["oms.engine.failed{reason=BadResponse}"]);
        Assert.Equal(0, counters["oms.engine.failed{reason=Stopped}"]);
        Assert.Equal(0, counters["oms.engine.expired"]);
        Assert.Equal(7, counters["oms.engine.requests"]);
        Assert.Equal(0, counters["oms.engine.retries"]);
        Assert.Equal(0, counters["oms.engine.in_flight"]);
        Assert.Equal(0, counters["oms.engine.coalesced"]);
        Assert.Equal(0, counters["oms.engine.id_mismatches"]);
        Assert.Equal(0, counters["oms.engine.ring_full"]);
        Assert.Equal(0, counters["oms.engine.clock_skew"]);
        Assert.Equal(0, counters["oms.engine.retry_after"]);
        Assert.Equal(0, counters["oms.engine.state_table_full"]);
        Assert.Equal(7, counters["oms.engine.order_states"]);
        Assert.True(counters.ContainsKey("oms.engine.ring.occupancy"));
        Assert.Equal(7, histogramCounts.GetValueOrDefault("oms.engine.tick_to_wire"));
        Assert.Equal(7, histogramCounts.GetValueOrDefault("oms.engine.round_trip"));
    }

    [Fact]
    public async Task Meter_EngineDisposedOrItsStartFailed_InstrumentsCompleted()
    {
        var armed = false;
        var enabled = new ConcurrentDictionary<Instrument, bool>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Oms.Engine" && Volatile.Read(ref armed))
                {
                    enabled[instrument] = false;
                    listener.EnableMeasurementEvents(instrument);
                }
            },
            MeasurementsCompleted = (instrument, _) => enabled[instrument] = true,
        };
        meterListener.Start();
        Volatile.Write(ref armed, true);

        // An engine that runs and is disposed, then one whose start fails (nothing listens on port 1).
        var fake = FakeEngine.Start();
        await fake.DisposeAsync();
        var disposedEngines = enabled.Count;
        var failedStart = await Assert.ThrowsAsync<Oms.Transport.Client.Http2ConnectException>(
            () => CancelEngine.StartAsync(FakeEngine.DefaultSettings, FakeEngine.Credentials, new RecordingListener()));

        Assert.NotNull(failedStart);
        Assert.True(disposedEngines > 0, "No Oms.Engine instrument was published.");
        Assert.True(enabled.Count > disposedEngines, "The failed start published no instrument.");
        var stillLive = enabled.Where(pair => !pair.Value).Select(pair => pair.Key.Name).ToArray();
        Assert.True(stillLive.Length == 0, "Instruments still published: " + string.Join(", ", stillLive));
    }
}

/// <summary>Runs the meter test alone, after the parallel tests.</summary>
[CollectionDefinition(CancelEngineMeterTests.Collection, DisableParallelization = true)]
public sealed class CancelEngineMeterCollection;
