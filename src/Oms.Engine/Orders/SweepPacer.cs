namespace Oms.Engine.Orders;

/// <summary>
/// Paces the order-state sweep: a slice at each batch's end, sized so the whole table is covered once per lap.
/// Consumer thread only.
/// </summary>
/// <remarks>
/// Slices are at least <see cref="MinSlice"/> slots (fewer calls, each worth making) and at most
/// <see cref="MaxSlice"/> (about 40 µs at the largest table: the most a slice adds to one batch), where a whole pass
/// would take 19 ms at a million entries.
/// </remarks>
internal sealed class SweepPacer
{
    public const int MinSlice = 256;
    public const int MaxSlice = 4096;

    private readonly CancelStateTable _table;
    private readonly long _lapTicks;
    private readonly double _slotsPerTick;
    private readonly int _minSlice;
    private long _sweptUpToTicks;

    public SweepPacer(CancelStateTable table, TimeSpan retention, long nowTicks)
    {
        _table = table;
        _lapTicks = (long)(Lap(retention).TotalSeconds * Stopwatch.Frequency);
        _slotsPerTick = (double)table.SlotCount / _lapTicks;
        _minSlice = Math.Min(MinSlice, table.SlotCount);
        _sweptUpToTicks = nowTicks;
    }

    /// <summary>
    /// How long the sweep takes to go round the whole table: the retention, within 100 ms and 1 s, so a final entry is
    /// reclaimed at most one lap after its retention ends.
    /// </summary>
    public static TimeSpan Lap(TimeSpan retention) =>
        TimeSpan.FromTicks(Math.Clamp(retention.Ticks, TimeSpan.TicksPerMillisecond * 100, TimeSpan.TicksPerSecond));

    /// <summary>Sweeps the slots the lap's pace has made due since the last slice, within the slice bounds.</summary>
    public void SweepDue(long nowTicks)
    {
        var due = (nowTicks - _sweptUpToTicks) * _slotsPerTick;
        if (due < _minSlice)
        {
            return;
        }

        var slice = (int)Math.Min(due, MaxSlice);
        _table.SweepSlice(nowTicks, slice);

        // What the cap left undone is owed to the next slices, but never more than one lap: a consumer stalled for
        // minutes need not sweep the table many times over to catch up.
        _sweptUpToTicks = Math.Max(_sweptUpToTicks + (long)(slice / _slotsPerTick), nowTicks - _lapTicks);
    }
}
