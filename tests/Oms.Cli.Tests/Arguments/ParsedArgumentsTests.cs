namespace Oms.Cli.Tests.Arguments;

public sealed class ParsedArgumentsTests
{
    private static readonly OptionSpec[] s_specs =
    [
        new("--port", "P", "port"),
        new("--tls", null, "tls"),
        new("--share", "S", "share"),
        new("--id", "ID", "id", Repeatable: true),
    ];

    [Fact]
    public void Parse_ValuesFlagsAndEqualsForm_AreRead()
    {
        var parsed = ParsedArguments.Parse(["--port", "81", "--tls", "--share=0.25"], s_specs);

        Assert.Equal(81, parsed.GetInt("--port", 0));
        Assert.True(parsed.Has("--tls"));
        Assert.Equal(0.25, parsed.GetShare("--share"));
        Assert.False(parsed.HelpRequested);
    }

    [Fact]
    public void Parse_RepeatableOptionGivenThrice_KeepsEveryValueInOrder()
    {
        var parsed = ParsedArguments.Parse(["--id", "a", "--port", "1", "--id=b", "--id", "c"], s_specs);

        Assert.Equal(["a", "b", "c"], parsed.GetAll("--id"));
        Assert.Equal("a", parsed.GetString("--id"));
        Assert.Empty(parsed.GetAll("--port-list"));
    }

    [Theory]
    [InlineData(new[] { "--nope" }, "unknown option '--nope'")]
    [InlineData(new[] { "stray" }, "unexpected argument 'stray'")]
    [InlineData(new[] { "--port" }, "option '--port' needs a value (P)")]
    [InlineData(new[] { "--tls=yes" }, "option '--tls' takes no value")]
    [InlineData(new[] { "--port", "1", "--port", "2" }, "option '--port' given twice")]
    public void Parse_BadCommandLine_ThrowsUsageExceptionSayingWhat(string[] args, string message)
    {
        var error = Assert.Throws<UsageException>(() => ParsedArguments.Parse(args, s_specs));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("--port", "eighty")]
    [InlineData("--port", "70000")]
    [InlineData("--share", "1.5")]
    public void Get_ValueOutOfRange_ThrowsUsageExceptionNamingTheOption(string option, string value)
    {
        var parsed = ParsedArguments.Parse([option, value], s_specs);

        var error = Assert.Throws<UsageException>(() =>
        {
            _ = option == "--port" ? parsed.GetInt(option, 0, 0, 65535) : parsed.GetShare(option);
        });

        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "venue", "--settings", "a.json" }, "a.json")]
    [InlineData(new[] { "venue", "--settings=a.json" }, "a.json")]
    [InlineData(new[] { "load", "--orders", "5", "--settings=dir/b=c.json", "--json" }, "dir/b=c.json")]
    [InlineData(new[] { "venue", "--settingsx=a.json" }, null)]
    [InlineData(new[] { "venue", "--settings" }, null)]
    [InlineData(new[] { "venue" }, null)]
    public void FindValue_SpaceOrEqualsForm_FindsTheValue(string[] args, string? expected)
    {
        var value = ParsedArguments.FindValue(args, "--settings");

        Assert.Equal(expected, value);
    }
}
