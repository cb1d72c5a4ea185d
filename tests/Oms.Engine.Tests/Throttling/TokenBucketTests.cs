using Oms.Engine.Throttling;

namespace Oms.Engine.Tests.Throttling;

public class TokenBucketTests
{
    [Theory]
    [InlineData(-1, 1000, 1, "tokensPerPeriod")]
    [InlineData(10, 0, 1, "periodTicks")]
    [InlineData(10, -5, 1, "periodTicks")]
    [InlineData(10, 1000, 0, "burst")]
    [InlineData(10, 1000, -1, "burst")]
    [InlineData(10, long.MaxValue, 2, "burst")]
    [InlineData(long.MaxValue, 1000, 1, "tokensPerPeriod")]
    public void Constructor_OutOfRange_Throws(long tokens, long period, long burst, string paramName)
    {
        // Arrange / Act
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBucket(tokens, period, burst));

        // Assert
        Assert.Equal(paramName, exception.ParamName);
    }

    [Fact]
    public void TryTake_FullBucket_AllowsTheBurstThenRefuses()
    {
        // Arrange: 10 tokens per 1000 ticks (one per 100), burst 5.
        var bucket = new TokenBucket(10, 1_000, 5);

        // Act
        bool[] taken = [.. Enumerable.Range(0, 6).Select(_ => bucket.TryTake(0))];

        // Assert
        Assert.Equal([true, true, true, true, true, false], taken);
        Assert.Equal(0, bucket.AvailableTokens(0));
    }

    [Fact]
    public void TryTake_AfterTheBurst_RefillsAtTheRate()
    {
        // Arrange
        var bucket = new TokenBucket(10, 1_000, 5);
        Drain(bucket, 0);

        // Act / Assert: one token every 100 ticks, never sooner.
        Assert.False(bucket.TryTake(99));
        Assert.True(bucket.TryTake(100));
        Assert.False(bucket.TryTake(100));
        Assert.False(bucket.TryTake(199));
        Assert.True(bucket.TryTake(200));
        Assert.Equal(2, bucket.AvailableTokens(400));
    }

    [Fact]
    public void TryTake_FractionalRate_AccumulatesExactlyWithoutDrift()
    {
        // Arrange: 3 tokens per 1000 ticks, a token every 333⅓ ticks; a burst of 5, drained, so the cap stays out
        // of the way.
        var bucket = new TokenBucket(3, 1_000, 5);
        Drain(bucket, 0);

        // Act / Assert: refills complete at 333⅓, 666⅔ and 1000, so on ticks 334, 667 and 1000; the fraction
        // left over after each take carries into the next one.
        Assert.False(bucket.TryTake(333));
        Assert.True(bucket.TryTake(334));
        Assert.False(bucket.TryTake(666));
        Assert.True(bucket.TryTake(667));
        Assert.False(bucket.TryTake(999));
        Assert.True(bucket.TryTake(1_000));
        Assert.False(bucket.TryTake(1_000));
    }

    [Fact]
    public void TryTake_FullBucket_DiscardsRefillBeyondTheBurst()
    {
        // Arrange: burst 1; the token taken at 0 is back at 333⅓, and the bucket cannot hold more than one.
        var bucket = new TokenBucket(3, 1_000, 1);
        Assert.True(bucket.TryTake(0));

        // Act / Assert: taken two-thirds of a tick late, the next token is due at 667⅓, not 666⅔.
        Assert.True(bucket.TryTake(334));
        Assert.False(bucket.TryTake(667));
        Assert.True(bucket.TryTake(668));
    }

    [Fact]
    public void TryTake_GreedyOverAMillionTicks_TakesExactlyBurstPlusRateTimesTime()
    {
        // Arrange
        var bucket = new TokenBucket(3, 1_000, 2);
        long taken = 0;

        // Act
        for (long now = 0; now <= 1_000_000; now++)
        {
            while (bucket.TryTake(now))
            {
                taken++;
            }
        }

        // Assert: 2 at once, then 3 per 1000 ticks for 1,000,000 ticks, with no rounding loss.
        Assert.Equal(2 + 3_000, taken);
    }

    [Fact]
    public void TicksUntilAvailable_EmptyBucket_IsExactlyTheWaitUntilTheNextTake()
    {
        // Arrange
        var bucket = new TokenBucket(3, 1_000, 1);
        long now = 0;

        // Act / Assert: over many refills, waiting the reported time always suffices and one tick less never does.
        for (int i = 0; i < 100; i++)
        {
            while (bucket.TryTake(now))
            {
            }

            long wait = bucket.TicksUntilAvailable(now);
            Assert.InRange(wait, 1, 334);
            Assert.False(bucket.TryTake(now + wait - 1));
            now += wait;
            Assert.Equal(0, bucket.TicksUntilAvailable(now));
            Assert.True(bucket.TryTake(now));
        }
    }

    [Fact]
    public void TicksUntilAvailable_TokenAvailable_IsZeroAndTakesNothing()
    {
        // Arrange
        var bucket = new TokenBucket(10, 1_000, 2);

        // Act
        long wait = bucket.TicksUntilAvailable(0);

        // Assert
        Assert.Equal(0, wait);
        Assert.Equal(2, bucket.AvailableTokens(0));
    }

    [Fact]
    public void TryTake_ZeroRate_IsUnlimited()
    {
        // Arrange
        var bucket = new TokenBucket(0, 1_000, 1);

        // Act
        bool allTaken = Enumerable.Range(0, 100_000).All(_ => bucket.TryTake(5));

        // Assert
        Assert.True(bucket.IsUnlimited);
        Assert.True(allTaken);
        Assert.Equal(0, bucket.TicksUntilAvailable(5));
    }

    [Theory]
    [InlineData(1_000_000L)]
    [InlineData(long.MaxValue / 2)]
    [InlineData(long.MaxValue)]
    public void TryTake_AfterALongIdle_HoldsNoMoreThanTheBurst(long idleUntil)
    {
        // Arrange
        var bucket = new TokenBucket(10, 1_000, 5);
        Drain(bucket, 0);

        // Act
        long available = bucket.AvailableTokens(idleUntil);
        int taken = 0;
        while (bucket.TryTake(idleUntil))
        {
            taken++;
        }

        // Assert
        Assert.Equal(5, available);
        Assert.Equal(5, taken);
    }

    [Fact]
    public void TryTake_TimeGoingBackwards_AddsNothingAndWaitsFromTheLatestTime()
    {
        // Arrange
        var bucket = new TokenBucket(10, 1_000, 1);
        Assert.True(bucket.TryTake(1_000));

        // Act
        bool earlier = bucket.TryTake(500);
        long wait = bucket.TicksUntilAvailable(500);

        // Assert: the token refills at 1100, 600 ticks after 500.
        Assert.False(earlier);
        Assert.Equal(600, wait);
        Assert.False(bucket.TryTake(1_099));
        Assert.True(bucket.TryTake(1_100));
    }

    [Fact]
    public void PerMinute_WebSocketCancelLimit_AllowsExactlyTheLimitPerMinutePlusBurst()
    {
        // Arrange
        var bucket = TokenBucket.PerMinute(8_000, 10);
        long minute = Stopwatch.Frequency * 60;
        long step = minute / 100_000;
        long taken = 0;

        // Act
        for (long now = 0; now <= minute; now += step)
        {
            while (bucket.TryTake(now))
            {
                taken++;
            }
        }

        // Assert: the burst of 10 plus 8000 refills over the minute.
        Assert.Equal(10 + 8_000, taken);
    }

    [Fact]
    public void CreatePerEndpointDefault_UsesTheVenuesPerEndpointFigures()
    {
        // Arrange / Act
        TokenBucket bucket = TokenBucket.CreatePerEndpointDefault();

        // Assert: the figures themselves are checked in RateLimitDefaultsTests.
        Assert.Equal(RateLimitDefaults.RequestsPerSecondPerEndpoint, bucket.TokensPerPeriod);
        Assert.Equal(Stopwatch.Frequency, bucket.PeriodTicks);
        Assert.Equal(RateLimitDefaults.BurstPerEndpoint, bucket.Burst);
        Assert.False(bucket.IsUnlimited);
    }

    [Fact]
    public void TryTakeAndTicksUntilAvailable_AfterWarmUp_DoNotAllocate()
    {
        // Arrange
        var bucket = new TokenBucket(7, 1_000, 3);
        long now = 0;
        bucket.TryTake(now);
        bucket.TicksUntilAvailable(now);

        // Act
        long allocated = AllocationMeter.LeastAllocatedBytes(() =>
        {
            for (int i = 0; i < 100_000; i++, now++)
            {
                bucket.TryTake(now);
                bucket.TicksUntilAvailable(now);
            }
        });

        // Assert
        Assert.Equal(0, allocated);
    }

    private static void Drain(TokenBucket bucket, long now)
    {
        while (bucket.TryTake(now))
        {
        }
    }
}
