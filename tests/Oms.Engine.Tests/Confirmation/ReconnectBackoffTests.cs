using Oms.Engine.Confirmation;

namespace Oms.Engine.Tests.Confirmation;

public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan s_min = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan s_max = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(1, 250, 500)]
    [InlineData(2, 500, 1_000)]
    [InlineData(3, 1_000, 2_000)]
    [InlineData(5, 4_000, 8_000)]
    [InlineData(6, 5_000, 10_000)]
    [InlineData(40, 5_000, 10_000)]
    [InlineData(int.MaxValue, 5_000, 10_000)]
    public void Delay_PerFailure_DoublesWithinItsStepUntilCapped(int failures, int lowestMs, int highestMs)
    {
        // Act
        var lowest = ReconnectBackoff.Delay(failures, s_min, s_max, 0);
        var highest = ReconnectBackoff.Delay(failures, s_min, s_max, 0.999_999_999);

        // Assert
        Assert.Equal(TimeSpan.FromMilliseconds(lowestMs), lowest);
        Assert.InRange(highest, TimeSpan.FromMilliseconds(highestMs) - TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(highestMs));
    }

    [Fact]
    public void Delay_AnyJitter_StaysBetweenMinAndMax()
    {
        var random = new Random(7);
        for (int failures = 0; failures < 70; failures++)
        {
            for (int i = 0; i < 50; i++)
            {
                var delay = ReconnectBackoff.Delay(failures, s_min, s_max, random.NextDouble());
                Assert.InRange(delay, s_min, s_max);
            }
        }
    }

    [Fact]
    public void Delay_SameFailureCount_IsSpreadByJitter()
    {
        var random = new Random(11);
        var delays = Enumerable.Range(0, 100).Select(_ => ReconnectBackoff.Delay(4, s_min, s_max, random.NextDouble())).ToHashSet();

        Assert.True(delays.Count > 50, $"{delays.Count} distinct delays of 100");
    }

    [Fact]
    public void Delay_MinEqualsMax_IsThatValue()
    {
        var one = TimeSpan.FromSeconds(1);

        Assert.Equal(one, ReconnectBackoff.Delay(1, one, one, 0.5));
        Assert.Equal(one, ReconnectBackoff.Delay(9, one, one, 0.9));
    }

    [Fact]
    public void Delay_HugeMinimum_DoesNotOverflow()
    {
        var min = TimeSpan.FromDays(10_000);
        var max = TimeSpan.FromDays(20_000);

        Assert.InRange(ReconnectBackoff.Delay(30, min, max, 0.5), min, max);
    }
}
