namespace Oms.Venue.Tests.Support;

/// <summary>The probe is a test oracle: its encoding is checked against RFC 7541's own examples.</summary>
public sealed class RawHttp2ProbeTests
{
    [Fact]
    public void WriteInteger_1337WithFivePrefixBits_MatchesRfc7541C12()
    {
        var output = new List<byte>();

        RawHttp2Probe.WriteInteger(output, 1337, 5, 0x00);

        Assert.Equal(new byte[] { 0x1f, 0x9a, 0x0a }, output);
    }

    [Fact]
    public void WriteInteger_TenWithFivePrefixBits_MatchesRfc7541C11()
    {
        var output = new List<byte>();

        RawHttp2Probe.WriteInteger(output, 10, 5, 0xE0);

        Assert.Equal(new byte[] { 0xEA }, output);
    }

    [Fact]
    public void EncodeHeaderBlock_PasswordSecret_MatchesRfc7541C23ExceptTheRepresentationByte()
    {
        // C.2.3 is "never indexed" (0x10); the probe sends "without indexing" (0x00) with the same name and value.
        byte[] expected = [0x00, 0x08, 0x70, 0x61, 0x73, 0x73, 0x77, 0x6f, 0x72, 0x64, 0x06, 0x73, 0x65, 0x63, 0x72, 0x65, 0x74];

        var block = RawHttp2Probe.EncodeHeaderBlock([("password", "secret")]);

        Assert.Equal(expected, block);
    }

    [Fact]
    public void Setting_PayloadWithTwoParameters_FindsEachAndMissesOthers()
    {
        byte[] payload = [0x00, 0x03, 0x00, 0x00, 0x00, 0x64, 0x00, 0x04, 0x00, 0x01, 0x00, 0x00];
        var frame = new RawFrame(RawHttp2Probe.Settings, 0, 0, payload);

        Assert.Equal(100u, frame.Setting(3));
        Assert.Equal(65536u, frame.Setting(4));
        Assert.Null(frame.Setting(5));
    }
}
