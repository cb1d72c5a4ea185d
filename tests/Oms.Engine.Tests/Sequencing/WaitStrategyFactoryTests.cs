using Oms.Transport.Connections;

namespace Oms.Engine.Tests.Sequencing;

public class WaitStrategyFactoryTests
{
    [Theory]
    [InlineData("busy-spin", WaitStrategyKind.BusySpin)]
    [InlineData("yielding", WaitStrategyKind.Yielding)]
    [InlineData("sleeping", WaitStrategyKind.Sleeping)]
    [InlineData("blocking", WaitStrategyKind.Blocking)]
    [InlineData("spin-then-park", WaitStrategyKind.SpinThenPark)]
    [InlineData("  Blocking ", WaitStrategyKind.Blocking)]
    [InlineData("BUSY-SPIN", WaitStrategyKind.BusySpin)]
    public void TryParse_SettingName_ReturnsKind(string name, WaitStrategyKind expected)
    {
        // Arrange / Act
        bool parsed = WaitStrategyFactory.TryParse(name, out WaitStrategyKind kind);

        // Assert
        Assert.True(parsed);
        Assert.Equal(expected, kind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("busyspin")]
    [InlineData("BusySpin")]
    [InlineData("spin")]
    [InlineData("0")]
    [InlineData("yielding,blocking")]
    public void TryParse_UnknownName_ReturnsFalse(string? name)
    {
        // Arrange / Act
        bool parsed = WaitStrategyFactory.TryParse(name, out _);

        // Assert
        Assert.False(parsed);
    }

    [Fact]
    public void Parse_UnknownName_ThrowsFormatExceptionListingValidNames()
    {
        // Arrange / Act
        var exception = Assert.Throws<FormatException>(() => WaitStrategyFactory.Parse("turbo"));

        // Assert
        Assert.Contains("turbo", exception.Message, StringComparison.Ordinal);
        Assert.Contains("spin-then-park, busy-spin, yielding, sleeping, blocking", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetName_EveryKind_RoundTripsThroughParse()
    {
        // Arrange
        WaitStrategyKind[] kinds = Enum.GetValues<WaitStrategyKind>();

        // Act
        WaitStrategyKind[] roundTripped = [.. kinds.Select(k => WaitStrategyFactory.Parse(WaitStrategyFactory.GetName(k)))];

        // Assert
        Assert.Equal(kinds, roundTripped);
    }

    [Theory]
    [InlineData(WaitStrategyKind.BusySpin, typeof(BusySpinWaitStrategy))]
    [InlineData(WaitStrategyKind.Yielding, typeof(YieldingWaitStrategy))]
    [InlineData(WaitStrategyKind.Sleeping, typeof(SleepingWaitStrategy))]
    [InlineData(WaitStrategyKind.Blocking, typeof(BlockingWaitStrategy))]
    [InlineData(WaitStrategyKind.SpinThenPark, typeof(SpinThenParkWaitStrategy))]
    public void Create_Kind_VisitsWithThatStrategyType(WaitStrategyKind kind, Type expected)
    {
        // Arrange / Act
        Type visited = WaitStrategyFactory.Create(kind, new TypeRecorder());

        // Assert
        Assert.Equal(expected, visited);
    }

    [Fact]
    public void Create_Blocking_GivesAUsableStrategy()
    {
        // Arrange / Act: a default(BlockingWaitStrategy) has no parking place and would throw here.
        long result = WaitStrategyFactory.Create(WaitStrategyKind.Blocking, new TimeoutProbe());

        // Assert
        Assert.Equal(WaitResult.TimedOut, result);
    }

    [SocketPollerTheory]
    [InlineData(WaitStrategyKind.Blocking, 1)]
    [InlineData(WaitStrategyKind.SpinThenPark, 1)]
    [InlineData(WaitStrategyKind.BusySpin, 0)]
    [InlineData(WaitStrategyKind.Yielding, 0)]
    [InlineData(WaitStrategyKind.Sleeping, 0)]
    public void Create_WithAPoller_OnlyTheParkingKindsSleepInIt(WaitStrategyKind kind, long wakeUpsRead)
    {
        // Arrange: a wake-up is pending, so a strategy that sleeps in the poller reads it as its sleep begins.
        using var poller = new SocketPoller();
        poller.Wake();

        // Act
        long result = WaitStrategyFactory.Create(kind, TimeSpan.Zero, poller, new TimeoutProbe(TimeSpan.FromMilliseconds(50)));

        // Assert
        Assert.Equal(WaitResult.TimedOut, result);
        Assert.Equal(wakeUpsRead, poller.WakeUps);
    }

    [Fact]
    public void Create_UndefinedKind_Throws()
    {
        // Arrange / Act / Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => WaitStrategyFactory.Create((WaitStrategyKind)42, new TypeRecorder()));
        Assert.Throws<ArgumentOutOfRangeException>(() => WaitStrategyFactory.GetName((WaitStrategyKind)42));
    }

    private sealed class TypeRecorder : IWaitStrategyVisitor<Type>
    {
        public Type Visit<TWait>(TWait waitStrategy)
            where TWait : struct, IWaitStrategy => typeof(TWait);
    }

    private sealed class TimeoutProbe(TimeSpan wait) : IWaitStrategyVisitor<long>
    {
        public TimeoutProbe()
            : this(TimeSpan.FromMilliseconds(1))
        {
        }

        public long Visit<TWait>(TWait waitStrategy)
            where TWait : struct, IWaitStrategy
        {
            var sequencer = new MultiProducerSequencer<TWait>(8, waitStrategy);
            return sequencer.WaitStrategy.WaitFor(0, sequencer.NewBarrier(), wait);
        }
    }
}
