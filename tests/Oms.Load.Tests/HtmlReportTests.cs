using System.Globalization;
using System.Xml.Linq;
using Oms.Engine;
using Oms.Engine.Diagnostics;

namespace Oms.Load.Tests;

/// <summary>The HTML report: one self-contained page whose figures are the run's.</summary>
public sealed class HtmlReportTests
{
    [Fact]
    public void Write_ConfirmingRun_IsOneWellFormedPageWithTheRunsFiguresAndNothingFetched()
    {
        var tally = new TallyListener();
        tally.OnAcked(1, "a"u8);
        tally.OnAcked(2, "b"u8);
        tally.OnFate(1, "a"u8, OrderFate.Canceled);
        tally.OnFate(2, "b"u8, OrderFate.Filled);
        var confirm = new LatencyHistogram();
        confirm.Record(2_000_000);
        var own = new LatencyHistogram();
        own.Record(5_000);
        own.Record(7_000);
        var result = Results.Of(tally, confirming: true, confirm, new EngineCountersSnapshot { Intents = 2, Requests = 2 }, own);
        result.RoundTrip.Record(300_000);
        result.RoundTrip.Record(900_000);
        result.TickToWire.Record(5_000);
        result.TickToWire.Record(7_000);
        using var output = new StringWriter();

        HtmlReport.Write(result, "oms load report <test>", [("base URL", "http://127.0.0.1:8800/"), ("rate", "1,000/s")], output);
        string html = output.ToString();

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" href=", html, StringComparison.OrdinalIgnoreCase);
        var page = XDocument.Parse(html["<!DOCTYPE html>".Length..]);
        XNamespace svg = "http://www.w3.org/2000/svg";

        Assert.Equal("oms load report <test>", page.Descendants("h1").Single().Value);
        Assert.Contains(page.Descendants("table").Single(t => (string?)t.Attribute("id") == "settings").Descendants("td"), td => td.Value == "1,000/s");
        var roundTrip = page.Descendants("tr").Single(tr => (string?)tr.Attribute("id") == "round-trip");
        Assert.Equal("2", (string?)roundTrip.Attribute("data-count"));
        var expected = LatencySummary.From(result.RoundTrip)!;
        Assert.Equal(expected.P50, double.Parse((string)roundTrip.Attribute("data-p50")!, CultureInfo.InvariantCulture), 3);
        Assert.Equal(expected.Max, double.Parse((string)roundTrip.Attribute("data-max")!, CultureInfo.InvariantCulture), 3);
        Assert.Equal("2", (string?)page.Descendants("tr").Single(tr => (string?)tr.Attribute("id") == "tick-to-wire-own").Attribute("data-count"));
        var fates = page.Descendants("table").Single(t => (string?)t.Attribute("id") == "fates");
        Assert.Contains(fates.Descendants("tr"), tr => tr.Elements("td").Select(td => td.Value).SequenceEqual(["filled", "1", "50.00%"]));

        // One curve per series with values: tick-to-wire, its own part, round trip, confirmation (the venue wait is empty).
        var plot = page.Descendants(svg + "svg").Single();
        Assert.Equal(4, plot.Descendants(svg + "polyline").Count());
    }

    [Fact]
    public void Write_NotConfirming_SaysSoAndDrawsNoConfirmationCurve()
    {
        var result = Results.Of(new TallyListener(), confirming: false, new LatencyHistogram(), new EngineCountersSnapshot());
        using var output = new StringWriter();

        HtmlReport.Write(result, "report", [], output);
        var page = XDocument.Parse(output.ToString()["<!DOCTYPE html>".Length..]);

        Assert.Contains("not confirmed", page.Descendants("p").Single(p => (string?)p.Attribute("id") == "fates").Value, StringComparison.Ordinal);
        Assert.DoesNotContain(page.Descendants("tr"), tr => (string?)tr.Attribute("id") == "confirmation");
    }
}
