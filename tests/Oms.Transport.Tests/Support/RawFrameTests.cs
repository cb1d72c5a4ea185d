namespace Oms.Transport.Tests.Support;

public sealed class RawFrameTests
{
    [Fact]
    public void Build_PublishedHeadersVector_MatchesWireBytes()
    {
        // Arrange: the "normal headers frame including priority" case of the http2-frame-test-case corpus:
        // HEADERS, flags PRIORITY|PADDED|END_HEADERS, stream 3, pad 16, exclusive dependency on 20, weight 10.
        byte[] expected = Convert.FromHexString(
            "000023012C00000003108000001409746869732069732064756D6D79546869732069732070616464696E672E");
        byte[] payload = [0x10, .. RawFrame.U32(0x8000_0014), 0x09, .. "this is dummy"u8, .. "This is padding."u8];

        // Act
        byte[] frame = RawFrame.Build(0x01, 0x2C, 3, payload);

        // Assert
        Assert.Equal(expected, frame);
    }

    [Fact]
    public void BuildWithLength_LengthDiffersFromPayload_WritesGivenLengthAndReservedBit()
    {
        // Act
        byte[] frame = RawFrame.BuildWithLength(0x01_0203, 0x08, 0x00, 0x8000_0005, [0xAA]);

        // Assert
        Assert.Equal(Convert.FromHexString("010203080080000005AA"), frame);
    }

    [Fact]
    public void Setting_WritesIdentifierThenValueBigEndian()
    {
        // Act
        byte[] bytes = RawFrame.Setting(0x0004, 0x0001_0000);

        // Assert
        Assert.Equal(Convert.FromHexString("000400010000"), bytes);
    }
}
