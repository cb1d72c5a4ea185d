using System.Runtime.CompilerServices;

namespace Oms.Engine.Tests.Sequencing;

public class RingBufferTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-8)]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(1000)]
    [InlineData((1 << 30) + 1)]
    [InlineData(int.MinValue)]
    public void RingBuffer_CapacityNotPowerOfTwoInRange_Throws(int capacity)
    {
        // Arrange / Act
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new RingBuffer<TestEvent>(capacity));

        // Assert
        Assert.Equal("capacity", exception.ParamName);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(1024)]
    public void RingBuffer_PowerOfTwoCapacity_IsAccepted(int capacity)
    {
        // Arrange / Act
        var ring = new RingBuffer<TestEvent>(capacity);

        // Assert
        Assert.Equal(capacity, ring.Capacity);
    }

    [Fact]
    public void RingBuffer_Indexer_WrapsEveryCapacitySequences()
    {
        // Arrange
        var ring = new RingBuffer<TestEvent>(8);

        // Act
        ring[3].Counter = 33;

        // Assert: sequence 11 and 8 * 1000 + 3 are the same slot as sequence 3, sequence 4 is not.
        Assert.True(Unsafe.AreSame(ref ring[3], ref ring[11]));
        Assert.True(Unsafe.AreSame(ref ring[3], ref ring[(8 * 1000) + 3]));
        Assert.False(Unsafe.AreSame(ref ring[3], ref ring[4]));
        Assert.Equal(33, ring[11].Counter);
    }

    [Fact]
    public void RingBuffer_Slots_AreDistinctAndContiguous()
    {
        // Arrange
        var ring = new RingBuffer<TestEvent>(16);

        // Act
        for (int i = 0; i < 16; i++)
        {
            ring[i].Counter = i;
        }

        // Assert: every slot kept its own value, and slot i + 1 follows slot i in memory.
        for (int i = 0; i < 16; i++)
        {
            Assert.Equal(i, ring[i + 16].Counter);
        }

        for (int i = 0; i < 15; i++)
        {
            Assert.Equal((nint)Unsafe.SizeOf<TestEvent>(), Unsafe.ByteOffset(ref ring[i], ref ring[i + 1]));
        }
    }

    [Fact]
    public void RingBuffer_Indexer_DoesNotAllocate()
    {
        // Arrange
        var ring = new RingBuffer<TestEvent>(64);
        ring[0].Counter = 1;
        long before = GC.GetAllocatedBytesForCurrentThread();

        // Act
        for (long sequence = 0; sequence < 10_000; sequence++)
        {
            ring[sequence].Counter = sequence;
        }

        // Assert
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
