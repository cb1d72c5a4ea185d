namespace Oms.Load.Tests;

/// <summary>The live progress line: one 80-column line whatever the counts, its counts in agreement.</summary>
public sealed class ProgressLineTests
{
    [Theory]
    [InlineData(0L, "0")]
    [InlineData(9_999L, "9,999")]
    [InlineData(10_000L, "10.0k")]
    [InlineData(19_999L, "19.9k")]
    [InlineData(20_000L, "20.0k")]
    [InlineData(123_456L, "123k")]
    [InlineData(1_234_567L, "1.23M")]
    [InlineData(99_999_999L, "99.9M")]
    [InlineData(100_000_000L, "100M")]
    [InlineData(2_500_000_000L, "2.50G")]
    public void Count_AnyValue_FiveCharactersAtMostRoundedDown(long value, string expected)
    {
        Assert.Equal(expected, ProgressLine.Count(value));
    }

    [Theory]
    [InlineData(null, "-")]
    [InlineData(850_000L, "850µs")]
    [InlineData(9_999_999L, "9999µs")]
    [InlineData(12_345_678L, "12ms")]
    [InlineData(45_000_000_000L, "45s")]
    public void Duration_AnyLatency_InItsUnit(long? nanoseconds, string expected)
    {
        Assert.Equal(expected, ProgressLine.Duration(nanoseconds));
    }

    [Fact]
    public void Format_HundredMillionOrdersEveryGroupLarge_FitsEightyColumnsKeepingTheCounts()
    {
        var figures = new ProgressFigures(
            Done: 99_999_999, Total: 100_000_000, Handed: 99_999_999, Requests: 123_456_789, PerSecond: 1_234_567.8,
            Acked: 55_555_555, Rejected: 22_222_222, Failed: 11_111_111, Expired: 11_111_111, Refused: 9_876_543,
            Fates: 88_888_888, RoundTripP99Nanoseconds: 987_654_321_000);

        var line = ProgressLine.Format(figures);

        Assert.True(line.Length <= ProgressLine.Width, $"{line.Length} columns: {line}");
        Assert.StartsWith("  99.9M/100M done  99.9M handed  123M http  1.23M/s", line, StringComparison.Ordinal);
        Assert.Contains("fail 11.1M", line, StringComparison.Ordinal);
        Assert.Contains("exp 11.1M", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_AllTheLargestValues_StillEightyColumns()
    {
        var figures = new ProgressFigures(long.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue, double.MaxValue / 2,
            long.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue);

        var line = ProgressLine.Format(figures);

        Assert.True(line.Length <= ProgressLine.Width, $"{line.Length} columns: {line}");
        Assert.Contains(" handed ", line, StringComparison.Ordinal);
        Assert.Contains(" http", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_SmallDemoRun_ShowsWholeCountsAndTheFates()
    {
        var figures = new ProgressFigures(
            Done: 8_000, Total: 8_000, Handed: 8_000, Requests: 8_012, PerSecond: 5_000,
            Acked: 7_600, Rejected: 400, Failed: 0, Expired: 0, Refused: 0, Fates: 7_990, RoundTripP99Nanoseconds: 850_000);

        var line = ProgressLine.Format(figures);

        Assert.True(line.Length <= ProgressLine.Width, $"{line.Length} columns: {line}");
        Assert.StartsWith("  8,000/8,000 done  8,000 handed  8,012 http  5,000/s", line, StringComparison.Ordinal);
        Assert.Contains("fates 7,990", line, StringComparison.Ordinal);
        Assert.Contains("p99 850µs", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_RejectionsWhenThereIsRoom_Shown()
    {
        var figures = new ProgressFigures(8_000, 8_000, 8_000, 8_012, 5_000, 7_600, 400, 0, 0, 0, Fates: null, RoundTripP99Nanoseconds: 850_000);

        var line = ProgressLine.Format(figures);

        Assert.Equal("  8,000/8,000 done  8,000 handed  8,012 http  5,000/s  rej 400  p99 850µs", line);
    }

    [Fact]
    public void Format_NotConfirming_NoFatesGroup()
    {
        var figures = new ProgressFigures(10, 10, 10, 10, 10, 10, 0, 0, 0, 0, Fates: null, RoundTripP99Nanoseconds: null);

        var line = ProgressLine.Format(figures);

        Assert.DoesNotContain("fates", line, StringComparison.Ordinal);
        Assert.Contains("p99 -", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_HttpRequestsFewerThanIntents_ShownApart()
    {
        // Batches carry up to ten intents a request: the two counts differ and both are shown.
        var figures = new ProgressFigures(2_000, 2_000, 2_000, 200, 1_000, 2_000, 0, 0, 0, 0, null, null);

        var line = ProgressLine.Format(figures);

        Assert.Contains("2,000 handed  200 http", line, StringComparison.Ordinal);
    }
}
