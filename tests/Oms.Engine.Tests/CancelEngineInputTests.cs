namespace Oms.Engine.Tests;

/// <summary>Bad input at the API: refused at the call with a precise reason, counted, never thrown, never sent.</summary>
[Collection(FakeEngine.Collection)]
public sealed class CancelEngineInputTests
{
    private const string GoodOrderId = "a18c5e3b7f2U12345678900000000001";

    public static TheoryData<string?, string?, CancelRefusal> BadInputs => new()
    {
        { null, "BTC-PERP", CancelRefusal.OrderIdEmpty },
        { "", "BTC-PERP", CancelRefusal.OrderIdEmpty },
        { GoodOrderId[..31], "BTC-PERP", CancelRefusal.OrderIdLength },
        { GoodOrderId + "7", "BTC-PERP", CancelRefusal.OrderIdLength },
        { new string('a', 500), "BTC-PERP", CancelRefusal.OrderIdLength },
        { GoodOrderId[..31] + "é", "BTC-PERP", CancelRefusal.OrderIdCharacter },
        { GoodOrderId[..31] + "-", "BTC-PERP", CancelRefusal.OrderIdCharacter },
        { GoodOrderId[..31] + " ", "BTC-PERP", CancelRefusal.OrderIdCharacter },
        { GoodOrderId[..31] + "\0", "BTC-PERP", CancelRefusal.OrderIdCharacter },
        { GoodOrderId, null, CancelRefusal.SymbolEmpty },
        { GoodOrderId, "", CancelRefusal.SymbolEmpty },
        { GoodOrderId, new string('X', CancelProfile.MaxSymbolLength + 1), CancelRefusal.SymbolTooLong },
        { GoodOrderId, "BTC PERP", CancelRefusal.SymbolCharacter },
        { GoodOrderId, "BTC-PÉRP", CancelRefusal.SymbolCharacter },
        { GoodOrderId, "BTC-PERP\n", CancelRefusal.SymbolCharacter },
        { GoodOrderId, "比特币", CancelRefusal.SymbolCharacter },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task TryCancel_BadInput_RefusedWithThePreciseReasonCountedAndNotSent(string? orderId, string? symbol, CancelRefusal expected)
    {
        await using var fake = FakeEngine.Start();

        var accepted = fake.Engine.TryCancel(orderId, symbol, 1, out var refusal);
        var acceptedSpan = fake.Engine.TryCancel(orderId.AsSpan(), symbol.AsSpan(), 2, out var spanRefusal);
        var acceptedWaiting = fake.Engine.TryCancel(orderId.AsSpan(), symbol.AsSpan(), 3, TimeSpan.FromSeconds(1), out var waitingRefusal);
        var counters = fake.Engine.GetCounters();

        Assert.Equal((false, false, false), (accepted, acceptedSpan, acceptedWaiting));
        Assert.Equal((expected, expected, expected), (refusal, spanRefusal, waitingRefusal));
        Assert.Equal((3L, 0L, 0L), (counters.Refusals, counters.Intents, counters.RingFullRefusals));
        Assert.Equal(0, fake.Sender.Attempts);
    }

    [Fact]
    public async Task TryCancel_GoodInput_AcceptedWithRefusalNone()
    {
        await using var fake = FakeEngine.Start();

        var accepted = fake.Engine.TryCancel(GoodOrderId, "BTC-PERP", 1, out var refusal);

        Assert.True(accepted);
        Assert.Equal(CancelRefusal.None, refusal);
        Assert.Equal(0, fake.Engine.GetCounters().Refusals);
    }

    [Fact]
    public async Task TryCancel_AfterStopAsync_RefusedEngineStoppedAndCounted()
    {
        var fake = FakeEngine.Start();
        await using (fake)
        {
            await fake.Engine.StopAsync(TimeSpan.FromSeconds(1)).WaitAsync(FakeEngine.Bound);

            var accepted = fake.Engine.TryCancel(GoodOrderId, "BTC-PERP", 1, out var refusal);
            var acceptedWaiting = fake.Engine.TryCancel(GoodOrderId, "BTC-PERP", 2, TimeSpan.FromSeconds(1), out var waitingRefusal);

            Assert.False(accepted || acceptedWaiting);
            Assert.Equal((CancelRefusal.EngineStopped, CancelRefusal.EngineStopped), (refusal, waitingRefusal));
            Assert.Equal(2, fake.Engine.GetCounters().Refusals);
            Assert.False(fake.Engine.IsRunning);
        }
    }

    [Fact]
    public async Task TryCancel_MoreDistinctSymbolsThanTheTableHolds_RefusedTooManySymbols()
    {
        // A ring of two and a full transport: the symbols are interned even though the intents are refused as RingFull.
        await using var fake = FakeEngine.Start(FakeEngine.DefaultSettings with { RingSize = 2 });
        fake.Sender.RefuseWith = Http2SendResult.NoCapacity;

        var refusals = new List<CancelRefusal>();
        for (var i = 0; i < 4096 + 1; i++)
        {
            fake.Engine.TryCancel(GoodOrderId, "S" + i.ToString(CultureInfo.InvariantCulture), i, out var refusal);
            refusals.Add(refusal);
        }

        Assert.Equal(CancelRefusal.TooManySymbols, refusals[^1]);
        Assert.DoesNotContain(CancelRefusal.TooManySymbols, refusals.Take(4096));
        fake.Engine.TryCancel(GoodOrderId, "S17", 99, out var known);
        Assert.NotEqual(CancelRefusal.TooManySymbols, known);
    }
}
