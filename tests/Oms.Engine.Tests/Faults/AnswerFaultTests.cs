namespace Oms.Engine.Tests.Faults;

/// <summary>The venue processed the cancel but its answer is wrong: another echoed id, JSON cut in half, HTML, or nothing.</summary>
[Collection(FaultCollection.Name)]
public sealed class AnswerFaultTests
{
    [Fact]
    public async Task Venue_EchoesAnotherIdToAShare_MismatchesCountedExactlyAndOutcomesKept()
    {
        await using var fault = await FaultRun.CancelSeededAsync(600, AckRelation.Exact, StreamRelation.Exact, new VenueOptions { Faults = new VenueFaults { WrongIdShare = 0.1 } });
        var (run, orders, counters) = fault;

        Assert.True(run.Venue.Stats.Count(VenueFault.WrongId) > 0, "No answer echoed a wrong id.");
        Assert.Equal(run.Venue.Stats.Count(VenueFault.WrongId), counters.IdMismatches);
        Assert.Equal(orders.Count, counters.Acked);
        Assert.Equal(orders.Count, counters.Requests);
    }

    [Fact]
    public async Task Venue_CutsAShareOfAnswersInHalf_BadResponseWithTheFirstBytesAndNoCrash()
    {
        await using var fault = await FaultRun.CancelSeededAsync(600, AckRelation.AtLeast, StreamRelation.Exact, new VenueOptions { Faults = new VenueFaults { TruncatedJsonShare = 0.1 } });
        var (run, orders, counters) = fault;

        var truncated = run.Venue.Stats.Count(VenueFault.TruncatedJson);
        var badResponses = run.Listener.Outcomes.Values.Where(o => o.Failure == CancelFailureReason.BadResponse).ToArray();
        Assert.True(truncated > 0, "No answer was cut.");
        Assert.Equal(truncated, badResponses.Length);
        Assert.All(badResponses, o => Assert.StartsWith("{\"code\":0", o.Text, StringComparison.Ordinal));
        Assert.Equal(orders.Count, counters.Acked + badResponses.Length);
        Assert.Equal(orders.Count, run.Venue.Stats.Acked);
        Assert.Equal(orders.Count, counters.Requests);
    }

    [Fact]
    public async Task Venue_AnswersAShareWithHtmlOrAnEmptyBody_BadResponseForExactlyThoseAndTheRestAcked()
    {
        await using var fault = await FaultRun.CancelSeededAsync(600, AckRelation.AtLeast, StreamRelation.Exact, new VenueOptions { Faults = new VenueFaults { NonJsonBodyShare = 0.05, EmptyBodyShare = 0.05 } });
        var (run, orders, counters) = fault;

        var stats = run.Venue.Stats;
        var html = stats.Count(VenueFault.NonJsonBody);
        var empty = stats.Count(VenueFault.EmptyBody);
        var badResponses = run.Listener.Outcomes.Values.Where(o => o.Failure == CancelFailureReason.BadResponse).ToArray();
        Assert.True(html > 0 && empty > 0, $"A fault kind never happened: {html} HTML, {empty} empty.");

        // A 200 without a verdict is final: the venue did act on it, so it is neither resent nor counted acked.
        Assert.Equal(html + empty, badResponses.Length);
        Assert.Equal(html, badResponses.Count(o => o.Text.StartsWith("<html>", StringComparison.Ordinal)));
        Assert.Equal(empty, badResponses.Count(o => o.Text.Length == 0));
        Assert.Equal(orders.Count, counters.Acked + badResponses.Length);
        Assert.Equal(orders.Count, stats.Acked);
        Assert.Equal(orders.Count, counters.Requests);
        Assert.Equal(0, counters.Retries);
        Assert.Equal(0, counters.IdMismatches);
    }
}
