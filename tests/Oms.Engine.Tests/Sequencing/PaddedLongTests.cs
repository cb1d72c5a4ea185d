using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Oms.Engine.Tests.Sequencing;

public class PaddedLongTests
{
    [Fact]
    public void CacheLine_PaddingSize_CoversAnAdjacentLinePair()
    {
        // Arrange / Act
        const int padding = CacheLine.PaddingSize;

        // Assert: two 64-byte lines, the unit the x86 adjacent-line prefetcher moves.
        Assert.Equal(128, padding);
    }

    [Fact]
    public void PaddedLong_Layout_IsTwoPaddingsLongWithValueAtPaddingOffset()
    {
        // Arrange / Act
        int managedSize = Unsafe.SizeOf<PaddedLong>();
        int marshalledSize = Marshal.SizeOf<PaddedLong>();
        long valueOffset = Marshal.OffsetOf<PaddedLong>("_value").ToInt64();

        // Assert
        Assert.Equal(2 * CacheLine.PaddingSize, managedSize);
        Assert.Equal(2 * CacheLine.PaddingSize, marshalledSize);
        Assert.Equal(CacheLine.PaddingSize, valueOffset);
    }

    [Fact]
    public void PaddedLong_WriteRelease_StoresOnlyTheEightBytesAtPaddingOffset()
    {
        // Arrange: reads the managed layout directly, which is what the CPU sees.
        PaddedLong cell = default;
        const long pattern = unchecked((long)0xA1B2C3D4E5F60718UL);

        // Act
        cell.WriteRelease(pattern);

        // Assert
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<PaddedLong>(in cell));
        Assert.Equal(pattern, BitConverter.ToInt64(bytes.Slice(CacheLine.PaddingSize, sizeof(long))));
        Assert.True(bytes[..CacheLine.PaddingSize].IndexOfAnyExcept((byte)0) < 0, "padding before the value was written");
        Assert.True(bytes[(CacheLine.PaddingSize + sizeof(long))..].IndexOfAnyExcept((byte)0) < 0, "padding after the value was written");
    }

    [Fact]
    public void PaddedLong_CompareExchange_ReplacesOnlyWhenComparandMatches()
    {
        // Arrange
        PaddedLong cell = default;
        cell.WriteRelease(5);

        // Act
        long failedWitness = cell.CompareExchange(9, comparand: 4);
        long afterFailure = cell.ReadAcquire();
        long succeededWitness = cell.CompareExchange(9, comparand: 5);
        long afterSuccess = cell.ReadAcquire();

        // Assert
        Assert.Equal(5, failedWitness);
        Assert.Equal(5, afterFailure);
        Assert.Equal(5, succeededWitness);
        Assert.Equal(9, afterSuccess);
    }
}
