using System.Text.Json;
using Oms.Engine;
using Oms.Engine.Diagnostics;

namespace Oms.Load.Tests;

/// <summary>The report's fate fields: the names scripts rely on (README, "The oms command").</summary>
public sealed class ReportWriterTests
{
    [Fact]
    public void WriteJson_Confirming_WritesEveryFateCountTheConfirmLatencyAndTheConfirmationCounters()
    {
        var tally = new TallyListener();
        tally.OnAcked(1, "a"u8);
        tally.OnAcked(2, "b"u8);
        tally.OnAcked(3, "c"u8);
        tally.OnFate(1, "a"u8, OrderFate.Canceled);
        tally.OnFate(2, "b"u8, OrderFate.Filled);
        tally.OnFate(3, "c"u8, OrderFate.Unconfirmed);
        var confirm = new LatencyHistogram();
        confirm.Record(2_000_000);
        var result = Result(tally, confirming: true, confirm, new EngineCountersSnapshot { Intents = 3, StatusRequests = 4, StreamReconnects = 2 });
        result.ReconcileOpenOrders = 12;

        var root = Json(result);

        Assert.Equal(
            (1L, 1L, 0L, 0L, 1L),
            (root.GetProperty("canceled").GetInt64(), root.GetProperty("filled").GetInt64(), root.GetProperty("open").GetInt64(), root.GetProperty("notFound").GetInt64(), root.GetProperty("unconfirmed").GetInt64()));
        Assert.Equal(1, root.GetProperty("confirmMicros").GetProperty("count").GetInt64());
        Assert.InRange(root.GetProperty("confirmMicros").GetProperty("max").GetDouble(), 1_990, 2_010);
        Assert.Equal((4L, 2L, 12), (root.GetProperty("statusRequests").GetInt64(), root.GetProperty("streamReconnects").GetInt64(), root.GetProperty("reconcileOpenOrders").GetInt32()));
    }

    [Fact]
    public void WriteJson_NotConfirming_WritesTheFatesAndTheirLatencyAsNull()
    {
        var tally = new TallyListener();
        tally.OnAcked(1, "a"u8);

        var root = Json(Result(tally, confirming: false, new LatencyHistogram(), new EngineCountersSnapshot { Intents = 1 }));

        Assert.All(
            new[] { "canceled", "filled", "open", "notFound", "unconfirmed", "confirmMicros", "reconcileOpenOrders" },
            name => Assert.Equal(JsonValueKind.Null, root.GetProperty(name).ValueKind));
        Assert.Equal(0, root.GetProperty("statusRequests").GetInt64());
    }

    [Fact]
    public void WriteText_Confirming_ShowsEachFateAndTheConfirmationLatency()
    {
        var tally = new TallyListener();
        tally.OnAcked(1, "a"u8);
        tally.OnFate(1, "a"u8, OrderFate.Filled);
        var confirm = new LatencyHistogram();
        confirm.Record(3_000_000);
        using var output = new StringWriter();

        ReportWriter.WriteText(Result(tally, confirming: true, confirm, new EngineCountersSnapshot { Intents = 1 }), output, "report", "the test");

        Assert.Matches(@"filled\s+1\s+100\.00%", output.ToString());
        Assert.Matches(@"confirmation\s+[\d,.]+", output.ToString());
    }

    [Fact]
    public void UnconfirmedNote_OnlyWhenConfirmingAndSomeFateIsUnconfirmed()
    {
        var settled = new TallyListener();
        settled.OnFate(1, "a"u8, OrderFate.Canceled);
        var unsettled = new TallyListener();
        unsettled.OnFate(1, "a"u8, OrderFate.Unconfirmed);
        var snapshot = new EngineCountersSnapshot { Intents = 1 };

        Assert.Null(Result(settled, confirming: true, new LatencyHistogram(), snapshot).UnconfirmedNote());
        Assert.Null(Result(unsettled, confirming: false, new LatencyHistogram(), snapshot).UnconfirmedNote());
        Assert.StartsWith("1 of 1 fates were not confirmed by the deadline", Result(unsettled, confirming: true, new LatencyHistogram(), snapshot).UnconfirmedNote(), StringComparison.Ordinal);
    }

    [Fact]
    public void TickToWireSplit_JsonAndTextCarryBothHistogramsAndExplainTheWaitByCause()
    {
        var tally = new TallyListener();
        tally.OnAcked(1, "a"u8);
        tally.OnAcked(2, "b"u8);
        var own = new LatencyHistogram();
        own.Record(4_000);
        own.Record(6_000);
        var waited = new LatencyHistogram();
        waited.Record(90_000_000);
        var counters = new EngineCountersSnapshot { Intents = 2, WaitedForRateLimit = 1 };
        var result = Result(tally, confirming: false, new LatencyHistogram(), counters, own, waited);
        using var text = new StringWriter();

        var root = Json(result);
        ReportWriter.WriteText(result, text, "report", "the test");

        Assert.Equal(2, root.GetProperty("tickToWireOwnMicros").GetProperty("count").GetInt64());
        Assert.InRange(root.GetProperty("tickToWireOwnMicros").GetProperty("max").GetDouble(), 5.9, 6.1);
        Assert.Equal(1, root.GetProperty("venueWaitMicros").GetProperty("count").GetInt64());
        Assert.InRange(root.GetProperty("venueWaitMicros").GetProperty("max").GetDouble(), 89_000, 91_000);
        var causes = root.GetProperty("venueWaits");
        Assert.Equal(
            (0L, 1L, 0L, 0L, 0L),
            (causes.GetProperty("behindQueue").GetInt64(), causes.GetProperty("rateLimit").GetInt64(), causes.GetProperty("streams").GetInt64(), causes.GetProperty("connection").GetInt64(), causes.GetProperty("hold").GetInt64()));
        Assert.Matches(@"engine's own\s+[\d,.]+", text.ToString());
        Assert.Matches(@"venue wait\s+[\d,.]+", text.ToString());
        Assert.Contains("1 of 2 first sends waited for the venue's capacity, not for the engine: 1 for the rate limiter", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("tick-to-wire histogram, the engine's own part", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TickToWireSplit_NothingWaited_SaysTickToWireIsTheEnginesOwn()
    {
        var own = new LatencyHistogram();
        own.Record(4_000);
        var result = Result(new TallyListener(), confirming: false, new LatencyHistogram(), new EngineCountersSnapshot { Intents = 1 }, own);
        using var text = new StringWriter();

        ReportWriter.WriteText(result, text, "report", "the test");

        Assert.Contains("none of the 1 first sends waited for the venue's capacity", text.ToString(), StringComparison.Ordinal);
    }

    private static JsonElement Json(LoadResult result)
    {
        using var output = new StringWriter();
        ReportWriter.WriteJson(result, output);
        using var document = JsonDocument.Parse(output.ToString());
        return document.RootElement.Clone();
    }

    private static LoadResult Result(TallyListener tally, bool confirming, LatencyHistogram confirm, EngineCountersSnapshot counters, LatencyHistogram? own = null, LatencyHistogram? venueWait = null) =>
        Results.Of(tally, confirming, confirm, counters, own, venueWait);
}
