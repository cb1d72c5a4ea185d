namespace Oms.Engine.Tests.Consumer;

/// <summary>Each send hands back at most one completion: the consumer ring's sizing depends on it.</summary>
public sealed class InFlightEntryTests
{
    [Fact]
    public void TryTakeAnswer_SecondAnswerToTheSameSend_IsRefused()
    {
        var entry = new InFlightEntry();
        entry.Publish(7);

        var first = entry.TryTakeAnswer(7);
        var second = entry.TryTakeAnswer(7);

        Assert.True(first);
        Assert.False(second);
    }

    [Fact]
    public void TryTakeAnswer_AnswerToAnotherSend_IsRefusedAndLeavesTheLiveSendItsTurn()
    {
        var entry = new InFlightEntry();
        entry.Publish(7);
        Assert.True(entry.TryTakeAnswer(7));
        entry.Free();
        entry.Publish(7 + 1024);

        var stale = entry.TryTakeAnswer(7);
        var live = entry.TryTakeAnswer(7 + 1024);

        Assert.False(stale);
        Assert.True(live);
    }

    [Fact]
    public void TryTakeAnswer_FreeEntry_IsRefused()
    {
        var entry = new InFlightEntry();
        entry.Publish(3);
        entry.Free();

        Assert.False(entry.TryTakeAnswer(3));
    }

    [Theory]
    [InlineData(16_384, 4_096, 32_768)]
    [InlineData(16_384, 16_384, 65_536)]
    [InlineData(1_023, 1_024, 2_048)]
    [InlineData(1_024, 1_024, 4_096)]
    public void SizeFor_IsAPowerOfTwoHoldingEveryIntentEveryCompletionAndTheSlotInHand(int intents, int inFlight, int expected)
    {
        var size = IConsumerRing.SizeFor(intents, inFlight);

        Assert.Equal(expected, size);
        Assert.True(size >= intents + inFlight + 1);
    }
}
