namespace Oms.Cli.Tests.Syntax;

/// <summary>Reading the options the parser accepted: values, flags, repetition, ranges, response files.</summary>
public sealed class OptionValuesTests
{
    [Fact]
    public void Parse_ValuesFlagsEqualsAndColonForms_AreRead()
    {
        var parsed = OptionValues.Parse(["venue", "--port", "81", "--tls", "--never-answer=0.25", "--seed:7"]);

        Assert.Equal(81, parsed.GetInt("--port", 0));
        Assert.True(parsed.Has("--tls"));
        Assert.Equal(0.25, parsed.GetShare("--never-answer"));
        Assert.Equal(7, parsed.GetInt("--seed", 0));
        Assert.False(parsed.Has("--status-fails"));
        Assert.Null(parsed.GetString("--bind"));
    }

    [Fact]
    public void Parse_NegativeNumber_IsAValueNotAnOption()
    {
        var parsed = OptionValues.Parse(["venue", "--clock-offset-ms", "-1500"]);

        Assert.Equal(-1500, parsed.GetLong("--clock-offset-ms", 0));
    }

    [Fact]
    public void Parse_RepeatableOptionGivenThrice_KeepsEveryValueInOrder()
    {
        var parsed = OptionValues.Parse(["status", "--order-id", "a", "--json", "--order-id=b", "--order-id", "c"]);

        Assert.Equal(["a", "b", "c"], parsed.GetAll("--order-id"));
        Assert.Empty(parsed.GetAll("--base-url"));
    }

    [Fact]
    public void Has_OptionAnotherCommandDeclares_IsAbsent()
    {
        var parsed = OptionValues.Parse(["cancel", "--order-id", "x"]);

        Assert.False(parsed.Has("--no-confirm"));
        Assert.Null(parsed.GetString("--connections"));
        Assert.Equal(3, parsed.GetInt("--connections", 3, 1, 64));
    }

    [Theory]
    [InlineData(new[] { "venue", "--nope" }, "unknown option '--nope' (try 'oms venue --help')")]
    [InlineData(new[] { "venue", "stray" }, "unexpected argument 'stray' (try 'oms venue --help')")]
    [InlineData(new[] { "launch" }, "unknown command 'launch' (try 'oms --help')")]
    [InlineData(new[] { "venue", "--tls=yes" }, "unexpected argument 'yes' (try 'oms venue --help')")]
    [InlineData(new[] { "load", "--json", "false" }, "unexpected argument 'false' (try 'oms load --help')")]
    [InlineData(new[] { "cancel", "--connections", "4" }, "unknown option '--connections' (try 'oms cancel --help')")]
    [InlineData(new[] { "status", "--wait-strategy", "yielding" }, "unknown option '--wait-strategy' (try 'oms status --help')")]
    [InlineData(new[] { "venue", "--profile", "v2" }, "unknown option '--profile' (try 'oms venue --help')")]
    public void Parse_BadCommandLine_UsageErrorSayingWhatAndWhereHelpIs(string[] args, string message)
    {
        var error = Assert.Throws<UsageException>(() => OptionValues.Parse(args));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData(new[] { "venue", "--port" }, "--port")]
    [InlineData(new[] { "venue", "--port", "1", "--port", "2" }, "--port")]
    public void Parse_MissingOrRepeatedValue_UsageErrorNamingTheOption(string[] args, string option)
    {
        var error = Assert.Throws<UsageException>(() => OptionValues.Parse(args));

        Assert.Contains(option, error.Message, StringComparison.Ordinal);
        Assert.EndsWith("(try 'oms venue --help')", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--port", "eighty")]
    [InlineData("--port", "70000")]
    [InlineData("--never-answer", "1.5")]
    public void Get_ValueOutOfRange_UsageErrorNamingTheOption(string option, string value)
    {
        var parsed = OptionValues.Parse(["venue", option, value]);

        var error = Assert.Throws<UsageException>(() =>
        {
            _ = option == "--port" ? parsed.GetInt(option, 0, 0, 65535) : parsed.GetShare(option);
        });

        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ResponseFile_ReadsItsArgumentsInPlace()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "# a saved run\n--base-url http://127.0.0.1:8800\n--orders 500 --rate 100\n--no-confirm\n");

            var parsed = OptionValues.Parse(["load", "@" + file, "--account-group", "9"]);

            Assert.Equal(("http://127.0.0.1:8800", 500, 100, "9"), (parsed.GetString("--base-url"), parsed.GetInt("--orders", 0), parsed.GetInt("--rate", 0), parsed.GetString("--account-group")));
            Assert.True(parsed.Has("--no-confirm"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Parse_MissingResponseFile_UsageErrorNamingIt()
    {
        var error = Assert.Throws<UsageException>(() => OptionValues.Parse(["load", "@/nonexistent/run.rsp"]));

        Assert.Contains("/nonexistent/run.rsp", error.Message, StringComparison.Ordinal);
    }
}
