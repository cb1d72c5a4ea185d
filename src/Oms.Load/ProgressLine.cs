using System.Globalization;

namespace Oms.Load;

/// <summary>What the live progress line shows, read in this order so that <see cref="Done"/> never exceeds <see cref="Handed"/>.</summary>
/// <param name="Done">Intents decided (acked, rejected, failed or expired).</param>
/// <param name="Total">Orders the run was asked to cancel.</param>
/// <param name="Handed">Intents handed to the engine (<c>TryCancel</c> accepted, or about to be).</param>
/// <param name="Requests">HTTP requests the engine sent (one can carry a batch; retries are requests too).</param>
/// <param name="PerSecond">Intents decided per second so far.</param>
/// <param name="Acked">Decided: acknowledged by the venue.</param>
/// <param name="Rejected">Decided: rejected by the venue.</param>
/// <param name="Failed">Decided: failed (no answer after the retries, stopped).</param>
/// <param name="Expired">Decided: expired before they were sent.</param>
/// <param name="Refused">Orders <c>TryCancel</c> refused (never handed).</param>
/// <param name="Fates">Fates confirmed so far, or null when the run does not confirm them.</param>
/// <param name="RoundTripP99Nanoseconds">The round trip's 99th percentile, or null before the first answer.</param>
internal readonly record struct ProgressFigures(
    long Done, long Total, long Handed, long Requests, double PerSecond, long Acked, long Rejected, long Failed, long Expired, long Refused, long? Fates, long? RoundTripP99Nanoseconds);

/// <summary>
/// The live progress line of a load run, kept to one 80-column terminal line whatever the counts: numbers from 10,000
/// up in three significant figures with k, M or G (rounded down, so a count shows its total only once reached), the
/// rejected, failed, expired and refused counts only once there are some, and the groups that matter least left out
/// when the line would grow past <see cref="Width"/>. The report after the run has every figure whole.
/// </summary>
internal static class ProgressLine
{
    /// <summary>The widest line, in characters: a terminal's default width.</summary>
    public const int Width = 80;

    private const string Separator = "  ";

    public static string Format(in ProgressFigures figures)
    {
        // (position on the line, weight, text): the heaviest are placed first, then each lighter one that still fits.
        var groups = new List<(int Position, int Weight, string Text)>
        {
            (0, 100, $"{Count(figures.Done)}/{Count(figures.Total)} done"),
            (1, 99, $"{Count(figures.Handed)} handed"),
            (2, 98, $"{Count(figures.Requests)} http"),
            (3, 90, $"{Count((long)figures.PerSecond)}/s"),
            (4, 20, $"ack {Count(figures.Acked)}"),
            (9, 65, $"p99 {Duration(figures.RoundTripP99Nanoseconds)}"),
        };

        // The outcomes other than an Ack show only once they happen: a line without them says there are none.
        AddWhenAny(groups, 5, 60, "rej", figures.Rejected);
        AddWhenAny(groups, 6, 80, "fail", figures.Failed);
        AddWhenAny(groups, 7, 80, "exp", figures.Expired);
        AddWhenAny(groups, 8, 55, "refused", figures.Refused);

        if (figures.Fates is { } fates)
        {
            groups.Add((10, 70, $"fates {Count(fates)}"));
        }

        var chosen = new List<(int Position, string Text)>();
        var length = Separator.Length;
        foreach (var group in groups.OrderByDescending(g => g.Weight).ThenBy(g => g.Position))
        {
            var added = group.Text.Length + (chosen.Count > 0 ? Separator.Length : 0);
            if (length + added <= Width)
            {
                chosen.Add((group.Position, group.Text));
                length += added;
            }
        }

        return Separator + string.Join(Separator, chosen.OrderBy(g => g.Position).Select(g => g.Text));
    }

    private static void AddWhenAny(List<(int Position, int Weight, string Text)> groups, int position, int weight, string label, long count)
    {
        if (count > 0)
        {
            groups.Add((position, weight, $"{label} {Count(count)}"));
        }
    }

    /// <summary>
    /// <paramref name="value"/> in at most five characters: whole with thousands separators below 10,000, else three
    /// significant figures and a suffix, rounded down (19,999 is 19.9k, never 20.0k).
    /// </summary>
    public static string Count(long value)
    {
        if (value < 10_000)
        {
            return value.ToString("N0", CultureInfo.InvariantCulture);
        }

        ReadOnlySpan<(long Unit, char Suffix)> units = [(1_000_000_000_000, 'T'), (1_000_000_000, 'G'), (1_000_000, 'M'), (1_000, 'k')];
        foreach (var (unit, suffix) in units)
        {
            if (value >= unit)
            {
                // Three significant figures, rounded down: hundredths below 10 units, tenths below 100.
                var scaled = value / unit;
                var decimals = scaled >= 100 ? 0 : scaled >= 10 ? 1 : 2;
                var factor = decimals == 0 ? 1 : decimals == 1 ? 10 : 100;
                var shown = (double)(value / (unit / factor)) / factor;
                return shown.ToString(decimals == 0 ? "0" : decimals == 1 ? "0.0" : "0.00", CultureInfo.InvariantCulture) + suffix;
            }
        }

        return value.ToString("N0", CultureInfo.InvariantCulture);
    }

    /// <summary>A latency in at most six characters: µs below 10 ms, then ms, then s; "-" when there is none.</summary>
    public static string Duration(long? nanoseconds) => nanoseconds switch
    {
        null => "-",
        < 10_000_000 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds.Value / 1000}µs"),
        < 10_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds.Value / 1_000_000}ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Math.Min(nanoseconds.Value / 1_000_000_000, 99_999)}s"),
    };
}
