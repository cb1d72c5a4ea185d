using Oms.Venue.Handling;

namespace Oms.Venue.Tests.Handling;

public sealed class SignatureVerifierTests
{
    private const string FactsSheetSecret = "hV8FgjyJtpvVeAcMAgzgAFQCN36wmbWuN7o3WPcYcYhFd8qvE43gzFGVsFcCqMNk";

    [Theory]
    [InlineData("1608133910000", "info", "/pwaAgWZQ1Xd/J4yZ4ReHSPQxd3ORP/YR8TvAttqqYM=")]
    [InlineData("1562952827927", "user/info", "vBZf8OQuiTJIVbNpNHGY3zcUsK5gJpwb5lgCgarpxYI=")]
    [InlineData("1573596082932", "order", "8Rgt7WipYL7Jaf6wnzp0gmwJhxQsiBA/8mi1XI7jjX4=")]
    [InlineData("1573596082932", "v2/futures/order", "RWtLBjEIHaw8ZM6UFC6WLedwVZS2hFp2wujOoeqfmx4=")]
    public void Sign_FactsSheetVector_MatchesPublishedSignature(string timestamp, string prehash, string expected)
    {
        var verifier = new SignatureVerifier(FactsSheetSecret, prehash);

        Assert.Equal(expected, verifier.Sign(timestamp));
        Assert.True(verifier.Verify(timestamp, expected));
    }

    [Theory]
    [InlineData("8Rgt7WipYL7Jaf6wnzp0gmwJhxQsiBA/8mi1XI7jjX4")]
    [InlineData("9Rgt7WipYL7Jaf6wnzp0gmwJhxQsiBA/8mi1XI7jjX4=")]
    [InlineData("")]
    [InlineData("not base64 at all")]
    [InlineData("RWtLBjEIHaw8ZM6UFC6WLedwVZS2hFp2wujOoeqfmx4=")]
    public void Verify_WrongOrMalformedSignature_IsFalse(string signature)
    {
        var verifier = new SignatureVerifier(FactsSheetSecret, "order");

        Assert.False(verifier.Verify("1573596082932", signature));
    }

    [Fact]
    public void Verify_SameSignatureWithAnotherTimestamp_IsFalse()
    {
        var verifier = new SignatureVerifier(FactsSheetSecret, "order");
        Assert.True(verifier.Verify("1573596082932", "8Rgt7WipYL7Jaf6wnzp0gmwJhxQsiBA/8mi1XI7jjX4="));

        Assert.False(verifier.Verify("1573596082933", "8Rgt7WipYL7Jaf6wnzp0gmwJhxQsiBA/8mi1XI7jjX4="));
    }
}
