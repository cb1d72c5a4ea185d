namespace Oms.Load;

/// <summary>The report files a load run can leave behind: the HTML page (<c>--report</c>) and the percentile distributions (<c>--histograms</c>).</summary>
internal static class ReportFiles
{
    /// <summary>Writes <see cref="HtmlReport"/> to <paramref name="path"/>, whole or not at all (a temporary file moved into place).</summary>
    public static void WriteHtml(LoadResult result, string title, IReadOnlyList<(string Name, string Value)> settings, string path)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temporary = full + ".tmp";
        using (var writer = new StreamWriter(temporary, append: false, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
        {
            HtmlReport.Write(result, title, settings, writer);
        }

        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>
    /// Writes one <c>.hgrm</c> file per latency series of the run into <paramref name="directory"/> (created if
    /// needed): <c>tick-to-wire.hgrm</c>, <c>tick-to-wire-own.hgrm</c>, <c>venue-wait.hgrm</c>, <c>round-trip.hgrm</c>,
    /// and <c>confirmation.hgrm</c> when fates were confirmed.
    /// </summary>
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> WriteHistograms(LoadResult result, string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var (_, id, histogram) in HtmlReport.Series(result))
        {
            string path = Path.Combine(directory, id + ".hgrm");
            using (var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
            {
                PercentileDistribution.Write(histogram, writer);
            }

            written.Add(path);
        }

        return written;
    }
}
