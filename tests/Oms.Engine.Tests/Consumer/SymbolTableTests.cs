namespace Oms.Engine.Tests.Consumer;

public sealed class SymbolTableTests
{
    [Fact]
    public void TryGetOrAdd_SameSymbolTwice_SameIndexAndItsBytes()
    {
        var table = new SymbolTable(8);

        Assert.True(table.TryGetOrAdd("BTC-PERP", out var first));
        Assert.True(table.TryGetOrAdd("ETH-PERP", out var other));
        Assert.True(table.TryGetOrAdd("BTC-PERP", out var again));

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal("BTC-PERP", Encoding.ASCII.GetString(table[first]));
        Assert.Equal("ETH-PERP", Encoding.ASCII.GetString(table[other]));
    }

    [Fact]
    public void TryGetOrAdd_TableFull_RefusedButKnownSymbolsStillFound()
    {
        var table = new SymbolTable(4);
        for (var i = 0; i < 4; i++)
        {
            Assert.True(table.TryGetOrAdd("S" + i.ToString(CultureInfo.InvariantCulture), out _));
        }

        Assert.False(table.TryGetOrAdd("S4", out var refused));
        Assert.Equal(-1, refused);
        Assert.True(table.TryGetOrAdd("S2", out var known));
        Assert.Equal("S2", Encoding.ASCII.GetString(table[known]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(1)]
    public void Constructor_NotAPowerOfTwoOfAtLeastTwo_Throws(int capacity)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SymbolTable(capacity));
    }

    [Fact]
    public void TryGetOrAdd_FourThreadsAddingTheSameSymbols_EveryThreadGetsTheSameIndexPerSymbol()
    {
        var table = new SymbolTable(256);
        var symbols = Enumerable.Range(0, 100).Select(i => "SYM-" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var seen = new ConcurrentDictionary<string, ConcurrentBag<int>>(StringComparer.Ordinal);

        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            for (var n = 0; n < symbols.Length; n++)
            {
                var symbol = symbols[(n * (t + 1) * 7) % symbols.Length];
                Assert.True(table.TryGetOrAdd(symbol, out var index));
                seen.GetOrAdd(symbol, _ => []).Add(index);
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        Assert.All(threads, t => Assert.True(t.Join(TimeSpan.FromSeconds(30))));

        Assert.All(seen, pair => Assert.Single(pair.Value.Distinct()));
        Assert.Equal(seen.Count, seen.Values.Select(v => v.First()).Distinct().Count());
        Assert.All(seen, pair => Assert.Equal(pair.Key, Encoding.ASCII.GetString(table[pair.Value.First()])));
    }
}
