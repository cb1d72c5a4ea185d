namespace Oms.Engine.Tests.Diagnostics;

/// <summary>The counters say when an answer has proven the key: what the hosting package's health check reads.</summary>
[Collection(FakeEngine.Collection)]
public sealed class KeyProvenTests
{
    [Fact]
    public async Task KeyProven_FalseUntilAnAckThenTrue()
    {
        await using var fake = FakeEngine.Start();
        fake.Cancel(FakeEngine.OrderId(1), tag: 1);
        var request = fake.Sender.WaitForRequest(0);
        var beforeAnswer = fake.Engine.GetCounters().KeyProven;

        fake.Sender.Ack(request);
        var (_, counters) = await fake.WaitForTagAndIdleAsync(1);

        Assert.False(beforeAnswer);
        Assert.True(counters.KeyProven);
    }

    [Fact]
    public async Task KeyProven_OnlyAnswer200001_StaysFalse()
    {
        await using var fake = FakeEngine.Start();
        fake.Cancel(FakeEngine.OrderId(1), tag: 1);
        var request = fake.Sender.WaitForRequest(0);

        fake.Sender.Respond(request, 200, FakeAnswers.ShortErr(200001, "AUTHENTICATION_FAILED", "API signature mismatch"));
        var (_, counters) = await fake.WaitForTagAndIdleAsync(1);

        Assert.True(counters.AuthenticationFailed);
        Assert.False(counters.KeyProven);
    }

    [Fact]
    public async Task KeyProven_BusinessRejection_ProvesTheKey()
    {
        await using var fake = FakeEngine.Start();
        fake.Cancel(FakeEngine.OrderId(1), tag: 1);
        var request = fake.Sender.WaitForRequest(0);

        fake.Sender.Respond(request, 200, FakeAnswers.OrderErr(request, 300006, "INVALID_ORDER_ID", "no such order"));
        var (_, counters) = await fake.WaitForTagAndIdleAsync(1);

        Assert.True(counters.KeyProven);
    }
}
