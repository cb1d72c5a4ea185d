namespace Oms.Engine.Tests.Venues.AscendEx;

public sealed class CancelProfileTests
{
    private const string GoodId = "kIXfMP72VfFDp653WoNqNGcpZCK9W7ts";

    /// <summary>v1's constants match the contract, v2's the current API (which answers ACK unless told otherwise).</summary>
    [Theory]
    [InlineData(CancelApiVersion.V1, "v1", "api/pro/v1/futures/order", "order", 32, null, null)]
    [InlineData(CancelApiVersion.V2, "v2", "api/pro/v2/futures/order", "v2/futures/order", 1, CancelRespInst.Ack, "ACK")]
    public void Profile_Constants_MatchTheApi(
        CancelApiVersion version, string name, string pathSuffix, string prehashPath, int minOrderIdLength, CancelRespInst? respInst, string? respInstText)
    {
        CancelProfile profile = version == CancelApiVersion.V1 ? CancelProfile.V1 : CancelProfile.V2;

        Assert.Equal(version, profile.Version);
        Assert.Equal(name, profile.Name);
        Assert.Equal(pathSuffix, profile.PathSuffix);
        Assert.Equal(prehashPath, profile.PrehashPath);
        Assert.Equal(minOrderIdLength, profile.MinOrderIdLength);
        Assert.Equal(32, profile.MaxOrderIdLength);
        Assert.Equal(respInst, profile.RespInst);
        Assert.Equal(respInstText, profile.RespInstText);
        Assert.Equal("DELETE", CancelProfile.Method);
    }

    [Theory]
    [InlineData(CancelRespInst.Ack, "ACK")]
    [InlineData(CancelRespInst.Accept, "ACCEPT")]
    [InlineData(CancelRespInst.Done, "DONE")]
    public void V2With_RespInst_SetsTextAndKeepsV2Constants(CancelRespInst respInst, string text)
    {
        CancelProfile profile = CancelProfile.V2With(respInst);

        Assert.Equal(text, profile.RespInstText);
        Assert.Equal(respInst, profile.RespInst);
        Assert.Equal("v2/futures/order", profile.PrehashPath);
        Assert.Same(profile, CancelProfile.V2With(respInst));
    }

    [Fact]
    public void V2With_UndefinedRespInst_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CancelProfile.V2With((CancelRespInst)42));
    }

    [Theory]
    [InlineData("v1", "v1")]
    [InlineData("V2", "v2")]
    public void TryGetByName_KnownName_FindsProfile(string name, string expected)
    {
        bool found = CancelProfile.TryGetByName(name, out CancelProfile? profile);

        Assert.True(found);
        Assert.Equal(expected, profile!.Name);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v3")]
    public void TryGetByName_UnknownName_ReturnsFalse(string? name)
    {
        Assert.False(CancelProfile.TryGetByName(name, out CancelProfile? profile));
        Assert.Null(profile);
    }

    [Fact]
    public void BuildPath_AccountGroup_PrefixesGroupSegment()
    {
        Assert.Equal("/4/api/pro/v1/futures/order", CancelProfile.V1.BuildPath("4"));
        Assert.Equal("/abc/api/pro/v2/futures/order", CancelProfile.V2.BuildPath("abc"));
        Assert.Equal("/4/api/pro/v1/futures/order"u8.ToArray(), CancelProfile.V1.BuildPathUtf8("4"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("4/5")]
    [InlineData("4?x")]
    [InlineData("4 5")]
    [InlineData("gr\u00fcppe")]
    public void BuildPath_BadGroup_Throws(string group)
    {
        Assert.ThrowsAny<ArgumentException>(() => CancelProfile.V1.BuildPath(group));
    }

    public static TheoryData<string, string, string, CancelRefusal> ValidationCases => new()
    {
        { "v1", GoodId, "BTC-PERP", CancelRefusal.None },
        { "v1", "0123456789ABCDEFGHIJKLMNOPQRSTUV", "ETH-PERP", CancelRefusal.None },
        { "v1", GoodId, "1000SHIB-PERP", CancelRefusal.None },
        { "v1", GoodId, new string('X', CancelProfile.MaxSymbolLength), CancelRefusal.None },
        { "v1", GoodId, "BTC/USDT", CancelRefusal.None },
        { "v1", string.Empty, "BTC-PERP", CancelRefusal.OrderIdEmpty },
        { "v1", GoodId[..31], "BTC-PERP", CancelRefusal.OrderIdLength },
        { "v1", GoodId + "a", "BTC-PERP", CancelRefusal.OrderIdLength },
        { "v1", "a", "BTC-PERP", CancelRefusal.OrderIdLength },
        { "v1", GoodId[..31] + "-", "BTC-PERP", CancelRefusal.OrderIdCharacter },
        { "v1", GoodId[..31] + "_", "BTC-PERP", CancelRefusal.OrderIdCharacter },
        { "v1", GoodId[..31] + " ", "BTC-PERP", CancelRefusal.OrderIdCharacter },
        { "v1", GoodId[..31] + "\u00e9", "BTC-PERP", CancelRefusal.OrderIdCharacter },
        { "v1", GoodId[..31] + "\u0663", "BTC-PERP", CancelRefusal.OrderIdCharacter },
        { "v1", GoodId[..31] + "\"", "BTC-PERP", CancelRefusal.OrderIdCharacter },
        { "v1", GoodId, string.Empty, CancelRefusal.SymbolEmpty },
        { "v1", GoodId, new string('X', CancelProfile.MaxSymbolLength + 1), CancelRefusal.SymbolTooLong },
        { "v1", GoodId, "BTC PERP", CancelRefusal.SymbolCharacter },
        { "v1", GoodId, "BTC-P\u00c9RP", CancelRefusal.SymbolCharacter },
        { "v1", GoodId, "BTC\n", CancelRefusal.SymbolCharacter },
        { "v1", GoodId, "BTC\u007f", CancelRefusal.SymbolCharacter },
        { "v2", GoodId, "BTC-PERP", CancelRefusal.None },
        { "v2", GoodId[..31], "BTC-PERP", CancelRefusal.None },
        { "v2", "a", "BTC-PERP", CancelRefusal.None },
        { "v2", "abc_DEF-123", "BTC-PERP", CancelRefusal.None },
        { "v2", string.Empty, "BTC-PERP", CancelRefusal.OrderIdEmpty },
        { "v2", GoodId + "a", "BTC-PERP", CancelRefusal.OrderIdLength },
        { "v2", GoodId[..31] + "!", "BTC-PERP", CancelRefusal.OrderIdCharacter },
        { "v2", GoodId[..31] + "\u00e9", "BTC-PERP", CancelRefusal.OrderIdCharacter },
        { "v2", GoodId, string.Empty, CancelRefusal.SymbolEmpty },
        { "v2", GoodId, "BTC PERP", CancelRefusal.SymbolCharacter },
    };

    [Theory]
    [MemberData(nameof(ValidationCases))]
    public void TryValidate_Chars_RefusesExactlyWhatTheRulesRefuse(string profileName, string orderId, string symbol, CancelRefusal expected)
    {
        CancelProfile.TryGetByName(profileName, out CancelProfile? profile);

        bool valid = profile!.TryValidate(orderId.AsSpan(), symbol.AsSpan(), out CancelRefusal reason);

        Assert.Equal(expected, reason);
        Assert.Equal(expected == CancelRefusal.None, valid);
    }

    [Fact]
    public void TryValidate_EverySingleCharacterSymbol_AcceptsExactlyVisibleAscii()
    {
        for (int c = 0; c <= 0x100; c++)
        {
            bool expected = c is >= 0x21 and <= 0x7E;

            bool chars = CancelProfile.V1.TryValidate(GoodId.AsSpan(), [(char)c], out _);

            Assert.Equal(expected, chars);
        }
    }

    [Fact]
    public void TryValidate_EverySingleCharacterSwap_AcceptsExactlyTheProfileAlphabet()
    {
        for (int c = 0; c <= 0x100; c++)
        {
            string orderId = GoodId[..31] + (char)c;
            bool letterOrDigit = char.IsAsciiLetterOrDigit((char)c);

            Assert.Equal(letterOrDigit, CancelProfile.V1.TryValidate(orderId, "BTC-PERP", out _));
            Assert.Equal(letterOrDigit || c is '_' or '-', CancelProfile.V2.TryValidate(orderId, "BTC-PERP", out _));
        }
    }

    [Fact]
    public void TryValidate_Chars_AllocatesNothing()
    {
        ReadOnlySpan<char> orderId = GoodId;
        ReadOnlySpan<char> symbol = "BTC-PERP";
        int accepted = 0;
        for (int i = 0; i < 1_000; i++)
        {
            accepted += CancelProfile.V1.TryValidate(orderId, symbol, out _) ? 1 : 0;
        }

        int runs = 0;
        long allocated = AllocationMeter.LeastAllocatedBytes(() =>
        {
            runs++;
            for (int i = 0; i < 10_000; i++)
            {
                accepted += CancelProfile.V1.TryValidate(GoodId.AsSpan(), "BTC-PERP".AsSpan(), out _) ? 1 : 0;
            }
        });

        Assert.Equal(0, allocated);
        Assert.Equal(1_000 + (runs * 10_000), accepted);
    }
}
