using System.Globalization;
using Oms.Cli.Syntax;
using Oms.Engine;
using Oms.Engine.Sequencing;
using Oms.Load;

namespace Oms.Cli.Commands;

/// <summary>
/// <c>--report FILE.html</c> and <c>--histograms DIR</c> of <c>oms demo</c> and <c>oms load</c>: the files a run leaves
/// behind, written after it (with or without <c>--json</c>), and one stderr line naming them.
/// </summary>
internal static class ReportOutputs
{
    public const string ReportOption = "--report";

    public const string HistogramsOption = "--histograms";

    /// <summary>
    /// What the report's settings table shows of a run: what it was asked to do, never a credential (the key and the
    /// secret are not in <see cref="CancelEngineSettings"/>'s fields read here).
    /// </summary>
    public static IReadOnlyList<(string Name, string Value)> Settings(string command, CancelEngineSettings settings, double offeredRate, long orders, int strategies) =>
    [
        ("command", command),
        ("base URL", settings.BaseUrl.ToString()),
        ("account group", settings.AccountGroup),
        ("profile", settings.Profile.Name),
        ("wait strategy", WaitStrategyFactory.GetName(settings.WaitStrategy)),
        ("connections", Invariant($"{settings.Connections}")),
        ("offered rate", offeredRate > 0 ? Invariant($"{offeredRate:N0}/s") : "unlimited"),
        ("engine limit", settings.RateLimitPerSecond > 0 ? Invariant($"{settings.RateLimitPerSecond:N0} requests/s") : "none"),
        ("orders", Invariant($"{orders:N0}")),
        ("strategies", Invariant($"{strategies}")),
        ("fate confirmation", settings.Confirmation.Enabled ? "on" : "off (--no-confirm)"),
        ("batch", settings.BatchCancel == BatchCancelMode.Off ? "off" : "auto"),
    ];

    /// <summary>
    /// Writes the files <paramref name="args"/> ask for; false, after one stderr line saying why, when one cannot be
    /// written (the run itself is over and reported by then).
    /// </summary>
    public static bool TryWrite(OptionValues args, LoadResult result, string title, IReadOnlyList<(string Name, string Value)> settings, TextWriter error)
    {
        var written = new List<string>();
        try
        {
            if (args.GetString(ReportOption) is { } report)
            {
                ReportFiles.WriteHtml(result, title, settings, report);
                written.Add($"the report {report}");
            }

            if (args.GetString(HistogramsOption) is { } directory)
            {
                var files = ReportFiles.WriteHistograms(result, directory);
                written.Add(Invariant($"{files.Count} percentile distributions (.hgrm) in {directory}"));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            error.WriteLine($"oms: cannot write the report files{(written.Count > 0 ? " (wrote " + string.Join(" and ", written) + ")" : "")}: {e.Message.ReplaceLineEndings(" ")}");
            return false;
        }

        if (written.Count > 0)
        {
            error.WriteLine("oms: wrote " + string.Join(" and ", written));
        }

        return true;
    }

    /// <summary>A run's exit code once its files were, or were not, written: a file asked for and not written is a usage error (2) unless the run already failed.</summary>
    public static ExitCode After(ExitCode code, bool written) => written || code != ExitCode.Success ? code : ExitCode.Usage;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
