using System.Globalization;
using System.Net;
using System.Text;
using Oms.Engine.Diagnostics;

namespace Oms.Load;

/// <summary>
/// A load run as one self-contained HTML page: the run's settings, outcomes, fates, costs, a latency table and the
/// latency percentile curves drawn as inline SVG. Nothing is fetched: no scripts, no style sheets, no fonts, no images
/// from elsewhere, so the page opens the same offline, in a mail attachment or in a CI artifact.
/// </summary>
/// <remarks>
/// The markup is also well-formed XML (every element closed, attributes quoted), so tests and tools can read the
/// figures back from it: each latency row carries its figures in <c>data-</c> attributes, in microseconds.
/// </remarks>
internal static class HtmlReport
{
    // Room on the left for labels such as "1,000,000 µs", on the right for the legend, off the curves.
    private const int PlotWidth = 920;
    private const int PlotHeight = 360;
    private const int Left = 110;
    private const int Right = 220;
    private const int Top = 20;
    private const int Bottom = 50;

    private static readonly string[] s_colours = ["#1f77b4", "#2ca02c", "#ff7f0e", "#d62728", "#9467bd"];

    /// <summary>The latency series a report shows, in order: name, element id, histogram.</summary>
    public static IReadOnlyList<(string Name, string Id, LatencyHistogram Histogram)> Series(LoadResult result)
    {
        var series = new List<(string, string, LatencyHistogram)>
        {
            ("tick-to-wire", "tick-to-wire", result.TickToWire),
            ("tick-to-wire, engine's own", "tick-to-wire-own", result.TickToWireOwn),
            ("venue wait", "venue-wait", result.VenueWait),
            ("round trip", "round-trip", result.RoundTrip),
        };
        if (result.Confirming)
        {
            series.Add(("confirmation", "confirmation", result.ConfirmLatency));
        }

        return series;
    }

    /// <summary>Writes the page.</summary>
    /// <param name="result">The run.</param>
    /// <param name="title">The page's heading, e.g. "oms load report".</param>
    /// <param name="settings">What the run was asked to do, as name and value (never a credential).</param>
    /// <param name="output">Where the page goes.</param>
    public static void Write(LoadResult result, string title, IReadOnlyList<(string Name, string Value)> settings, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n<title>").Append(Encode(title)).Append("</title>\n");
        page.Append("<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:0.5em 0 1.5em}")
            .Append("th,td{border:1px solid #ccc;padding:0.25em 0.6em;text-align:right}th:first-child,td:first-child{text-align:left}")
            .Append("caption{text-align:left;font-weight:bold;padding-bottom:0.3em}.note{color:#555;max-width:60em}</style>\n</head>\n<body>\n");
        page.Append("<h1>").Append(Encode(title)).Append(result.Interrupted ? " (interrupted)" : "").Append("</h1>\n");
        page.Append("<p class=\"note\">").Append(Encode(Invariant($"{result.Outcomes.Decided:N0} outcomes in {result.Elapsed.TotalSeconds:N2} s: {result.CancelsPerSecond:N0} cancels/s, {result.Counters.Requests:N0} requests ({result.Counters.Retries:N0} retries)."))).Append("</p>\n");

        Table(page, "settings", "Settings", ["setting", "value"], settings.Select(s => new[] { s.Name, s.Value }));

        long decided = Math.Max(1, result.Outcomes.Decided);
        var outcomes = new List<string[]>
        {
            Row("acked", result.Outcomes.Acked, decided),
            Row("rejected", result.Outcomes.Rejected, decided),
            Row("failed", result.Outcomes.Failed, decided),
            Row("expired", result.Outcomes.Expired, decided),
        };
        outcomes.AddRange(result.Outcomes.RejectReasons.OrderByDescending(r => r.Value).Select(r => new[] { "rejected: " + r.Key, Invariant($"{r.Value:N0}"), "" }));
        outcomes.AddRange(result.Outcomes.FailReasons.OrderByDescending(r => r.Value).Select(r => new[] { "failed: " + r.Key, Invariant($"{r.Value:N0}"), "" }));
        outcomes.Add(["refused by the engine (never sent)", Invariant($"{result.Refusals.Total:N0}"), ""]);
        outcomes.Add(["not sent (run stopped)", Invariant($"{result.NotSent:N0}"), ""]);
        Table(page, "outcomes", "Outcomes", ["outcome", "count", "share"], outcomes);

        if (result.Confirming)
        {
            long fates = Math.Max(1, result.Outcomes.Fates);
            Table(page, "fates", "Fates (what became of each order after its cancel's outcome)", ["fate", "count", "share"],
                ReportWriter.FateFields.Select(f => Row(f.Name, result.Outcomes.Fate(f.Fate), fates)));
        }
        else
        {
            page.Append("<p id=\"fates\" class=\"note\">Fates were not confirmed (--no-confirm, or engine.confirmation.enabled false).</p>\n");
        }

        LatencyTable(page, result);
        page.Append("<h2>Latency percentiles</h2>\n");
        Plot(page, result);
        page.Append("<p class=\"note\">Tick-to-wire runs from TryCancel to the socket write; its engine's-own part leaves out the time a cancel waited for the venue's capacity (")
            .Append(Encode(Invariant($"{result.Counters.VenueWaits:N0} first sends waited: rate limiter {result.Counters.WaitedForRateLimit:N0}, behind others {result.Counters.WaitedBehindQueue:N0}, streams {result.Counters.WaitedForStreams:N0}, connection {result.Counters.WaitedForConnection:N0}, held {result.Counters.WaitedForHold:N0}")))
            .Append("). The round trip runs from the socket write to the venue's answer; confirmation from the outcome to the order's fate. The x axis is logarithmic in 1/(1-percentile), so the tail gets the room.</p>\n");

        var costs = new List<string[]>
        {
            new[] { "process CPU µs/cancel", Invariant($"{result.ProcessCpu.TotalMicroseconds / decided:N1}") },
        };
        if (result.EngineCpu is { } engineCpu)
        {
            costs.Add(["engine threads CPU µs/cancel", Invariant($"{engineCpu.TotalMicroseconds / decided:N1}")]);
        }

        costs.Add(["allocated B/cancel (process)", Invariant($"{result.ProcessAllocatedBytes / (double)decided:N0}")]);
        Table(page, "costs", "Cost per cancel", ["figure", "value"], costs);
        page.Append("</body>\n</html>\n");
        output.Write(page.ToString());
    }

    private static void LatencyTable(StringBuilder page, LoadResult result)
    {
        page.Append("<table id=\"latency\">\n<caption>Latency (µs)</caption>\n<tr><th>series</th><th>count</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th></tr>\n");
        foreach (var (name, id, histogram) in Series(result))
        {
            var s = LatencySummary.From(histogram);
            page.Append(Invariant($"<tr id=\"{id}\" data-count=\"{s?.Count ?? 0}\" data-p50=\"{s?.P50 ?? 0:0.###}\" data-p90=\"{s?.P90 ?? 0:0.###}\" data-p99=\"{s?.P99 ?? 0:0.###}\" data-p999=\"{s?.P999 ?? 0:0.###}\" data-max=\"{s?.Max ?? 0:0.###}\">"));
            page.Append("<td>").Append(Encode(name)).Append("</td>");
            foreach (var value in new[] { s?.Count ?? 0, s?.P50 ?? 0, s?.P90 ?? 0, s?.P99 ?? 0, s?.P999 ?? 0, s?.Max ?? 0 }.Select((v, i) => i == 0 ? Invariant($"{v:N0}") : Invariant($"{v:N1}")))
            {
                page.Append("<td>").Append(value).Append("</td>");
            }

            page.Append("</tr>\n");
        }

        page.Append("</table>\n");
    }

    // x: log10(1/(1-p)) from 0 (p = 0) to the deepest tail any series can tell apart; y: log10(µs).
    private static void Plot(StringBuilder page, LoadResult result)
    {
        var curves = Series(result)
            .Where(s => s.Histogram.TotalCount > 0)
            .Select(s => (s.Name, Points: PercentileDistribution.Steps(s.Histogram.TotalCount).Where(p => p < 1)
                .Select(p => (X: Math.Log10(1 / (1 - p)), Micros: Math.Max(0.1, s.Histogram.GetValueAtPercentile(p * 100) / 1000.0))).ToList()))
            .Where(c => c.Points.Count > 0)
            .ToList();
        page.Append(Invariant($"<svg id=\"percentiles\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{PlotWidth}\" height=\"{PlotHeight}\" viewBox=\"0 0 {PlotWidth} {PlotHeight}\" role=\"img\">\n"));
        page.Append("<title>Latency by percentile</title>\n");
        if (curves.Count == 0)
        {
            page.Append("<text x=\"20\" y=\"40\">no latencies recorded</text>\n</svg>\n");
            return;
        }

        double xMax = Math.Max(1, Math.Ceiling(curves.Max(c => c.Points.Max(p => p.X))));
        double yMin = Math.Floor(Math.Log10(curves.Min(c => c.Points.Min(p => p.Micros))));
        double yMax = Math.Ceiling(Math.Log10(curves.Max(c => c.Points.Max(p => p.Micros))));
        if (yMax <= yMin)
        {
            yMax = yMin + 1;
        }

        double width = PlotWidth - Left - Right;
        double height = PlotHeight - Top - Bottom;
        double X(double x) => Left + (width * x / xMax);
        double Y(double micros) => Top + (height * (1 - ((Math.Log10(micros) - yMin) / (yMax - yMin))));

        page.Append(Invariant($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{width:0.#}\" height=\"{height:0.#}\" fill=\"none\" stroke=\"#999\" />\n"));
        for (int decade = 0; decade <= (int)xMax; decade++)
        {
            string label = decade == 0 ? "0%" : (100 - (100 / Math.Pow(10, decade))).ToString("0.#########", CultureInfo.InvariantCulture) + "%";
            page.Append(Invariant($"<line x1=\"{X(decade):0.#}\" y1=\"{Top}\" x2=\"{X(decade):0.#}\" y2=\"{Top + height:0.#}\" stroke=\"#eee\" />"))
                .Append(Invariant($"<text x=\"{X(decade):0.#}\" y=\"{Top + height + 18:0.#}\" font-size=\"11\" text-anchor=\"middle\">{label}</text>\n"));
        }

        for (double decade = yMin; decade <= yMax; decade++)
        {
            double micros = Math.Pow(10, decade);
            page.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Y(micros):0.#}\" x2=\"{Left + width:0.#}\" y2=\"{Y(micros):0.#}\" stroke=\"#eee\" />"))
                .Append(Invariant($"<text x=\"{Left - 6}\" y=\"{Y(micros) + 4:0.#}\" font-size=\"11\" text-anchor=\"end\">{micros:#,0.##} µs</text>\n"));
        }

        page.Append(Invariant($"<text x=\"{Left + (width / 2):0.#}\" y=\"{PlotHeight - 8}\" font-size=\"12\" text-anchor=\"middle\">percentile</text>\n"));
        for (int i = 0; i < curves.Count; i++)
        {
            string colour = s_colours[i % s_colours.Length];
            string points = string.Join(" ", curves[i].Points.Select(p => Invariant($"{X(p.X):0.#},{Y(p.Micros):0.#}")));
            page.Append(Invariant($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{points}\"><title>{Encode(curves[i].Name)}</title></polyline>\n"));
            double legend = Left + width + 16;
            page.Append(Invariant($"<rect x=\"{legend:0.#}\" y=\"{Top + 8 + (i * 18)}\" width=\"14\" height=\"4\" fill=\"{colour}\" />"))
                .Append(Invariant($"<text x=\"{legend + 20:0.#}\" y=\"{Top + 14 + (i * 18)}\" font-size=\"12\">{Encode(curves[i].Name)}</text>\n"));
        }

        page.Append("</svg>\n");
    }

    private static string[] Row(string name, long count, long total) =>
        [name, Invariant($"{count:N0}"), Invariant($"{100.0 * count / total:N2}%")];

    private static void Table(StringBuilder page, string id, string caption, string[] headings, IEnumerable<string[]> rows)
    {
        page.Append("<table id=\"").Append(id).Append("\">\n<caption>").Append(Encode(caption)).Append("</caption>\n<tr>");
        foreach (string heading in headings)
        {
            page.Append("<th>").Append(Encode(heading)).Append("</th>");
        }

        page.Append("</tr>\n");
        foreach (string[] row in rows)
        {
            page.Append("<tr>");
            foreach (string cell in row)
            {
                page.Append("<td>").Append(Encode(cell)).Append("</td>");
            }

            page.Append("</tr>\n");
        }

        page.Append("</table>\n");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
