using static Oms.Transport.Tests.Support.TestBytes;

namespace Oms.Transport.Tests.HPack;

/// <summary>The encoder's table size: updates owed and written at the next block (RFC 7541 sections 4.2, 6.3).</summary>
public sealed class HPackEncoderTableSizeTests
{
    [Fact]
    public void SetMaxTableSize_Smaller_UpdateOwedAtNextBlockAndFieldsRefusedUntilThen()
    {
        // Arrange
        var encoder = new HPackEncoder();
        byte[] buffer = Filled(16);
        encoder.TryEncodeHeader("abc"u8, "x"u8, HPackIndexing.Incremental, false, buffer, out _);

        // Act
        encoder.SetMaxTableSize(256);
        bool pending = encoder.IsSizeUpdatePending;
        Assert.Throws<InvalidOperationException>(
            () => encoder.TryEncodeHeader(":method"u8, "GET"u8, HPackIndexing.Incremental, false, buffer, out _));
        bool begun = encoder.TryBeginHeaderBlock(buffer, out int length);

        // Assert
        Assert.True(pending);
        Assert.True(begun);
        Assert.Equal("3fe101", HPackTestHex.Format(buffer.AsSpan(0, length))); // 256 = 31 + 225
        Assert.False(encoder.IsSizeUpdatePending);
        Assert.Equal(256, encoder.MaxTableSize);
        Assert.Equal(1, encoder.DynamicTableCount);
    }

    [Fact]
    public void SetMaxTableSize_DownThenUp_WritesSmallestThenFinalAndEvicts()
    {
        // Arrange
        var encoder = new HPackEncoder();
        byte[] buffer = new byte[16];
        encoder.TryEncodeHeader("abc"u8, "x"u8, HPackIndexing.Incremental, false, buffer, out _);

        // Act
        encoder.SetMaxTableSize(0);
        encoder.SetMaxTableSize(100);
        encoder.SetMaxTableSize(4096);
        encoder.TryBeginHeaderBlock(buffer, out int length);

        // Assert
        Assert.Equal("203fe11f", HPackTestHex.Format(buffer.AsSpan(0, length)));
        Assert.Equal(0, encoder.DynamicTableCount);
        Assert.Equal(4096, encoder.MaxTableSize);
    }

    [Fact]
    public void SetMaxTableSize_AboveCap_ClampedAndNothingOwed()
    {
        // Arrange
        var encoder = new HPackEncoder(4096);

        // Act
        encoder.SetMaxTableSize(65_536);
        bool begun = encoder.TryBeginHeaderBlock([], out int length);

        // Assert
        Assert.Equal(4096, encoder.MaxTableSize);
        Assert.Equal(4096, encoder.MaxTableSizeCap);
        Assert.False(encoder.IsSizeUpdatePending);
        Assert.True(begun);
        Assert.Equal(0, length);
    }

    [Fact]
    public void TryBeginHeaderBlock_DestinationTooShort_ReturnsFalseAndUpdateStaysOwed()
    {
        // Arrange
        var encoder = new HPackEncoder();
        encoder.SetMaxTableSize(0);
        encoder.SetMaxTableSize(300);

        // Act
        bool empty = encoder.TryBeginHeaderBlock([], out int emptyLength);
        bool cut = encoder.TryBeginHeaderBlock(new byte[2], out int cutLength);
        bool whole = encoder.TryBeginHeaderBlock(new byte[4], out int wholeLength);

        // Assert
        Assert.False(empty);
        Assert.False(cut);
        Assert.Equal(0, emptyLength + cutLength);
        Assert.True(whole);
        Assert.Equal(4, wholeLength); // 20, then 3f 8d 02 for 300
    }

    [Fact]
    public void TryWriteDynamicTableSizeUpdate_Values_WritePattern001()
    {
        // Arrange
        byte[] buffer = Filled(8);

        // Act
        HPackEncoder.TryWriteDynamicTableSizeUpdate(0, buffer, out int zero);
        string zeroHex = HPackTestHex.Format(buffer.AsSpan(0, zero));
        HPackEncoder.TryWriteDynamicTableSizeUpdate(4096, buffer, out int large);

        // Assert
        Assert.Equal("20", zeroHex);
        Assert.Equal("3fe11f", HPackTestHex.Format(buffer.AsSpan(0, large)));
    }
}
