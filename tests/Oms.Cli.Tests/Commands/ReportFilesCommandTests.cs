using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Oms.Cli.Tests.Commands;

/// <summary><c>--report</c> and <c>--histograms</c> of <c>oms load</c> against the in-process venue simulator, and its live progress line.</summary>
[Collection(nameof(EngineCommandTests))]
public sealed class ReportFilesCommandTests
{
    [Fact]
    public async Task Load_ReportAndHistogramsWithJson_WritesBothAgreeingWithTheJson()
    {
        await using var venue = await StartVenueAsync();
        var directory = Directory.CreateTempSubdirectory("oms-report-").FullName;
        try
        {
            var ids = Path.Combine(directory, "ids.txt");
            await File.WriteAllLinesAsync(ids, venue.Book.SeedGenerated(300, "BTC-PERP").Select(id => "BTC-PERP " + id));
            var report = Path.Combine(directory, "out", "run.html");
            var histograms = Path.Combine(directory, "hgrm");

            var (exit, output, error) = await RunAsync(
                ["load", "--base-url", venue.BaseUri.ToString(), "--account-group", "5", "--order-ids", ids, "--rate", "0", "--json", "--report", report, "--histograms", histograms],
                Environment());

            Assert.True(exit == 0, error);
            using var json = JsonDocument.Parse(output);
            var roundTrips = json.RootElement.GetProperty("rttMicros").GetProperty("count").GetInt64();
            Assert.True(roundTrips > 0, output);

            // The page is well-formed XML after its doctype, and its round-trip row carries the JSON's count.
            var page = XDocument.Parse((await File.ReadAllTextAsync(report)).Replace("<!DOCTYPE html>", "", StringComparison.Ordinal));
            var row = page.Descendants("tr").Single(tr => (string?)tr.Attribute("id") == "round-trip");
            Assert.Equal(roundTrips, long.Parse((string)row.Attribute("data-count")!, CultureInfo.InvariantCulture));
            var settings = page.Descendants("td").Select(td => td.Value).ToList();
            Assert.Contains("oms load", settings);
            Assert.Contains("auto", settings);
            Assert.DoesNotContain(Secret, await File.ReadAllTextAsync(report), StringComparison.Ordinal);

            var files = Directory.GetFiles(histograms, "*.hgrm").Select(Path.GetFileName).Order().ToList();
            Assert.Contains("round-trip.hgrm", files);
            Assert.Contains("tick-to-wire.hgrm", files);
            Assert.Contains("confirmation.hgrm", files);
            Assert.All(Directory.GetFiles(histograms, "*.hgrm"), file =>
                Assert.Equal("       Value     Percentile TotalCount 1/(1-Percentile)", File.ReadLines(file).First()));

            Assert.Contains($"oms: wrote the report {report} and {files.Count} percentile distributions (.hgrm) in {histograms}", error, StringComparison.Ordinal);
            AssertProgressLinesAgree(error);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Load_ReportWhereNoFileCanBe_ExitsTwoWithOneLineAfterTheRun()
    {
        await using var venue = await StartVenueAsync();
        var blocker = Path.GetTempFileName();
        try
        {
            var (exit, output, error) = await RunAsync(
                ["load", "--base-url", venue.BaseUri.ToString(), "--account-group", "5", "--orders", "20", "--rate", "0", "--no-confirm", "--json", "--report", Path.Combine(blocker, "run.html")],
                Environment());

            Assert.Equal((int)ExitCode.Usage, exit);
            using var json = JsonDocument.Parse(output);
            Assert.Equal(20, json.RootElement.GetProperty("intents").GetInt64());
            Assert.Single(error.Split('\n'), line => line.StartsWith("oms: cannot write the report files", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(blocker);
        }
    }

    // Every progress line fits 80 columns, and the intents done never outnumber those handed to the engine.
    private static void AssertProgressLinesAgree(string error)
    {
        var lines = error.Split('\n').Where(line => line.Contains(" done ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            Assert.True(line.Length <= 80, line);
            var counts = Regex.Match(line, @"^  ([\d,]+)/([\d,]+) done  ([\d,]+) handed  ([\d,]+) http");
            Assert.True(counts.Success, line);
            var (done, handed) = (Number(counts.Groups[1].Value), Number(counts.Groups[3].Value));
            Assert.True(done <= handed, line);
        }
    }

    private static long Number(string text) => long.Parse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
}
