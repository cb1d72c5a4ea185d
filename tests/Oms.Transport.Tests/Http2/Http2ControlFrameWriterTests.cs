using static Oms.Transport.Tests.Http2.FrameBytes;
using static Oms.Transport.Tests.Support.TestBytes;

namespace Oms.Transport.Tests.Http2;

/// <summary>The connection's own frames, to the octet: preface, SETTINGS, WINDOW_UPDATE, RST_STREAM, PING and GOAWAY.</summary>
public sealed class Http2ControlFrameWriterTests
{
    [Fact]
    public void ClientPreface_IsTheRfc9113Section34Octets()
    {
        // Arrange: the hex form given in RFC 9113 section 3.4.
        byte[] expected = Convert.FromHexString("505249202a20485454502f322e300d0a0d0a534d0d0a0d0a");

        // Act
        byte[] buffer = Filled(Http2ControlFrameWriter.ClientPrefaceLength + Slack);
        bool written = Http2ControlFrameWriter.TryWriteClientPreface(buffer, out int bytesWritten);

        // Assert
        Assert.True(written);
        Assert.Equal(24, bytesWritten);
        Assert.Equal(expected, Http2ControlFrameWriter.ClientPreface.ToArray());
        AssertWritten(buffer, expected, bytesWritten);
    }

    [Fact]
    public void TryWriteSettings_TwoParameters_WritesExactFrame()
    {
        // Arrange
        byte[] buffer = Filled(9 + 12 + Slack);
        Http2Setting[] settings = [new(Http2SettingsParameter.EnablePush, 0), new(Http2SettingsParameter.InitialWindowSize, 0x0010_0000)];

        // Act
        bool written = Http2ControlFrameWriter.TryWriteSettings(buffer, settings, out int bytesWritten);

        // Assert
        Assert.True(written);
        AssertWritten(buffer, Convert.FromHexString("00000C" + "04" + "00" + "00000000" + "000200000000" + "000400100000"), bytesWritten);
    }

    [Fact]
    public void TryWriteSettings_NoParameters_WritesEmptySettingsFrame()
    {
        // Arrange
        byte[] buffer = Filled(9 + Slack);

        // Act
        Http2ControlFrameWriter.TryWriteSettings(buffer, [], out int bytesWritten);

        // Assert
        AssertWritten(buffer, Convert.FromHexString("000000040000000000"), bytesWritten);
    }

    [Theory]
    [InlineData(Http2SettingsParameter.EnablePush, 2u)]
    [InlineData(Http2SettingsParameter.InitialWindowSize, 0x8000_0000u)]
    [InlineData(Http2SettingsParameter.MaxFrameSize, 16_383u)]
    internal void TryWriteSettings_InvalidValue_ThrowsArgumentException(Http2SettingsParameter parameter, uint value)
    {
        // Arrange
        byte[] buffer = new byte[64];

        // Act + Assert
        Assert.Throws<ArgumentException>(() => Http2ControlFrameWriter.TryWriteSettings(buffer, [new(parameter, value)], out _));
    }

    [Fact]
    public void TryWriteSettingsAck_WritesEmptyFrameWithAckFlag()
    {
        // Arrange
        byte[] buffer = Filled(9 + Slack);

        // Act
        Http2ControlFrameWriter.TryWriteSettingsAck(buffer, out int bytesWritten);

        // Assert
        AssertWritten(buffer, Convert.FromHexString("000000040100000000"), bytesWritten);
    }

    [Fact]
    public void TryWriteWindowUpdate_MaximumIncrement_ClearsReservedBits()
    {
        // Arrange
        byte[] buffer = Filled(13 + Slack);

        // Act
        Http2ControlFrameWriter.TryWriteWindowUpdate(buffer, 7, int.MaxValue, out int bytesWritten);

        // Assert
        AssertWritten(buffer, Convert.FromHexString("000004" + "08" + "00" + "00000007" + "7FFFFFFF"), bytesWritten);
    }

    [Fact]
    public void TryWriteRstStream_WritesExactFrame()
    {
        // Arrange
        byte[] buffer = Filled(13 + Slack);

        // Act
        Http2ControlFrameWriter.TryWriteRstStream(buffer, 9, Http2ErrorCode.Cancel, out int bytesWritten);

        // Assert
        AssertWritten(buffer, Convert.FromHexString("000004" + "03" + "00" + "00000009" + "00000008"), bytesWritten);
    }

    [Fact]
    public void TryWritePing_WritesOpaqueDataBigEndian()
    {
        // Arrange
        byte[] buffer = Filled(17 + Slack);

        // Act
        Http2ControlFrameWriter.TryWritePing(buffer, 0x0102_0304_0506_0708, out int bytesWritten);

        // Assert
        AssertWritten(buffer, Convert.FromHexString("000008" + "06" + "00" + "00000000" + "0102030405060708"), bytesWritten);
    }

    [Fact]
    public void TryWritePingAck_SetsAckFlag()
    {
        // Arrange
        byte[] buffer = Filled(17 + Slack);

        // Act
        Http2ControlFrameWriter.TryWritePingAck(buffer, ulong.MaxValue, out int bytesWritten);

        // Assert
        AssertWritten(buffer, Convert.FromHexString("000008" + "06" + "01" + "00000000" + "FFFFFFFFFFFFFFFF"), bytesWritten);
    }

    [Fact]
    public void TryWriteGoAway_WithDebugData_WritesExactFrame()
    {
        // Arrange
        byte[] buffer = Filled(9 + 8 + 3 + Slack);

        // Act
        Http2ControlFrameWriter.TryWriteGoAway(buffer, int.MaxValue, Http2ErrorCode.EnhanceYourCalm, "bye"u8, out int bytesWritten);

        // Assert
        AssertWritten(buffer, Convert.FromHexString("00000B" + "07" + "00" + "00000000" + "7FFFFFFF" + "0000000B" + "627965"), bytesWritten);
    }

    [Fact]
    public void TryWriteGoAway_NoDebugData_WritesEightOctetPayload()
    {
        // Arrange
        byte[] buffer = Filled(17 + Slack);

        // Act
        Http2ControlFrameWriter.TryWriteGoAway(buffer, 0, Http2ErrorCode.NoError, [], out int bytesWritten);

        // Assert
        AssertWritten(buffer, Convert.FromHexString("000008070000000000" + "00000000" + "00000000"), bytesWritten);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void TryWriteWindowUpdate_IncrementNotPositive_Throws(int increment)
    {
        // Arrange
        byte[] buffer = new byte[64];

        // Act + Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => Http2ControlFrameWriter.TryWriteWindowUpdate(buffer, 0, increment, out _));
    }
}
