namespace Oms.Venue.Tests.Book;

public sealed class OrderIdFactoryTests
{
    [Fact]
    public void Next_Always_HasTheExchangeShape()
    {
        var factory = new OrderIdFactory("U0123456789");
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var id = factory.Next();

        Assert.Equal(32, id.Length);
        Assert.Equal('a', id[0]);
        var placedAt = long.Parse(id.AsSpan(1, 11), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        Assert.InRange(placedAt, before - 61_000, before + 1_000);
        Assert.Equal("U0123456789", id.Substring(12, 11));
        Assert.All(id[23..], c => Assert.True(char.IsAsciiLetterOrDigit(c)));
    }

    [Fact]
    public void Next_ManyTimes_GivesDistinctIds()
    {
        var factory = new OrderIdFactory();

        var ids = Enumerable.Range(0, 10_000).Select(_ => factory.Next()).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(10_000, ids.Count);
    }

    [Theory]
    [InlineData("U123")]
    [InlineData("X0123456789")]
    [InlineData("U012345678a")]
    public void Constructor_MalformedUid_Throws(string uid)
    {
        Assert.Throws<ArgumentException>(() => new OrderIdFactory(uid));
    }
}
