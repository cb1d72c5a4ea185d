namespace Oms.Engine.Tests.Venues.AscendEx;

public sealed class RateLimitDefaultsTests
{
    [Fact]
    public void Figures_AreTheFactsSheets()
    {
        Assert.Equal(50, RateLimitDefaults.RequestsPerSecondPerEndpoint);
        Assert.Equal(100, RateLimitDefaults.RequestsPerSecondOverall);
    }
}
