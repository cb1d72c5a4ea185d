namespace Oms.Engine.Tests.Venues.AscendEx;

public sealed class CancelSignerTests
{
    private const string Secret = "hV8FgjyJtpvVeAcMAgzgAFQCN36wmbWuN7o3WPcYcYhFd8qvE43gzFGVsFcCqMNk";
    private const long T = 1573596082932;
    private const int ThreadCount = 4;
    private const int PerThread = 2_000;

    private static readonly ApiCredentials s_credentials = new("test-key", Secret);

    /// <summary>The venue's published (prehash, timestamp, signature) vectors for <see cref="Secret"/>.</summary>
    private static readonly (string Prehash, long TimestampMs, string Signature)[] s_vectors =
    [
        ("info", 1608133910000, "/pwaAgWZQ1Xd/J4yZ4ReHSPQxd3ORP/YR8TvAttqqYM="),
        ("user/info", 1562952827927, "vBZf8OQuiTJIVbNpNHGY3zcUsK5gJpwb5lgCgarpxYI="),
        ("order", 1573596082932, "8Rgt7WipYL7Jaf6wnzp0gmwJhxQsiBA/8mi1XI7jjX4="),
        ("v2/futures/order", 1573596082932, "RWtLBjEIHaw8ZM6UFC6WLedwVZS2hFp2wujOoeqfmx4="),
    ];

    public static IEnumerable<object[]> KnownAnswerVectors => s_vectors.Select(v => new object[] { v.Prehash, v.TimestampMs, v.Signature });

    [Theory]
    [MemberData(nameof(KnownAnswerVectors))]
    public void GetSignature_KnownAnswerVector_MatchesPublishedSignature(string prehash, long timestampMs, string expected)
    {
        using var signer = new CancelSigner(s_credentials, prehash);

        string signature = Encoding.ASCII.GetString(signer.GetSignature(timestampMs));

        Assert.Equal(expected, signature);
        Assert.Equal(CancelSigner.SignatureLength, signature.Length);
    }

    [Theory]
    [MemberData(nameof(KnownAnswerVectors))]
    public void TryComputeSignature_KnownAnswerVector_MatchesPublishedSignature(string prehash, long timestampMs, string expected)
    {
        using var signer = new CancelSigner(s_credentials, prehash);
        byte[] destination = FilledWithFF(64);

        bool written = signer.TryComputeSignature(timestampMs, destination, out int bytesWritten);

        AssertWrittenAsciiAndRestUntouched(written, destination, bytesWritten, CancelSigner.SignatureLength, expected);
    }

    [Fact]
    public void GetSignature_SameMillisecondTwice_ComputesOnce()
    {
        using var signer = new CancelSigner(s_credentials, "order");

        byte[] first = signer.GetSignature(T).ToArray();
        byte[] second = signer.GetSignature(T).ToArray();

        Assert.Equal(1, signer.ComputationCount);
        Assert.Equal(first, second);
    }

    [Fact]
    public void GetSignature_NextMillisecond_ComputesAgainAndDiffers()
    {
        using var signer = new CancelSigner(s_credentials, "order");

        byte[] first = signer.GetSignature(T).ToArray();
        byte[] next = signer.GetSignature(T + 1).ToArray();

        Assert.Equal(2, signer.ComputationCount);
        Assert.NotEqual(first, next);
        Assert.Equal(Reference("order", T + 1), Encoding.ASCII.GetString(next));
    }

    [Fact]
    public void PrepareAhead_NextMillisecond_IsServedFromCacheWithoutEvictingCurrent()
    {
        using var signer = new CancelSigner(s_credentials, "order");
        signer.GetSignature(T);

        signer.PrepareAhead(T + 1);
        long afterPrepare = signer.ComputationCount;
        string next = Encoding.ASCII.GetString(signer.GetSignature(T + 1));
        string current = Encoding.ASCII.GetString(signer.GetSignature(T));

        Assert.Equal(2, afterPrepare);
        Assert.Equal(2, signer.ComputationCount);
        Assert.Equal(Reference("order", T + 1), next);
        Assert.Equal(Reference("order", T), current);
    }

    [Fact]
    public void PrepareAhead_AlreadyCachedMillisecond_DoesNotCompute()
    {
        using var signer = new CancelSigner(s_credentials, "order");
        signer.PrepareAhead(T);

        signer.PrepareAhead(T);
        signer.GetSignature(T);

        Assert.Equal(1, signer.ComputationCount);
    }

    [Fact]
    public void GetSignature_SlotReusedBySameParity_RecomputesCorrectly()
    {
        using var signer = new CancelSigner(s_credentials, "order");

        signer.GetSignature(T);
        string later = Encoding.ASCII.GetString(signer.GetSignature(T + 2));
        string again = Encoding.ASCII.GetString(signer.GetSignature(T));

        Assert.Equal(3, signer.ComputationCount);
        Assert.Equal(Reference("order", T + 2), later);
        Assert.Equal(Reference("order", T), again);
    }

    [Theory]
    [InlineData(long.MinValue)]
    [InlineData(-1L)]
    [InlineData(0L)]
    [InlineData(999_999_999_999L)]
    [InlineData(10_000_000_000_000L)]
    [InlineData(long.MaxValue)]
    public void GetSignature_TimestampWithout13Digits_Throws(long timestampMs)
    {
        using var signer = new CancelSigner(s_credentials, "order");

        Assert.Throws<ArgumentOutOfRangeException>(() => signer.GetSignature(timestampMs));
    }

    [Fact]
    public void GetSignature_AfterRefusedTimestamp_CacheStillServesCurrentMillisecond()
    {
        using var signer = new CancelSigner(s_credentials, "order");
        signer.GetSignature(T);

        Assert.Throws<ArgumentOutOfRangeException>(() => signer.GetSignature(T - T));
        signer.GetSignature(T);

        Assert.Equal(1, signer.ComputationCount);
    }

    [Fact]
    public void TryComputeSignature_DestinationTooSmall_ReturnsFalse()
    {
        using var signer = new CancelSigner(s_credentials, "order");

        bool written = signer.TryComputeSignature(T, new byte[CancelSigner.SignatureLength - 1], out int bytesWritten);

        Assert.False(written);
        Assert.Equal(0, bytesWritten);
        Assert.Equal(0, signer.ComputationCount);
    }

    [Fact]
    public void TryComputeSignature_DoesNotFillCache()
    {
        using var signer = new CancelSigner(s_credentials, "order");
        signer.TryComputeSignature(T, new byte[CancelSigner.SignatureLength], out _);

        signer.GetSignature(T);

        Assert.Equal(2, signer.ComputationCount);
    }

    [Theory]
    [InlineData(1573596082932L, "1573596082932")]
    [InlineData(CancelSigner.MinTimestampMs, "1000000000000")]
    [InlineData(CancelSigner.MaxTimestampMs, "9999999999999")]
    [InlineData(1608133910000L, "1608133910000")]
    public void TryWriteTimestamp_ValidTimestamp_Writes13AsciiDigits(long timestampMs, string expected)
    {
        byte[] destination = FilledWithFF(20);

        bool written = CancelSigner.TryWriteTimestamp(timestampMs, destination, out int bytesWritten);

        AssertWrittenAsciiAndRestUntouched(written, destination, bytesWritten, CancelSigner.TimestampLength, expected);
    }

    [Fact]
    public void TryWriteTimestamp_DestinationTooSmall_ReturnsFalse()
    {
        bool written = CancelSigner.TryWriteTimestamp(T, new byte[12], out int bytesWritten);

        Assert.False(written);
        Assert.Equal(0, bytesWritten);
    }

    [Theory]
    [InlineData(999_999_999_999L)]
    [InlineData(10_000_000_000_000L)]
    [InlineData(-1573596082932L)]
    public void TryWriteTimestamp_TimestampWithout13Digits_Throws(long timestampMs)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CancelSigner.TryWriteTimestamp(timestampMs, new byte[20], out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("or der")]
    [InlineData("ordér")]
    public void Constructor_BadPrehashPath_Throws(string prehash)
    {
        Assert.ThrowsAny<ArgumentException>(() => new CancelSigner(s_credentials, prehash));
    }

    [Fact]
    public void Constructor_PrehashPathTooLong_Throws()
    {
        Assert.Throws<ArgumentException>(() => new CancelSigner(s_credentials, new string('a', CancelSigner.MaxPrehashPathLength + 1)));
    }

    [Fact]
    public void Constructor_LongestPrehashPath_SignsCorrectly()
    {
        string prehash = new('a', CancelSigner.MaxPrehashPathLength);
        using var signer = new CancelSigner(s_credentials, prehash);

        Assert.Equal(Reference(prehash, T), Encoding.ASCII.GetString(signer.GetSignature(T)));
    }

    [Fact]
    public void Constructor_NullCredentials_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new CancelSigner(null!, "order"));
    }

    [Fact]
    public void Signing_Sequential_ReusesOnePooledHmacState()
    {
        using var signer = new CancelSigner(s_credentials, "order");

        for (long t = T; t < T + 100; t++)
        {
            signer.GetSignature(t);
        }

        Assert.Equal(100, signer.ComputationCount);
        Assert.Equal(1, signer.HashStatesCreated);
    }

    [Fact]
    public void TryComputeSignature_FourThreadsAtOnce_AllSignaturesCorrectAndStatesBounded()
    {
        using var signer = new CancelSigner(s_credentials, "order");
        using var start = new ManualResetEventSlim();
        int failures = 0;
        var threads = new Thread[ThreadCount];
        for (int i = 0; i < ThreadCount; i++)
        {
            long offset = i * 1_000_000L;
            threads[i] = new Thread(() =>
            {
                byte[] destination = new byte[CancelSigner.SignatureLength];
                byte[] key = Encoding.UTF8.GetBytes(Secret);
                start.Wait();
                for (int n = 0; n < PerThread; n++)
                {
                    long t = T + offset + n;
                    signer.TryComputeSignature(t, destination, out _);
                    byte[] expected = Encoding.ASCII.GetBytes(Convert.ToBase64String(
                        HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{t}+order"))));
                    if (!destination.AsSpan().SequenceEqual(expected))
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            })
            { IsBackground = true };
            threads[i].Start();
        }

        start.Set();
        bool allJoined = threads.All(t => t.Join(TimeSpan.FromSeconds(60)));

        Assert.True(allJoined);
        Assert.Equal(0, failures);
        Assert.Equal(ThreadCount * PerThread, signer.ComputationCount);
        Assert.InRange(signer.HashStatesCreated, 1, ThreadCount);
    }

    [Fact]
    public void TryComputeSignature_AfterDispose_ThrowsObjectDisposed()
    {
        var signer = new CancelSigner(s_credentials, "order");
        signer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => signer.TryComputeSignature(T, new byte[CancelSigner.SignatureLength], out _));
    }

    [Fact]
    public void GetSignature_FromCache_AllocatesNothing()
    {
        using var signer = new CancelSigner(s_credentials, "order");
        int checksum = 0;
        for (int i = 0; i < 1_000; i++)
        {
            checksum += signer.GetSignature(T + (i & 1))[0];
        }

        long allocated = AllocationMeter.LeastAllocatedBytes(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                checksum += signer.GetSignature(T + (i & 1))[0];
            }
        });

        Assert.Equal(0, allocated);
        Assert.Equal(2, signer.ComputationCount);
        Assert.NotEqual(0, checksum);
    }

    [Fact]
    public void GetSignature_NewMillisecondEachCall_AllocatesNothing()
    {
        using var signer = new CancelSigner(s_credentials, "order");
        long t = T;
        for (int i = 0; i < 1_000; i++)
        {
            signer.GetSignature(t++);
        }

        int runs = 0;
        long allocated = AllocationMeter.LeastAllocatedBytes(() =>
        {
            runs++;
            for (int i = 0; i < 10_000; i++)
            {
                signer.PrepareAhead(t + 1);
                signer.GetSignature(t++);
            }
        });

        // Warm-up 1,000; then each millisecond is computed once, by PrepareAhead, plus the first measured one.
        Assert.Equal(0, allocated);
        Assert.Equal(1_001 + (runs * 10_000), signer.ComputationCount);
    }

    private static string Reference(string prehash, long timestampMs) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.ASCII.GetBytes($"{timestampMs}+{prehash}")));

    private static byte[] FilledWithFF(int size)
    {
        byte[] destination = new byte[size];
        destination.AsSpan().Fill(0xFF);
        return destination;
    }

    /// <summary>Written, of the expected length and ASCII text, and not a byte past it touched.</summary>
    private static void AssertWrittenAsciiAndRestUntouched(bool written, byte[] destination, int bytesWritten, int expectedLength, string expected)
    {
        Assert.True(written);
        Assert.Equal(expectedLength, bytesWritten);
        Assert.Equal(expected, Encoding.ASCII.GetString(destination, 0, bytesWritten));
        Assert.All(destination[bytesWritten..], b => Assert.Equal(0xFF, b));
    }
}
