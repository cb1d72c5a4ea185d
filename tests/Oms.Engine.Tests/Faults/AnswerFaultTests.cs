using Oms.Engine.Tests.Support;
using Oms.Venue;
using Oms.Venue.Stats;
using static Oms.Engine.Tests.Support.InvariantChecker;

namespace Oms.Engine.Tests.Faults;

/// <summary>The venue processed the cancel but its answer is wrong: another echoed id, or JSON cut in half.</summary>
[Collection(FaultCollection.Name)]
public sealed class AnswerFaultTests
{
    [Fact]
    public async Task Venue_EchoesAnotherIdToAShare_MismatchesCountedExactlyAndOutcomesKept()
    {
        using var checker = new InvariantChecker();
        await using var run = await VenueRun.StartAsync(new VenueOptions { Faults = new VenueFaults { WrongIdShare = 0.1 } });
        var orders = run.Seed(600);

        run.CancelAll(orders);
        await run.WaitForOutcomesAsync();
        var counters = await checker.StopAndVerifyAsync(run, AckRelation.Exact, StreamRelation.Exact);

        Assert.True(run.Venue.Stats.Count(VenueFault.WrongId) > 0, "No answer echoed a wrong id.");
        Assert.Equal(run.Venue.Stats.Count(VenueFault.WrongId), counters.IdMismatches);
        Assert.Equal(orders.Count, counters.Acked);
        Assert.Equal(orders.Count, counters.Requests);
    }

    [Fact]
    public async Task Venue_CutsAShareOfAnswersInHalf_BadResponseWithTheFirstBytesAndNoCrash()
    {
        using var checker = new InvariantChecker();
        await using var run = await VenueRun.StartAsync(new VenueOptions { Faults = new VenueFaults { TruncatedJsonShare = 0.1 } });
        var orders = run.Seed(600);

        run.CancelAll(orders);
        await run.WaitForOutcomesAsync();
        var counters = await checker.StopAndVerifyAsync(run, AckRelation.AtLeast, StreamRelation.Exact);

        var truncated = run.Venue.Stats.Count(VenueFault.TruncatedJson);
        var badResponses = run.Listener.Outcomes.Values.Where(o => o.Failure == CancelFailureReason.BadResponse).ToArray();
        Assert.True(truncated > 0, "No answer was cut.");
        Assert.Equal(truncated, badResponses.Length);
        Assert.All(badResponses, o => Assert.StartsWith("{\"code\":0", o.Text, StringComparison.Ordinal));
        Assert.Equal(orders.Count, counters.Acked + badResponses.Length);
        Assert.Equal(orders.Count, run.Venue.Stats.Acked);
        Assert.Equal(orders.Count, counters.Requests);
    }
}
