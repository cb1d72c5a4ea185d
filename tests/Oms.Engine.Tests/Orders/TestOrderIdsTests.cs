namespace Oms.Engine.Tests.Orders;

public class TestOrderIdsTests
{
    [Fact]
    public void Text_AnyNumber_Is32CharactersOfTheExchangeShape()
    {
        // Arrange / Act
        string id = TestOrderIds.Text(123);

        // Assert
        Assert.Equal(32, id.Length);
        Assert.Equal('a', id[0]);
        Assert.Equal('U', id[12]);
        Assert.EndsWith("000000123", id, StringComparison.Ordinal);
        Assert.All(id, c => Assert.True(char.IsAsciiLetterOrDigit(c)));
    }

    [Fact]
    public void OlderText_AnyNumber_Is31Characters()
    {
        // Arrange / Act
        string id = TestOrderIds.OlderText(7);

        // Assert
        Assert.Equal(31, id.Length);
        Assert.Equal('U', id[11]);
    }

    [Fact]
    public void Text_DistinctNumbers_GiveDistinctIds()
    {
        // Arrange / Act
        var ids = new HashSet<string>(Enumerable.Range(0, 10_000).Select(TestOrderIds.Text), StringComparer.Ordinal);

        // Assert
        Assert.Equal(10_000, ids.Count);
    }
}
