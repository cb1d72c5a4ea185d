using System.Diagnostics;

namespace Oms.Load.Tests;

/// <summary>The open-loop pacer both <c>oms load</c> and the harness publish with.</summary>
public sealed class PacerTests
{
    [Fact]
    public void Run_NoRate_IssuesEveryItemInOrder()
    {
        var issued = new List<int>();

        var count = Pacer.Run(0, 5, i => { issued.Add(i); return true; });

        Assert.Equal(5, count);
        Assert.Equal([0, 1, 2, 3, 4], issued);
    }

    [Fact]
    public void Run_IssueRefuses_StopsThereAndCountsWhatWasIssued()
    {
        Assert.Equal(3, Pacer.Run(0, 10, i => i < 3));
        Assert.Equal(3, Pacer.Run(10_000, 10, i => i < 3));
    }

    [Fact]
    public void Run_Paced_SpreadsTheItemsOverCountOverRate()
    {
        var clock = Stopwatch.StartNew();

        // 40 items at 400/s: the last is due 97.5 ms after the first, whatever the machine's load.
        var count = Pacer.Run(400, 40, _ => true);

        Assert.Equal(40, count);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(95), $"{clock.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public void Run_Stopped_IssuesNothingMore()
    {
        using var stop = new CancellationTokenSource();
        var issued = 0;

        // One item a second: the stop comes while the pacer waits for the second.
        var count = Pacer.Run(1, 100, _ => { issued++; stop.CancelAfter(50); return true; }, stop.Token);

        Assert.Equal(1, count);
        Assert.Equal(1, issued);
    }

    [Fact]
    public void RunOneInFlight_NoOutcome_StopsAfterThatItem()
    {
        var awaited = new List<int>();

        var count = Pacer.RunOneInFlight(10, _ => true, i => { awaited.Add(i); return i < 2; });

        Assert.Equal(3, count);
        Assert.Equal([0, 1, 2], awaited);
    }
}
