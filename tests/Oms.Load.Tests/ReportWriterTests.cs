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

    private static JsonElement Json(LoadResult result)
    {
        using var output = new StringWriter();
        ReportWriter.WriteJson(result, output);
        using var document = JsonDocument.Parse(output.ToString());
        return document.RootElement.Clone();
    }

    private static LoadResult Result(TallyListener tally, bool confirming, LatencyHistogram confirm, EngineCountersSnapshot counters) => new()
    {
        Counters = counters,
        Outcomes = tally,
        Elapsed = TimeSpan.FromSeconds(1),
        TickToWire = new LatencyHistogram(),
        RoundTrip = new LatencyHistogram(),
        Confirming = confirming,
        ConfirmLatency = confirm,
        ProcessCpu = TimeSpan.Zero,
        EngineCpu = null,
        EngineThreads = 0,
        WaitStrategy = Oms.Engine.Sequencing.WaitStrategyKind.Blocking,
        ProcessAllocatedBytes = 0,
        Orders = (int)counters.Intents,
        Published = counters.Intents,
        Refusals = new RefusalTally(),
        Interrupted = false,
        Start = ProcessSample.Take(),
        End = ProcessSample.Take(),
    };
}
