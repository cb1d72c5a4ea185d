using System.Buffers.Binary;

namespace Oms.Engine.Tests.Venues.AscendEx;

public sealed class RequestIdGeneratorTests
{
    private static readonly byte[] s_prefix = "AbCdEfGhIjKlMnOpQrStU"u8.ToArray();

    [Fact]
    public void TryWriteNext_FreshGenerator_Writes32LettersAndDigitsAndAdvances()
    {
        var generator = new RequestIdGenerator();
        byte[] destination = new byte[40];
        destination.AsSpan().Fill(0xFF);

        bool first = generator.TryWriteNext(destination, out long firstSequence);
        string id = Encoding.ASCII.GetString(destination, 0, RequestIdGenerator.Length);
        bool second = generator.TryWriteNext(destination, out long secondSequence);

        Assert.True(first);
        Assert.True(second);
        Assert.Equal(0, firstSequence);
        Assert.Equal(1, secondSequence);
        Assert.Equal(2, generator.NextSequence);
        Assert.Equal(32, id.Length);
        Assert.All(id, c => Assert.True(char.IsAsciiLetterOrDigit(c), $"'{c}' is not an ASCII letter or digit"));
        Assert.All(destination[RequestIdGenerator.Length..], b => Assert.Equal(0xFF, b));
        Assert.StartsWith(Encoding.ASCII.GetString(generator.Prefix), id, StringComparison.Ordinal);
    }

    [Fact]
    public void TryWriteNext_OneMillionIds_AreAllDistinct()
    {
        const int count = 1_000_000;
        var generator = new RequestIdGenerator();
        var seen = new HashSet<(UInt128, UInt128)>(count);
        Span<byte> id = stackalloc byte[RequestIdGenerator.Length];

        for (int i = 0; i < count; i++)
        {
            generator.TryWriteNext(id, out _);
            seen.Add((BinaryPrimitives.ReadUInt128LittleEndian(id), BinaryPrimitives.ReadUInt128LittleEndian(id[16..])));
        }

        Assert.Equal(count, seen.Count);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(61L)]
    [InlineData(62L)]
    [InlineData(3843L)]
    [InlineData(1_000_000_007L)]
    [InlineData(long.MaxValue - 1)]
    [InlineData(long.MaxValue)]
    public void TryParseSequence_OwnId_RoundTrips(long sequence)
    {
        var generator = new RequestIdGenerator();
        byte[] id = new byte[RequestIdGenerator.Length];
        generator.TryWrite(sequence, id, out _);

        bool parsed = generator.TryParseSequence(id, out long recovered);

        Assert.True(parsed);
        Assert.Equal(sequence, recovered);
    }

    [Fact]
    public void TryParseSequence_ManyWrittenIds_RoundTrip()
    {
        var generator = new RequestIdGenerator();
        var random = new Random(1234);
        byte[] id = new byte[RequestIdGenerator.Length];

        for (int i = 0; i < 10_000; i++)
        {
            long sequence = random.NextInt64(0, long.MaxValue);
            generator.TryWrite(sequence, id, out _);

            Assert.True(generator.TryParseSequence(id, out long recovered));
            Assert.Equal(sequence, recovered);
        }
    }

    [Fact]
    public void TryWrite_KnownPrefixAndSequence_WritesBase62Digits()
    {
        var generator = new RequestIdGenerator(s_prefix);
        byte[] id = new byte[RequestIdGenerator.Length];

        generator.TryWrite(62 * 62 + 61, id, out int written);

        Assert.Equal(RequestIdGenerator.Length, written);
        Assert.Equal("AbCdEfGhIjKlMnOpQrStU" + "0000000010z", Encoding.ASCII.GetString(id));
    }

    [Fact]
    public void TryWrite_IncreasingSequences_SortLikeTheirNumbers()
    {
        var generator = new RequestIdGenerator(s_prefix);
        long[] sequences = [0, 9, 10, 35, 36, 61, 62, 1000, 123_456_789, long.MaxValue];

        string[] ids = sequences.Select(s =>
        {
            byte[] id = new byte[RequestIdGenerator.Length];
            generator.TryWrite(s, id, out _);
            return Encoding.ASCII.GetString(id);
        }).ToArray();

        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
    }

    [Fact]
    public void TryParseSequence_OtherGeneratorsId_IsRejected()
    {
        var ours = new RequestIdGenerator();
        var theirs = new RequestIdGenerator();
        byte[] id = new byte[RequestIdGenerator.Length];
        theirs.TryWrite(7, id, out _);

        bool parsed = ours.TryParseSequence(id, out long sequence);

        Assert.False(parsed);
        Assert.Equal(-1, sequence);
    }

    [Fact]
    public void TryParseSequence_PrefixDiffersInLastCharacter_IsRejected()
    {
        var generator = new RequestIdGenerator(s_prefix);
        byte[] id = new byte[RequestIdGenerator.Length];
        generator.TryWrite(7, id, out _);
        id[RequestIdGenerator.PrefixLength - 1] = (byte)'V';

        Assert.False(generator.TryParseSequence(id, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("AbCdEfGhIjKlMnOpQrStU0000000001")]
    [InlineData("AbCdEfGhIjKlMnOpQrStU000000000001")]
    [InlineData("AbCdEfGhIjKlMnOpQrStU000000000-1")]
    [InlineData("AbCdEfGhIjKlMnOpQrStU00000000 01")]
    [InlineData("AbCdEfGhIjKlMnOpQrStUzzzzzzzzzzz")]
    [InlineData("AbCdEfGhIjKlMnOpQrStUAzL8n0Y58m8")]
    public void TryParseSequence_MalformedOrOverflowingId_IsRejected(string echoed)
    {
        var generator = new RequestIdGenerator(s_prefix);

        Assert.False(generator.TryParseSequence(Encoding.ASCII.GetBytes(echoed), out long sequence));
        Assert.Equal(-1, sequence);
    }

    [Fact]
    public void TryParseSequence_LargestEncodableSequence_IsAccepted()
    {
        var generator = new RequestIdGenerator(s_prefix);

        // long.MaxValue is AzL8n0Y58m7 in base 62; one more (…m8) overflows and is refused by the theory above.
        Assert.True(generator.TryParseSequence("AbCdEfGhIjKlMnOpQrStUAzL8n0Y58m7"u8, out long sequence));
        Assert.Equal(long.MaxValue, sequence);
    }

    [Fact]
    public void Constructor_Default_DrawsDifferentAlphanumericPrefixes()
    {
        var prefixes = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < 1_000; i++)
        {
            string prefix = Encoding.ASCII.GetString(new RequestIdGenerator().Prefix);
            Assert.Equal(RequestIdGenerator.PrefixLength, prefix.Length);
            Assert.All(prefix, c => Assert.True(char.IsAsciiLetterOrDigit(c)));
            prefixes.Add(prefix);
        }

        Assert.Equal(1_000, prefixes.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("AbCdEfGhIjKlMnOpQrSt")]
    [InlineData("AbCdEfGhIjKlMnOpQrStUV")]
    [InlineData("AbCdEfGhIjKlMnOpQrSt_")]
    public void Constructor_BadPrefix_Throws(string prefix)
    {
        Assert.Throws<ArgumentException>(() => new RequestIdGenerator(Encoding.ASCII.GetBytes(prefix)));
    }

    [Fact]
    public void TryWrite_DestinationTooSmall_ReturnsFalseAndNextDoesNotAdvance()
    {
        var generator = new RequestIdGenerator();
        byte[] small = new byte[RequestIdGenerator.Length - 1];

        bool written = generator.TryWrite(1, small, out int bytesWritten);
        bool next = generator.TryWriteNext(small, out long sequence);

        Assert.False(written);
        Assert.Equal(0, bytesWritten);
        Assert.False(next);
        Assert.Equal(-1, sequence);
        Assert.Equal(0, generator.NextSequence);
    }

    [Fact]
    public void TryWrite_NegativeSequence_Throws()
    {
        var generator = new RequestIdGenerator();

        Assert.Throws<ArgumentOutOfRangeException>(() => generator.TryWrite(-1, new byte[RequestIdGenerator.Length], out _));
    }

    [Fact]
    public void WriteAndParse_SteadyState_AllocatesNothing()
    {
        var generator = new RequestIdGenerator();
        byte[] id = new byte[RequestIdGenerator.Length];
        long total = 0;
        for (int i = 0; i < 100; i++)
        {
            generator.TryWriteNext(id, out _);
            generator.TryParseSequence(id, out long parsed);
            total += parsed;
        }

        long allocated = AllocationMeter.LeastAllocatedBytes(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                generator.TryWriteNext(id, out _);
                generator.TryParseSequence(id, out long parsed);
                total += parsed;
            }
        });

        // Every id parses back to its own sequence: the sum of 0 .. n-1 over all the ids written.
        long written = generator.NextSequence;
        Assert.Equal(0, allocated);
        Assert.Equal(written * (written - 1) / 2, total);
        Assert.True(written >= 10_100);
    }
}
